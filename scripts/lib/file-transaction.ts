// Writes a set of files all or none. Every new content is first written
// beside its target; only when all of them are on disk are they renamed into
// place, in one synchronous critical section. A failure part way puts back
// the files already replaced; so does an interruption before the caller
// declares the change final (e.g. while `git commit` runs).

import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { explainWriteError, getTempPathBeside, syncFile } from "./atomic.ts";
import { taskFailure } from "./errors.ts";
import { critical, onInterrupt } from "./signals.ts";

export interface FileChange {
  /** Absolute path. */
  path: string;
  /** The new content; null deletes the file. */
  content: string | null;
}

export interface AppliedChanges {
  /** Puts every file back as it was. Synchronous, so a signal handler can run it. */
  rollback(): void;
  /** The changes are final: forget the originals. */
  keep(): void;
}

export interface ApplyOptions {
  /**
   * Asked before an interruption rolls the files back. Return false when the
   * change was already recorded elsewhere (the commit went through).
   */
  shouldRollbackOnInterrupt?: () => boolean;
}

interface Entry extends FileChange {
  original: Buffer | null;
  mode?: number;
  temp?: string;
  /** The first directory this change had to create, removed on rollback. */
  createdDir?: string;
  applied: boolean;
}

export async function applyFileChanges(changes: readonly FileChange[], options: ApplyOptions = {}): Promise<AppliedChanges> {
  const entries: Entry[] = changes.map((change) => ({ ...change, ...readOriginal(change.path), applied: false }));
  let settled = false;

  const restore = () => {
    restoreOriginals(entries);
    removeCreatedDirs(entries);
  };
  // Also runs when the task ends normally without keep(): a release that
  // returns (or throws) before its commit leaves no half-done files.
  const forget = onInterrupt(() => {
    removeTemps(entries);
    if (!settled && (options.shouldRollbackOnInterrupt?.() ?? true)) restore();
  });

  try {
    for (const entry of entries) stage(entry);
    await critical(() => {
      for (const entry of entries) swapIn(entry);
    });
  } catch (error) {
    settled = true;
    removeTemps(entries);
    restore();
    forget();
    throw error;
  }

  return {
    rollback() {
      if (settled) return;
      settled = true;
      restore();
      forget();
    },
    keep() {
      settled = true;
      forget();
    },
  };
}

function readOriginal(path: string): Pick<Entry, "original" | "mode"> {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw taskFailure(`${path} is a directory, not a file; nothing was written`, { hint: `restore it with git checkout -- ${path}` });
    return { original: readFileSync(path), mode: stat.mode & 0o7777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { original: null };
    throw error;
  }
}

function stage(entry: Entry): void {
  if (entry.content === null) return;
  const temp = getTempPathBeside(entry.path, "release");
  try {
    entry.createdDir = mkdirSync(dirname(entry.path), { recursive: true });
    entry.temp = temp;
    writeFileSync(temp, entry.content, { mode: entry.mode ?? 0o644 });
    syncFile(temp);
  } catch (error) {
    throw explainWriteError(error, entry.path);
  }
}

function swapIn(entry: Entry): void {
  try {
    if (entry.content === null) rmSync(entry.path, { force: true });
    else renameSync(entry.temp!, entry.path);
    entry.applied = true;
  } catch (error) {
    throw explainWriteError(error, entry.path);
  }
}

function restoreOriginals(entries: Entry[]): void {
  for (const entry of entries.filter((e) => e.applied).reverse()) {
    if (entry.original === null) rmSync(entry.path, { force: true });
    else writeFileSync(entry.path, entry.original, { mode: entry.mode });
    entry.applied = false;
  }
}

function removeTemps(entries: Entry[]): void {
  for (const entry of entries) if (entry.temp) rmSync(entry.temp, { force: true });
}

function removeCreatedDirs(entries: Entry[]): void {
  for (const entry of entries) if (entry.createdDir) rmSync(entry.createdDir, { recursive: true, force: true });
}
