// The release as data: the version it picks, every file it writes (with its
// old and new text), the changelog entry and the tag. Computed without
// writing into the workspace, so --dry-run prints exactly what a real run
// then applies.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runChangesetVersion } from "../../lib/changeset-version.ts";
import { taskFailure } from "../../lib/errors.ts";
import type { Exec } from "../../lib/exec.ts";
import type { FileChange } from "../../lib/file-transaction.ts";
import { CHANGESET_DIR, type Changeset } from "../../lib/pending-changesets.ts";
import { RELEASE_PACKAGE, renderVersionChanges } from "../../lib/version-sources.ts";
import type { ReleaseState, RepositoryFacts } from "./state.ts";

export type FileRole = "version" | "changelog" | "changeset" | "setup";

export interface PlannedFile {
  /** Relative to the workspace root. */
  path: string;
  /** Null: the file does not exist yet (before) or is deleted (after). */
  before: string | null;
  after: string | null;
  role: FileRole;
}

export interface ReleasePlan {
  from: string;
  version: string;
  tag: string;
  changesets: Changeset[];
  files: PlannedFile[];
  changelogEntry?: string;
}

export const CHANGELOG = "CHANGELOG.md";

export function getTagName(version: string): string {
  return `v${version}`;
}

export async function planRelease(exec: Exec, state: ReleaseState, from: string, repo: RepositoryFacts): Promise<ReleasePlan> {
  const versioned = await runChangesetVersion(exec, { root: state.root, topLevel: repo.topLevel, gitDir: repo.gitDir });
  const pkg = versioned.find((f) => f.path === RELEASE_PACKAGE)?.content;
  const version = pkg ? (JSON.parse(pkg) as { version?: string }).version : undefined;
  if (!version || version === from) {
    throw taskFailure(`\`changeset version\` left ${RELEASE_PACKAGE} at ${from}`, { hint: `check that the changesets in ${CHANGESET_DIR}/ name "${state.packageName}" with major, minor or patch` });
  }

  // Our rewrite of every version file first; changesets' own output (the
  // release package, CHANGELOG.md, applied changesets) takes precedence.
  const files = new Map<string, PlannedFile>();
  for (const rewrite of renderVersionChanges(state.sources, version)) files.set(rewrite.path, { ...rewrite, role: "version" });
  for (const file of versioned) {
    files.set(file.path, { path: file.path, before: readOrNull(state.root, file.path), after: file.content, role: getRole(file.path) });
  }

  const changelog = files.get(CHANGELOG)?.after ?? undefined;
  return {
    from,
    version,
    tag: getTagName(version),
    changesets: state.pending,
    files: [...files.values()].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.path.localeCompare(b.path)),
    changelogEntry: changelog ? extractChangelogEntry(changelog, version) : undefined,
  };
}

/** Every version file set to `version`; no changelog, no changeset applied. */
export function planSync(state: ReleaseState, version: string): PlannedFile[] {
  return renderVersionChanges(state.sources, version).map((rewrite) => ({ ...rewrite, role: "version" }));
}

/** The `## X.Y.Z` section of a changesets changelog, heading included. */
export function extractChangelogEntry(changelog: string, version: string): string | undefined {
  const lines = changelog.split("\n");
  const start = lines.findIndex((line) => line.trim() === `## ${version}`);
  if (start < 0) return undefined;

  const next = lines.findIndex((line, i) => i > start && /^##\s/.test(line));
  return lines.slice(start, next < 0 ? lines.length : next).join("\n").trim();
}

export function toFileChanges(root: string, files: readonly PlannedFile[]): FileChange[] {
  return files.map((file) => ({ path: join(root, file.path), content: file.after }));
}

const ROLE_ORDER: readonly FileRole[] = ["setup", "version", "changelog", "changeset"];

function getRole(path: string): FileRole {
  if (path === CHANGELOG) return "changelog";
  if (path.startsWith(`${CHANGESET_DIR}/`)) return "changeset";
  return "version";
}

function readOrNull(root: string, path: string): string | null {
  const full = join(root, path);
  return existsSync(full) ? readFileSync(full, "utf8") : null;
}
