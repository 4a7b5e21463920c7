// docker-build: multi-architecture NoETL images through `docker buildx bake`
// and the generated bake file, overriding only what the flags change.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DockerBuildFlags } from "../../Taskfile.ts";
import { matrix } from "../../matrix.ts";
import { BAKE_FILE, renderGeneratedFiles, REGENERATE_COMMAND } from "../emit/generated-files.ts";
import { findDrift } from "../lib/drift.ts";
import { taskFailure } from "../lib/errors.ts";
import { readGitState } from "../lib/git-state.ts";
import { writeLastBuild } from "../lib/last-build.ts";
import { ensureStateDir } from "../lib/state-dir.ts";
import { computeTags, type GitState, type TagPlan } from "../lib/tags.ts";
import type { TaskContext, TaskResult } from "../lib/taskdef.ts";
import { TOOL_ROOT } from "../lib/tool-root.ts";
import type { Workspace } from "../lib/workspace.ts";
import { buildBakeInvocation, type BakeInputs } from "./docker-build/bake-args.ts";
import { buildDockerBuildArgv } from "./docker-build/docker-build-argv.ts";
import { loginToRegistry, readRegistryCredentials } from "./docker-build/login.ts";
import { mergeDigests, readDigestDir } from "./docker-build/merge.ts";
import { checkBuildArgNames, parseBuildOptions, readDeclaredArgs, type BuildOptions } from "./docker-build/options.ts";
import { runPreflight } from "./docker-build/preflight.ts";
import { verifyPlatforms } from "./docker-build/verify.ts";

const IMAGE = "noetl";

export async function run(ctx: TaskContext<DockerBuildFlags>): Promise<TaskResult> {
  const { log, exec, host } = ctx;
  const options = parseBuildOptions(ctx.flags, host, process.env);
  const dockerfile = join(TOOL_ROOT, matrix.images[IMAGE].dockerfile);
  checkBuildArgNames(options.buildArgs, readDeclaredArgs(readFileSync(dockerfile, "utf8")), matrix.images[IMAGE].dockerfile);
  const credentials = readRegistryCredentials(process.env);
  const mergeDir = ctx.flags["merge-digests"];
  const digests = mergeDir !== undefined ? readDigestDir(mergeDir) : undefined;
  const workspace = ctx.workspace();

  warnOnDrift(ctx);
  if (digests) {
    if (credentials) await loginToRegistry(exec, options.repository, credentials);
    const { tags } = await readTagPlan(ctx, workspace);
    const merged = await mergeDigests(exec, log, options.repository, digests, tags);
    if (!exec.dryRun) record(workspace, options, merged.references, merged.platforms, true);
    return { merged: merged.references, platforms: merged.platforms };
  }

  const mode = await runPreflight(exec, options, host, log);
  const { tags, state } = await readTagPlan(ctx, workspace);
  const stateDir = ctx.globals["dry-run"] ? workspace.stateDir : ensureStateDir(workspace);
  const inputs = getBakeInputs(options, workspace, tags, state, stateDir);
  const publishing = options.output.kind === "push" || options.output.kind === "push-by-digest";
  if (publishing && !tags.publishable) throw taskFailure("pull request builds are never pushed", { hint: "drop --push; CI builds pull requests without pushing" });
  if (publishing && credentials) await loginToRegistry(exec, options.repository, credentials);

  if (mode.kind === "docker-build") {
    const argv = buildDockerBuildArgv(inputs, matrix.images[IMAGE].target);
    await exec(argv, { cwd: workspace.root, stream: !ctx.globals.quiet, logFile: join(stateDir, "logs", "docker-build.log") });
    return { platforms: options.platforms, tags: tags.tags };
  }

  const bake = buildBakeInvocation(inputs);
  if (options.print) {
    const printed = await exec(bake.argv, { cwd: workspace.root, readOnly: true });
    process.stdout.write(printed.stdout);
    return;
  }

  log.info(`Building ${options.platforms.join(", ")} of ${options.repository} (${describeOutput(options)}) with builder ${mode.builder.name}`);
  const logFile = join(stateDir, "logs", "docker-build.log");
  if (!exec.dryRun) rmSync(logFile, { force: true });
  await exec(bake.argv, { cwd: workspace.root, stream: !ctx.globals.quiet, logFile });
  if (exec.dryRun) return { argv: bake.argv };
  explainCacheMisses(readFileSync(logFile, "utf8"), ctx);

  return finish(ctx, workspace, options, inputs, bake.references, mode.builder.name);
}

