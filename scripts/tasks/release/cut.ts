// `release` and `release version`: apply the pending changesets to every
// version file and the changelog; `release` then commits, tags and pushes.

import { readFileSync, writeFileSync } from "node:fs";
import type { ReleaseFlags } from "../../../Taskfile.ts";
import { taskFailure, isNoetlError } from "../../lib/errors.ts";
import { applyFileChanges, type AppliedChanges } from "../../lib/file-transaction.ts";
import { createGit, type Git } from "../../lib/git.ts";
import { isInterrupted, onInterrupt } from "../../lib/signals.ts";
import type { TaskContext, TaskResult } from "../../lib/taskdef.ts";
import { planRelease, toFileChanges, type ReleasePlan } from "./plan.ts";
import { buildCommitMessage, buildTagMessage, printReleasePlan, type GitSteps } from "./report.ts";
import { checkRepository, requireAgreement, requireInitialized, requireNewTag, requirePending, type CommandHint, type ReleaseState } from "./state.ts";

export interface CutOptions {
  /** False for `release version`: changesets/action commits by itself. */
  commit: boolean;
  remote: string;
  hint: CommandHint;
}

export async function cutRelease(ctx: TaskContext<ReleaseFlags>, state: ReleaseState, options: CutOptions): Promise<TaskResult> {
  const git = createGit(ctx.exec, state.root);
  const dryRun = ctx.globals["dry-run"];
  requireInitialized(state, options.hint);
  const repo = await checkRepository(git, { clean: options.commit, branch: options.commit });
  if (ctx.flags.push) await requireRemote(git, options.remote);
  const from = requireAgreement(state, options.hint);
  requirePending(state);

  const plan = await planRelease(ctx.exec, state, from, repo);
  await requireNewTag(git, plan.tag);
  const steps = getGitSteps(plan, repo.branch, options, ctx.flags.push);
  printReleasePlan(ctx.log, plan, steps, dryRun);
  const result = { from, version: plan.version, tag: plan.tag, files: plan.files.map((f) => ({ path: f.path, role: f.role })), changelogEntry: plan.changelogEntry };
  if (dryRun) return { ...result, dryRun: true, ...steps };

  if (!options.commit) {
    (await applyFileChanges(toFileChanges(state.root, plan.files))).keep();
    ctx.log.info(`Applied ${plan.version} to ${plan.files.length} files; review and commit them (in CI, changesets/action does).`);
    return { ...result, committed: false };
  }

  const sha = await commitFiles(git, state.root, plan, steps.commit!);
  await tagCommit(git, plan.tag, buildTagMessage(plan.tag, plan.changelogEntry), sha);
  if (steps.push) await pushRefs(git, steps.push.remote, steps.push.refs);
  ctx.log.info(`Released ${plan.tag} (${sha.slice(0, 7)})${steps.push ? ` and pushed it to ${steps.push.remote}` : `; push with \`git push --atomic ${options.remote} ${repo.branch} ${plan.tag}\``}`);
  return { ...result, committed: true, commit: sha, pushed: Boolean(steps.push) };
}

export async function requireRemote(git: Git, remote: string): Promise<void> {
  if (await git.hasRemote(remote)) return;
  throw taskFailure(`no git remote named "${remote}"`, { hint: "pass --remote NAME (git remote -v lists them), or add one with git remote add" });
}

export async function tagCommit(git: Git, tag: string, message: string, commit: string): Promise<void> {
  try {
    await git.tag(tag, message, commit);
  } catch (error) {
    const short = commit.slice(0, 7);
    throw rethrow(error, `git tag ${tag} failed; commit ${short} stays as it is`, `fix what git reported, then tag it: git tag -a ${tag} ${short} (or run release tag)`);
  }
}

export async function pushRefs(git: Git, remote: string, refs: string[]): Promise<void> {
  try {
    await git.push(remote, refs);
  } catch (error) {
    throw rethrow(error, `pushing to ${remote} failed; the release stays local`, `push it when ${remote} is reachable: git push --atomic ${remote} ${refs.join(" ")}`);
  }
}

function getGitSteps(plan: ReleasePlan, branch: string | undefined, options: CutOptions, push: boolean): GitSteps {
  if (!options.commit || !branch) return {};
  const refs = [`refs/heads/${branch}`, `refs/tags/${plan.tag}`];
  return { commit: { branch, message: buildCommitMessage(plan) }, tag: plan.tag, push: push ? { remote: options.remote, refs } : undefined };
}

/**
 * Writes the files, then commits them. Until the commit exists, a failure or
 * an interruption puts every file and the index back: the release either
 * happened as a whole or not at all.
 */
async function commitFiles(git: Git, root: string, plan: ReleasePlan, commit: NonNullable<GitSteps["commit"]>): Promise<string> {
  const indexPath = await git.getGitPath("index");
  const refPath = await git.getGitPath(`refs/heads/${commit.branch}`);
  const index = readFileSync(indexPath);
  const ref = readRef(refPath);
  // Read synchronously by the signal handler, which cannot wait for a git
  // child: if the branch moved, the commit went through and stays.
  const notCommitted = () => readRef(refPath) === ref;

  const applied = await applyFileChanges(toFileChanges(root, plan.files), { shouldRollbackOnInterrupt: notCommitted });
  const forgetIndex = onInterrupt(() => notCommitted() && writeFileSync(indexPath, index));
  try {
    await git.add(plan.files.map((f) => f.path));
    const sha = await git.commit(commit.message);
    applied.keep();
    forgetIndex();
    return sha;
  } catch (error) {
    // Interrupted: the cleanups registered above restore files and index.
    if (isInterrupted()) throw error;
    await undoStaging(git, applied, plan);
    forgetIndex();
    throw rethrow(error, "git commit failed; every file was put back as it was", "fix what git (or a commit hook) reported, shown below, then run the release again");
  }
}

async function undoStaging(git: Git, applied: AppliedChanges, plan: ReleasePlan): Promise<void> {
  applied.rollback();
  await git.resetPaths(plan.files.map((f) => f.path));
}

function readRef(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    // A packed ref has no file until the next commit writes one.
    // TODO: drop this check when the reftable backend is supported
    // (`git rev-parse --show-ref-format` reports it; its refs are not files).
    return undefined;
  }
}

function rethrow(error: unknown, message: string, hint: string): Error {
  return taskFailure(message, { hint, tail: isNoetlError(error) ? error.tail : [String(error)] });
}
