// `release tag`: tag the commit that set the current version, once. CI runs
// it on every push to the default branch: after the version pull request is
// merged it creates vX.Y.Z; on any other push the tag exists and it does
// nothing. It tags the commit that set the version, not HEAD, so a change
// merged right after the version pull request is not part of the release.

import type { ReleaseFlags } from "../../../Taskfile.ts";
import { taskFailure } from "../../lib/errors.ts";
import { createGit } from "../../lib/git.ts";
import type { TaskContext, TaskResult } from "../../lib/taskdef.ts";
import { RELEASE_PACKAGE } from "../../lib/version-sources.ts";
import { pushRefs, requireRemote, tagCommit } from "./cut.ts";
import { CHANGELOG, extractChangelogEntry, getTagName } from "./plan.ts";
import { buildTagMessage, printGitSteps } from "./report.ts";
import { checkRepository, readWorkspaceFile, requireAgreement, requireInitialized, type CommandHint, type ReleaseState } from "./state.ts";

export async function tagRelease(ctx: TaskContext<ReleaseFlags>, state: ReleaseState, remote: string, hint: CommandHint): Promise<TaskResult> {
  const git = createGit(ctx.exec, state.root);
  const dryRun = ctx.globals["dry-run"];
  requireInitialized(state, hint);
  await checkRepository(git, { clean: true, branch: false });
  if (ctx.flags.push) await requireRemote(git, remote);
  const version = requireAgreement(state, hint);

  const tag = getTagName(version);
  const refs = [`refs/tags/${tag}`];
  const push = ctx.flags.push ? { remote, refs } : undefined;
  if (await git.hasTag(tag)) {
    ctx.log.info(`${tag} is already tagged: nothing new to release${push ? `; making sure ${remote} has it` : ""}`);
    if (push && !dryRun) await pushRefs(git, remote, refs);
    return { tag, created: false, pushed: Boolean(push) && !dryRun };
  }

  const commit = await git.findCommitChanging(RELEASE_PACKAGE, getVersionLinePattern(version));
  if (!commit) {
    throw taskFailure(`no commit in this history sets ${RELEASE_PACKAGE} to ${version}`, { hint: "commit the version change first; in CI check out the full history (actions/checkout fetch-depth: 0)" });
  }

  const entry = extractChangelogEntry(readWorkspaceFile(state.root, CHANGELOG) ?? "", version);
  ctx.log.info(`${dryRun ? "Would tag" : "Tagging"} ${commit.slice(0, 7)} (the commit that set ${version}) as ${tag}`);
  printGitSteps(ctx.log, { tag, push });
  if (dryRun) return { tag, commit, created: false, dryRun: true };

  await tagCommit(git, tag, buildTagMessage(tag, entry), commit);
  if (push) await pushRefs(git, remote, refs);
  ctx.log.info(`Tagged ${tag}${push ? ` and pushed it to ${remote}` : `; push it with \`git push ${remote} ${tag}\``}`);
  return { tag, commit, created: true, pushed: Boolean(push) };
}

/** Matches the `"version": "X.Y.Z"` line in git's basic and extended regex alike. */
export function getVersionLinePattern(version: string): string {
  return `"version"[[:space:]]*:[[:space:]]*"${version.replace(/[.+]/g, "[$&]")}"`;
}
