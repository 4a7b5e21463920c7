// Runs `changeset version` on a scratch copy of the release package, its
// .changeset/ folder and CHANGELOG.md, and returns what it changed instead of
// letting it write into the workspace. The release then writes those changes
// together with the other version files, all or none; --dry-run shows them.
//
// The copy sits at the same path below a scratch top directory as the
// workspace sits below the repository, and git is pointed at the real
// repository (GIT_DIR, GIT_WORK_TREE): changesets asks `git log` which commit
// added each changeset, and the changelog names it.

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import type { Exec } from "./exec.ts";
import { CHANGESET_CONFIG, CHANGESET_DIR } from "./pending-changesets.ts";
import { onInterrupt } from "./signals.ts";
import { RELEASE_PACKAGE } from "./version-sources.ts";

export interface VersionedFile {
  /** Relative to the workspace root, with forward slashes. */
  path: string;
  /** The new content; null when changesets deleted the file (an applied changeset). */
  content: string | null;
}

export interface ChangesetVersionInput {
  root: string;
  /** The repository's top directory and git directory. */
  topLevel: string;
  gitDir: string;
}

const CHANGELOG = "CHANGELOG.md";
// changesets formats CHANGELOG.md with prettier, which reads these.
const PRETTIER_CONFIG = /^(\.prettierrc(\.\w+)?|prettier\.config\.[cm]?js)$/;

export function getChangesetBin(): string {
  const pkg = createRequire(import.meta.url).resolve("@changesets/cli/package.json");
  return join(dirname(pkg), "bin.js");
}

export async function runChangesetVersion(exec: Exec, input: ChangesetVersionInput): Promise<VersionedFile[]> {
  const scratch = mkdtempSync(join(tmpdir(), "noetl-release-"));
  const forget = onInterrupt(() => rmSync(scratch, { recursive: true, force: true }));
  const work = join(scratch, relative(input.topLevel, input.root));

  try {
    copyInputs(input.root, work);
    const before = snapshotFiles(work);

    // Read-only for the workspace: it writes only inside the scratch copy,
    // so --dry-run runs it too.
    await exec([process.execPath, getChangesetBin(), "version"], {
      cwd: work,
      env: { GIT_DIR: input.gitDir, GIT_WORK_TREE: scratch },
      readOnly: true,
      hint: `check the changesets in ${CHANGESET_DIR}/ and ${CHANGESET_CONFIG}`,
    });
    return diffSnapshots(before, snapshotFiles(work));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    forget();
  }
}

function copyInputs(root: string, work: string): void {
  cpSync(join(root, CHANGESET_DIR), join(work, CHANGESET_DIR), { recursive: true });
  for (const name of readdirSync(root)) {
    if (name === RELEASE_PACKAGE || name === CHANGELOG || PRETTIER_CONFIG.test(name)) cpSync(join(root, name), join(work, name), { recursive: true });
  }

  // With commit: true changesets would run `git commit` against the real
  // repository from the scratch tree; the release commits by itself.
  const configPath = join(work, CHANGESET_CONFIG);
  const config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
  writeFileSync(configPath, JSON.stringify({ ...config, commit: false }, null, 2));
}

function snapshotFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    if (!existsSync(current)) return;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path).split(sep).join("/"), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return files;
}

function diffSnapshots(before: Map<string, string>, after: Map<string, string>): VersionedFile[] {
  const changes: VersionedFile[] = [];
  for (const [path, content] of after) {
    if (before.get(path) !== content) changes.push({ path, content });
  }
  for (const path of before.keys()) if (!after.has(path)) changes.push({ path, content: null });
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}
