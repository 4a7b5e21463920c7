// Installs a build output directory (ui-src/dist) into a target directory
// (noetl/core/ui) as one swap: a staging copy is assembled beside the target,
// holding the new build plus every file the previous build did not write
// (the .gitignore, a user's own files), then swapped in with two renames
// inside a critical section. A crash between the renames is repaired by
// recoverTree() on the next run.

import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { explainWriteError, getTempPathBeside } from "./atomic.ts";
import { critical, onInterrupt } from "./signals.ts";

export interface TreeInstall {
  /** Files (relative, "/"-separated) now owned by the build. */
  written: string[];
  /** Files kept because an earlier build did not write them. */
  preserved: string[];
}

export function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(root);
  return files.sort();
}

export async function installTreeAtomic(source: string, target: string, previouslyWritten: readonly string[]): Promise<TreeInstall> {
  recoverTree(target);
  const written = listFiles(source);
  const ownedBefore = new Set(previouslyWritten);
  const preserved = listFiles(target).filter((file) => !ownedBefore.has(file) && !written.includes(file));

  const staging = getTempPathBeside(target, "staging");
  const forget = onInterrupt(() => rmSync(staging, { recursive: true, force: true }));
  try {
    mkdirSync(staging, { recursive: true });
    for (const file of preserved) cpSync(join(target, file), join(staging, file), { preserveTimestamps: true });
    cpSync(source, staging, { recursive: true });
    await critical(() => swapIn(staging, target));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw explainWriteError(error, target);
  } finally {
    forget();
  }
  return { written, preserved };
}

function swapIn(staging: string, target: string): void {
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    renameSync(staging, target);
    return;
  }
  const old = getTempPathBeside(target, "old");
  renameSync(target, old);
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
}

/** Undoes a swap cut short by SIGKILL or a power loss, and drops leftovers. */
export function recoverTree(target: string): void {
  const parent = dirname(target);
  if (!existsSync(parent)) return;

  const prefix = `.${basename(target)}.`;
  const leftovers = readdirSync(parent).filter((name) => name.startsWith(prefix));
  for (const name of leftovers) {
    const path = join(parent, name);
    if (name.startsWith(`${prefix}old-`) && !existsSync(target) && statSync(path).isDirectory()) renameSync(path, target);
    else rmSync(path, { recursive: true, force: true });
  }
}
