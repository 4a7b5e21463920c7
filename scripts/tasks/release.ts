// release: cut a NoETL release from the pending changesets. changesets bumps
// the release package (a private package.json at the workspace root) and
// writes CHANGELOG.md; this task copies the new version into every other
// version file, then commits and tags vX.Y.Z. Subcommands:
//   status   pending changesets, and whether the version files agree
//   sync     align the version files to one version, without a release
//   version  apply the changesets without committing (CI's version PR)
//   tag      tag the commit that set the current version, once (CI)
//   init     set a checkout up for changesets

import type { ReleaseFlags } from "../../Taskfile.ts";
import { usageError } from "../lib/errors.ts";
import { applyFileChanges } from "../lib/file-transaction.ts";
import { formatArgv } from "../lib/log.ts";
import { compareSemver, isSemver } from "../lib/semver.ts";
import type { TaskContext, TaskResult } from "../lib/taskdef.ts";
import { cutRelease } from "./release/cut.ts";
import { initReleases } from "./release/init.ts";
import { planSync, toFileChanges } from "./release/plan.ts";
import { buildStatus, printFiles, printStatus } from "./release/report.ts";
import { loadReleaseState, type CommandHint, type ReleaseState } from "./release/state.ts";
import { tagRelease } from "./release/tag.ts";

type Subcommand = "release" | "status" | "sync" | "version" | "tag" | "init";

const PUSHES: readonly Subcommand[] = ["release", "tag"];
const TAKES_TO: readonly Subcommand[] = ["sync", "init"];

export async function run(ctx: TaskContext<ReleaseFlags>): Promise<TaskResult> {
  const subcommand = (ctx.positionals[0] ?? "release") as Subcommand;
  validateFlags(ctx, subcommand);
  const remote = ctx.flags.remote ?? "origin";
  const hint = createHint(ctx.globals.root);
  const state = loadReleaseState(ctx.workspace().root);

  switch (subcommand) {
    case "status":
      return showStatus(ctx, state, hint);
    case "sync":
      return syncVersions(ctx, state, hint);
    case "init":
      return initReleases(ctx, state, hint);
    case "tag":
      return tagRelease(ctx, state, remote, hint);
    case "version":
      return cutRelease(ctx, state, { commit: false, remote, hint });
    case "release":
      return cutRelease(ctx, state, { commit: true, remote, hint });
  }
}

function validateFlags(ctx: TaskContext<ReleaseFlags>, subcommand: Subcommand): void {
  const { push, remote, to } = ctx.flags;
  const name = subcommand === "release" ? "release" : `release ${subcommand}`;
  if (push && !PUSHES.includes(subcommand)) throw usageError(`--push does not apply to ${name}`, "push with `release --push` or `release tag --push`");
  if (remote !== undefined && !push) throw usageError("--remote needs --push", `add --push, or drop --remote ${remote}`);
  if (to === undefined) return;

  if (!TAKES_TO.includes(subcommand)) throw usageError(`--to does not apply to ${name}`, "the release version comes from the changesets; --to is for `release sync` and `release init`");
  if (!isSemver(to)) throw usageError(`--to ${to} is not an X.Y.Z version`, "pass e.g. --to 2.5.0 (or 2.5.0-rc.1)");
}

function showStatus(ctx: TaskContext<ReleaseFlags>, state: ReleaseState, hint: CommandHint): TaskResult {
  const report = buildStatus(state);
  if (!ctx.globals.json) printStatus(ctx.log, report, hint);
  return { ...report };
}

/**
 * The default target is the highest version found: every package registry
 * (PyPI, crates.io, npm) orders releases by version, so anything lower would
 * make the next release look older than one users may already have.
 */
async function syncVersions(ctx: TaskContext<ReleaseFlags>, state: ReleaseState, hint: CommandHint): Promise<TaskResult> {
  const { highest } = state.summary;
  const version = ctx.flags.to ?? highest;
  if (!version) throw usageError("no version file holds an X.Y.Z version", `pass the version to write: ${hint("sync --to X.Y.Z")}`);
  if (highest && compareSemver(version, highest) < 0) {
    throw usageError(`--to ${version} is lower than ${highest}, which a version file already has`, `pass --to ${highest} or higher; to go back, edit the files by hand`);
  }

  const files = planSync(state, version);
  if (files.length === 0) {
    ctx.log.info(`Every version file is at ${version} already`);
    return { version, files: [] };
  }

  ctx.log.info(`${ctx.globals["dry-run"] ? "Would align" : "Aligning"} the version files to ${version}`);
  printFiles(ctx.log, files);
  if (ctx.globals["dry-run"]) return { version, files: files.map((f) => f.path), dryRun: true };

  (await applyFileChanges(toFileChanges(state.root, files))).keep();
  ctx.log.info(`Done; commit it: git commit -m "Align the version files to ${version}" -- ${files.map((f) => f.path).join(" ")}`);
  if (!state.initialized) ctx.log.warn(`this workspace is not set up for releases yet: run \`${hint("init")}\``);
  return { version, files: files.map((f) => f.path) };
}

function createHint(root: string | undefined): CommandHint {
  return (args) => formatArgv(["npx", "tsx", "Taskfile.ts", "release", ...args.split(" "), ...(root === undefined ? [] : ["--root", root])]);
}
