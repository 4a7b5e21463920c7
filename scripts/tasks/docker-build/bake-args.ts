// The `docker buildx bake` command line, computed from the options alone
// (pure, so tests check the exact argv without Docker).

import { getPlatformTargetName } from "../../emit/bake.ts";
import { getCacheRef } from "../../emit/bake.ts";
import { BUILDX } from "../../lib/buildx.ts";
import type { TagPlan } from "../../lib/tags.ts";
import type { BuildOptions } from "./options.ts";

export interface BakeInvocation {
  argv: string[];
  target: string;
  /** Full references the image is published under (empty when not pushed). */
  references: string[];
}

export interface BakeInputs {
  options: BuildOptions;
  image: string;
  bakeFile: string;
  dockerfile: string;
  context: string;
  tags: TagPlan;
  revision?: string;
  created: string;
  metadataFile: string;
  /** Write the registry cache: only from builds that publish, never for pull requests. */
  writeCache: boolean;
}

export function buildBakeInvocation(input: BakeInputs): BakeInvocation {
  const { options, image } = input;
  const single = options.platforms.length === 1 ? options.platforms[0] : undefined;
  // A single platform builds its CI leg's target, which carries its own cache scope.
  const target = single ? getPlatformTargetName(image, single) : image;
  const set = (key: string, value: string) => ["--set", `${target}.${key}=${value}`];

  const tagNames = options.explicitTags.length > 0 ? options.explicitTags : input.tags.tags;
  const references = tagNames.map((tag) => `${options.repository}:${tag}`);
  // The Dockerfile lives in this tool, outside the build context: bake asks
  // for that read to be granted, and exactly that file is granted.
  const argv: string[] = [...BUILDX, "bake", "--file", input.bakeFile, "--allow", `fs.read=${input.dockerfile}`, "--metadata-file", input.metadataFile];
  if (options.builder) argv.push("--builder", options.builder);
  if (options.plain) argv.push("--progress", "plain");
  if (options.noCache) argv.push("--no-cache");

  argv.push(...set("context", input.context), ...set("dockerfile", input.dockerfile));
  argv.push(...set("platforms", options.platforms.join(",")));

  const output = options.output;
  if (output.kind === "push-by-digest") {
    argv.push(...set("tags", options.repository), ...set("output", `type=image,name=${options.repository},push-by-digest=true,name-canonical=true,push=true`));
  } else {
    for (const reference of references) argv.push(...set("tags", reference));
    if (output.kind === "push") argv.push(...set("output", "type=image,push=true"));
    if (output.kind === "load") argv.push(...set("output", "type=docker"));
    if (output.kind === "oci") argv.push(...set("output", `type=oci,dest=${output.path}`));
  }

  // Cache lives beside the image, in the registry the build uses: a local
  // or mirror build never reaches for the default registry's cache.
  for (const platform of options.platforms) argv.push(...set("cache-from", getCacheRef(options.repository, platform)));
  argv.push(...set("cache-to", input.writeCache && single ? `${getCacheRef(options.repository, single)},mode=max` : ""));

  const labels: Record<string, string> = { "org.opencontainers.image.version": input.tags.version, "org.opencontainers.image.created": input.created };
  if (input.revision) labels["org.opencontainers.image.revision"] = input.revision;
  for (const [key, value] of Object.entries(labels)) argv.push(...set(`labels.${key}`, value));

  const args: Record<string, string> = { VERSION: input.tags.version, CREATED: input.created, ...(input.revision ? { REVISION: input.revision } : {}), ...options.buildArgs };
  for (const [key, value] of Object.entries(args)) argv.push(...set(`args.${key}`, value));

  if (options.print) argv.push("--print");
  argv.push(target);
  return { argv, target, references: output.kind === "push" ? references : [] };
}
