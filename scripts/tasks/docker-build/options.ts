// docker-build's flags turned into validated options. Every check here is a
// usage error (exit 2) raised before docker is even looked for.

import type { DockerBuildFlags } from "../../../Taskfile.ts";
import { matrix } from "../../../matrix.ts";
import type { DockerPlatform } from "../../lib/arch.ts";
import { usageError } from "../../lib/errors.ts";
import type { Host } from "../../lib/host.ts";
import { validateRegistry, validateTag } from "../../lib/image-ref.ts";
import { parsePlatformList } from "../../lib/platform.ts";
import { findNearest } from "../../lib/suggest.ts";
import type { FlagValues } from "../../lib/taskdef.ts";

export interface BuildOptions {
  platforms: DockerPlatform[];
  /** Full repository, e.g. ghcr.io/noetl/noetl. */
  repository: string;
  registryGiven: boolean;
  explicitTags: string[];
  output: { kind: "push" } | { kind: "push-by-digest"; digestDir: string } | { kind: "load" } | { kind: "oci"; path: string } | { kind: "cache-only" };
  builder?: string;
  useBuildx: boolean;
  plain: boolean;
  noCache: boolean;
  print: boolean;
  buildArgs: Record<string, string>;
}

export function parseBuildOptions(flags: FlagValues<DockerBuildFlags>, host: Host, env: NodeJS.ProcessEnv): BuildOptions {
  const platformText = flags.platforms ?? flags.platform ?? env.NOETL_PLATFORMS;
  if (flags.platforms && flags.platform) throw usageError("--platforms and --platform given together", "pass one of them (they mean the same)");
  const platforms = platformText !== undefined ? parsePlatformList(platformText) : [host.dockerPlatform];

  const registryText = flags.registry ?? env.NOETL_REGISTRY;
  const image = matrix.registry.repository.split("/").at(-1);
  const repository = registryText !== undefined ? `${validateRegistry(registryText)}/${image}` : `${matrix.registry.host}/${matrix.registry.repository}`;

  const outputs = [flags.push && "--push", flags["push-by-digest"] && "--push-by-digest", flags.load && "--load", flags["oci-archive"] !== undefined && "--oci-archive"].filter(Boolean);
  if (outputs.length > 1) throw usageError(`${outputs.join(" and ")} contradict each other`, "choose one output: --push, --push-by-digest, --load or --oci-archive FILE");
  if (flags["merge-digests"] !== undefined && (outputs.length > 0 || platformText !== undefined || (flags.tag ?? []).length > 0)) {
    throw usageError("--merge-digests publishes digests that were already built", "run it alone (with --registry); the tags come from git");
  }
  if (flags["push-by-digest"] && (flags.tag ?? []).length > 0) throw usageError("--push-by-digest pushes untagged, so --tag has no effect", "drop --tag; the merge step (--merge-digests) tags the manifest list");
  if (flags["digest-dir"] !== undefined && !flags["push-by-digest"]) throw usageError("--digest-dir only goes with --push-by-digest", "add --push-by-digest, or drop --digest-dir");
  if (flags["push-by-digest"] && flags["digest-dir"] === undefined) throw usageError("--push-by-digest needs --digest-dir DIR", "pass the folder where the digest is written for the merge job");
  if (flags.load && platforms.length > 1) {
    throw usageError(`--load with ${platforms.length} platforms: the Docker image store cannot hold a multi-platform image`, `load one platform (--platforms ${host.dockerPlatform}), push instead (--push --registry R), or write an OCI archive (--oci-archive FILE)`);
  }
  // Only the generated GitHub workflow pushes to the matrix's registry by
  // default; anywhere else (a laptop, another CI) the target must be named.
  if ((flags.push || flags["push-by-digest"]) && registryText === undefined && host.ci !== "github-actions") {
    throw usageError(`--push without --registry would push to ${repository}`, "pass --registry HOST[/NAMESPACE] (or set NOETL_REGISTRY); only the GitHub workflow pushes to the matrix's registry by default");
  }

  return {
    platforms,
    repository,
    registryGiven: registryText !== undefined,
    explicitTags: (flags.tag ?? []).map(validateTag),
    output: getOutput(flags),
    builder: flags.builder,
    useBuildx: flags["use-buildx"],
    plain: flags.plain,
    noCache: flags["no-cache"],
    print: flags.print,
    buildArgs: parseBuildArgs(flags["build-arg"] ?? []),
  };
}

function getOutput(flags: FlagValues<DockerBuildFlags>): BuildOptions["output"] {
  if (flags.push) return { kind: "push" };
  if (flags["push-by-digest"]) return { kind: "push-by-digest", digestDir: flags["digest-dir"] ?? "" };
  if (flags.load) return { kind: "load" };
  if (flags["oci-archive"] !== undefined) return { kind: "oci", path: flags["oci-archive"] };
  return { kind: "cache-only" };
}

/** ARG names a Dockerfile declares: a --build-arg for any other name is a typo. */
export function readDeclaredArgs(dockerfile: string): string[] {
  return [...new Set([...dockerfile.matchAll(/^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)/gim)].map((m) => m[1]))];
}

export function checkBuildArgNames(args: Record<string, string>, declared: readonly string[], dockerfilePath: string): void {
  for (const name of Object.keys(args)) {
    if (declared.includes(name)) continue;
    const nearest = findNearest(name, declared);
    throw usageError(`--build-arg ${name}: ${dockerfilePath} declares no such ARG`, nearest ? `did you mean ${nearest}?` : `use one the Dockerfile declares: ${declared.join(", ")}`);
  }
}

function parseBuildArgs(items: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const item of items) {
    const match = item.match(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s);
    if (!match) throw usageError(`--build-arg "${item}" is not NAME=VALUE`, "write e.g. --build-arg RUNTIME_BASE=127.0.0.1:5000/python:3.12");
    args[match[1]] = match[2];
  }
  return args;
}
