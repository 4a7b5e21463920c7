// Writes that are all-or-nothing: data goes to a temporary file beside the
// target and is renamed over it, so an interruption leaves the old file, and
// a running binary keeps its old inode instead of failing with ETXTBSY.

import { randomBytes } from "node:crypto";
import { closeSync, copyFileSync, chmodSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { taskFailure } from "./errors.ts";
import { onInterrupt } from "./signals.ts";

export function getTempPathBeside(target: string, tag = "tmp"): string {
  return join(dirname(target), `.${basename(target)}.${tag}-${process.pid}-${randomBytes(3).toString("hex")}`);
}

export function writeFileAtomic(target: string, data: string | Uint8Array, mode?: number): void {
  replaceAtomically(target, (temp) => writeFileSync(temp, data, { mode }));
}

/** Copies a built file into place; `mode` defaults to the source's. */
export function installFileAtomic(source: string, target: string, mode = 0o755): void {
  replaceAtomically(target, (temp) => {
    copyFileSync(source, temp);
    chmodSync(temp, mode);
  });
}

/** Fills a temporary file beside the target, flushes it, renames it over the target. */
function replaceAtomically(target: string, fill: (temp: string) => void): void {
  mkdirSync(dirname(target), { recursive: true });
  const temp = getTempPathBeside(target);
  const forget = onInterrupt(() => rmSync(temp, { force: true }));
  try {
    fill(temp);
    syncFile(temp);
    replaceFile(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw explainWriteError(error, target);
  } finally {
    forget();
  }
}

function replaceFile(temp: string, target: string): void {
  // Windows cannot rename over a running .exe, but it can rename the running
  // file away; the old copy is removed on the next install.
  if (process.platform === "win32" && existsSync(target)) {
    const old = `${target}.old`;
    rmSync(old, { force: true });
    renameSync(target, old);
  }
  renameSync(temp, target);
}

/** Flushes a file to disk, so a rename after it never exposes an empty file. */
export function syncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function explainWriteError(error: unknown, target: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOSPC") return taskFailure(`no space left on the device while writing ${target}; the previous file was kept`, { hint: "free some disk space and run the task again", cause: error });
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return taskFailure(`cannot write ${target} (${code}); the previous file was kept`, { hint: `make ${dirname(target)} writable for this user, or run from a writable checkout`, cause: error });
  }
  return error as Error;
}
