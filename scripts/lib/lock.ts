// One task at a time per workspace. The lock file records who holds it; a
// lock whose process is gone (killed run) is detected and cleared.

import { hostname } from "node:os";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { taskFailure } from "./errors.ts";
import type { Logger } from "./log.ts";
import { onInterrupt } from "./signals.ts";

interface LockOwner {
  pid: number;
  host: string;
  task: string;
  startedAt: string;
}

export interface Lock {
  release(): void;
}

export async function acquireLock(path: string, task: string, log: Logger, timeoutMs: number): Promise<Lock> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;

  for (;;) {
    const owner: LockOwner = { pid: process.pid, host: hostname(), task, startedAt: new Date().toISOString() };
    if (tryCreate(path, owner)) return holdLock(path);

    const holder = readOwner(path);
    if (holder === "gone") continue;
    if (holder === undefined && !isOlderThan(path, 5_000)) {
      // Another run created the file and has not written its owner yet.
      await sleep(50);
      continue;
    }
    if (!holder || isStale(holder)) {
      log.warn(`cleared a stale lock ${holder ? `left by ${holder.task} (pid ${holder.pid}, started ${holder.startedAt})` : "that could not be read"}`);
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw taskFailure(`another ${holder.task} (pid ${holder.pid}) has been running on this workspace since ${holder.startedAt}`, {
        hint: `wait for it to finish, raise --lock-timeout, or delete ${path} if that process is gone`,
      });
    }
    if (!announced) log.info(`waiting for ${holder.task} (pid ${holder.pid}) to finish on this workspace...`);
    announced = true;
    await sleep(200);
  }
}

function tryCreate(path: string, owner: LockOwner): boolean {
  try {
    writeFileSync(path, JSON.stringify(owner), { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

function readOwner(path: string): LockOwner | "gone" | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockOwner;
  } catch (error) {
    // Released between our create attempt and this read: just try again.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    return undefined;
  }
}

export function isStale(owner: LockOwner): boolean {
  // A lock from another machine (shared network checkout) cannot be checked.
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function isOlderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return true;
  }
}

function holdLock(path: string): Lock {
  const release = () => rmSync(path, { force: true });
  const forget = onInterrupt(release);
  return {
    release() {
      forget();
      release();
    },
  };
}