async function finish(ctx: TaskContext<DockerBuildFlags>, workspace: Workspace, options: BuildOptions, inputs: BakeInputs, references: string[], builder: string): Promise<TaskResult> {
  const metadata = JSON.parse(readFileSync(inputs.metadataFile, "utf8")) as Record<string, Record<string, string>>;
  const digest = Object.values(metadata)[0]?.["containerimage.digest"];

  if (options.output.kind === "push-by-digest") {
    if (!digest) throw taskFailure("buildx reported no digest for the pushed image", { hint: `read ${inputs.metadataFile}` });
    mkdirSync(options.output.digestDir, { recursive: true });
    writeFileSync(join(options.output.digestDir, digest.replace(/^sha256:/, "")), "");
    await verifyPlatforms(ctx.exec, `${options.repository}@${digest}`, options.platforms, builder, ctx.log);
    ctx.log.info(`Pushed ${options.repository}@${digest}; digest written to ${options.output.digestDir}`);
    return { digest, platforms: options.platforms };
  }

  if (options.output.kind === "push") {
    const platforms = await verifyPlatforms(ctx.exec, references[0], options.platforms, builder, ctx.log);
    record(workspace, options, references, platforms, true, digest);
    ctx.log.info(`Pushed ${references.join(", ")}`);
    return { references, digest, platforms };
  }

  record(workspace, options, references, options.platforms, false, digest);
  ctx.log.info(options.output.kind === "load" ? `Loaded ${references.join(", ")} into the Docker image store` : `Built ${options.platforms.join(", ")}; nothing was exported (add --push, --load or --oci-archive FILE)`);
  return { references, platforms: options.platforms };
}

async function readTagPlan(ctx: TaskContext<DockerBuildFlags>, workspace: Workspace): Promise<{ tags: TagPlan; state?: GitState }> {
  const state = await readGitState(ctx.exec, workspace.root);
  if (state?.dirty) ctx.log.warn(`${workspace.root} has uncommitted changes: the image is tagged only ${computeTags(state).tags[0]} (commit to get the commit, branch and latest tags)`);
  if (state) return { tags: computeTags(state), state };
  ctx.log.warn(`${workspace.root} is not in a git repository: tagging the image "dev"`);
  return { tags: { tags: ["dev"], publishable: true, version: "0.0.0-dev" } };
}

function getBakeInputs(options: BuildOptions, workspace: Workspace, tags: TagPlan, state: GitState | undefined, stateDir: string): BakeInputs {
  const publishing = options.output.kind === "push" || options.output.kind === "push-by-digest";
  // The shared registry cache is written only by builds of the default
  // branch or a release, so pull requests and feature branches cannot poison it.
  const trusted = state?.branch === matrix.tags.defaultBranch || state?.tag !== undefined;
  return {
    options,
    image: IMAGE,
    bakeFile: join(TOOL_ROOT, BAKE_FILE),
    dockerfile: join(TOOL_ROOT, matrix.images[IMAGE].dockerfile),
    context: workspace.root,
    tags,
    revision: state?.sha,
    created: new Date().toISOString(),
    metadataFile: join(stateDir, "bake-metadata.json"),
    writeCache: publishing && tags.publishable && trusted,
  };
}

/** buildx prints an ERROR line when a cache ref does not exist yet: say it is harmless. */
function explainCacheMisses(log: string, ctx: TaskContext<DockerBuildFlags>): void {
  const missing = [...log.matchAll(/importing cache manifest from (\S+?):?\n[\s\S]{0,200}?(?:not found|failed to configure registry cache importer)/g)].map((m) => m[1]);
  if (missing.length > 0) ctx.log.info(`  (no build cache yet at ${[...new Set(missing)].join(", ")}: the ERROR lines about it are harmless; pushes from the default branch write it)`);
}

function describeOutput(options: BuildOptions): string {
  switch (options.output.kind) {
    case "push":
      return "push";
    case "push-by-digest":
      return "push by digest";
    case "load":
      return "load into Docker";
    case "oci":
      return `OCI archive ${options.output.path}`;
    case "cache-only":
      return "build only";
  }
}

function record(workspace: Workspace, options: BuildOptions, references: string[], platforms: string[], pushed: boolean, digest?: string): void {
  writeLastBuild(workspace, { repository: options.repository, references, digest, platforms, pushed, builtAt: new Date().toISOString() });
}

function warnOnDrift(ctx: TaskContext<DockerBuildFlags>): void {
  const bake = renderGeneratedFiles().filter((f) => f.path === BAKE_FILE);
  if (findDrift(TOOL_ROOT, bake, REGENERATE_COMMAND).some((d) => d.path === BAKE_FILE)) {
    ctx.log.warn(`${BAKE_FILE} differs from what matrix.ts generates: building with the file on disk; run \`${REGENERATE_COMMAND}\``);
  }
}
