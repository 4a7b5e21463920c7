// What a release starts from, and the refusals: each one line that names
// the command that fixes it. All of them run before anything is written.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { taskFailure } from "../../lib/errors.ts";
import type { Git } from "../../lib/git.ts";
import { CHANGESET_CONFIG, findForeignChangesets, readChangesets, readPreModeTag, type Changeset } from "../../lib/pending-changesets.ts";
import { formatDisagreement, readVersionSources, RELEASE_PACKAGE, summarizeVersions, type LoadedSource, type VersionSummary } from "../../lib/version-sources.ts";

export interface ReleaseState {
  root: string;
  /** .changeset/config.json exists. */
  initialized: boolean;
  /** The release package's name, which changesets must name. */
  packageName?: string;
  sources: LoadedSource[];
  summary: VersionSummary;
  changesets: Changeset[];
  /** Changesets that bump the release package. */
  pending: Changeset[];
  preTag?: string;
}

export interface RepositoryFacts {
  topLevel: string;
  gitDir: string;
  head: string;
  branch?: string;
}

/** Builds `npx tsx Taskfile.ts release ...` with the --root the user gave. */
export type CommandHint = (args: string) => string;

export function loadReleaseState(root: string): ReleaseState {
  const initialized = existsSync(join(root, CHANGESET_CONFIG));
  const sources = readVersionSources(root);
  const packageName = readPackageName(sources);
  const changesets = initialized ? readChangesets(root) : [];
  const pending = changesets.filter((c) => c.releases.some((r) => r.name === packageName && r.type !== "none"));

  return { root, initialized, packageName, sources, summary: summarizeVersions(sources), changesets, pending, preTag: initialized ? readPreModeTag(root) : undefined };
}

export function requireInitialized(state: ReleaseState, hint: CommandHint): void {
  const missing = [CHANGESET_CONFIG, RELEASE_PACKAGE].filter((path) => !existsSync(join(state.root, path)));
  if (missing.length === 0) return;
  throw taskFailure(`${state.root} is not set up for releases (no ${missing.join(" and no ")})`, { hint: `run \`${hint("init")}\` and commit what it creates` });
}

/** The one version every source carries. */
export function requireAgreement(state: ReleaseState, hint: CommandHint): string {
  const { summary } = state;
  if (summary.agree && summary.version) return summary.version;

  const target = summary.highest ? `aligns them to ${summary.highest}, the highest` : "pass --to X.Y.Z";
  throw taskFailure(`version sources disagree: ${formatDisagreement(summary)}`, { hint: `run \`${hint("sync")}\` (${target}) and commit, then release` });
}

export function requirePending(state: ReleaseState): Changeset[] {
  const foreign = findForeignChangesets(state.changesets, state.packageName ?? "");
  if (foreign.length > 0) {
    const names = [...new Set(foreign.flatMap((c) => c.releases.map((r) => r.name)).filter((n) => n !== state.packageName))];
    throw taskFailure(`${foreign[0].file} names ${names.map((n) => `"${n}"`).join(", ")}, but the release package is "${state.packageName}"`, {
      hint: `name "${state.packageName}" in the changeset's front matter: every NoETL version file follows that one package`,
    });
  }
  if (state.pending.length > 0) return state.pending;

  throw taskFailure("no pending changesets: nothing to release", {
    hint: `add one: run \`npx @changesets/cli add\` in ${state.root}, or write ${CHANGESET_CONFIG.replace("config.json", "NAME.md")} (see .changeset/README.md)`,
  });
}

export async function checkRepository(git: Git, needs: { clean: boolean; branch: boolean }): Promise<RepositoryFacts> {
  const topLevel = await git.getTopLevel();
  if (!topLevel) throw taskFailure("not a git repository: a release is a commit and a tag", { hint: "run the release inside the NoETL git checkout (or git init, then commit the workspace)" });

  const head = await git.getHead();
  if (!head) throw taskFailure("the repository has no commits yet", { hint: "commit the workspace first (git add -A && git commit)" });

  const branch = await git.getBranch();
  if (needs.branch && !branch) throw taskFailure("HEAD is detached: there is no branch to commit the release on", { hint: "switch to the branch you release from (git switch main)" });

  if (needs.clean) {
    const changes = await git.listChanges();
    if (changes.length > 0) {
      const shown = changes.slice(0, 3).map((line) => line.slice(3)).join(", ");
      throw taskFailure(`the working tree has uncommitted changes (${shown}${changes.length > 3 ? `, and ${changes.length - 3} more` : ""})`, {
        hint: "commit or stash them (git stash --include-untracked), then run the release again",
      });
    }
  }
  return { topLevel, gitDir: await git.getGitDir(), head, branch };
}

export async function requireNewTag(git: Git, tag: string): Promise<void> {
  if (!(await git.hasTag(tag))) return;
  throw taskFailure(`tag ${tag} already exists: that version was released`, { hint: `add a changeset for the next version, or delete the tag if it was a mistake (git tag -d ${tag})` });
}

function readPackageName(sources: readonly LoadedSource[]): string | undefined {
  const text = sources.find((s) => s.file.path === RELEASE_PACKAGE)?.text;
  if (text === undefined) return undefined;
  try {
    return (JSON.parse(text) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** A workspace file's text, or undefined when it does not exist. */
export function readWorkspaceFile(root: string, path: string): string | undefined {
  return existsSync(join(root, path)) ? readFileSync(join(root, path), "utf8") : undefined;
}
