// Interruption handling. On SIGINT/SIGTERM every child is stopped, a critical
// section in progress (a rename that swaps outputs in) is allowed to finish,
// cleanups run (temp files, the workspace lock), and the process exits
// 130/143 with the previous outputs intact.

import { interrupted } from "./errors.ts";

type Signal = "SIGINT" | "SIGTERM";

let pending: Signal | undefined;
let criticalDepth = 0;
let stopped: Promise<void> | undefined;
const cleanups = new Set<() => void>();
let onFinish: (signal: Signal) => void = () => {};
// exec.ts registers how to stop its children; kept as a hook so that this
// module (loaded on every error path) does not pull in zx.
let stopChildren: (signal: NodeJS.Signals) => Promise<void> = async () => {};

export function registerChildStopper(stopper: (signal: NodeJS.Signals) => Promise<void>): void {
  stopChildren = stopper;
}

let installed = false;

export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  process.on("SIGINT", () => handle("SIGINT"));
  process.on("SIGTERM", () => handle("SIGTERM"));
}

/** What to tell the user once a running task has been stopped. */
export function setInterruptReport(report: (signal: Signal) => void): void {
  onFinish = report;
}

export function isInterrupted(): boolean {
  return pending !== undefined;
}

/** Call between steps: once a signal arrived, no new work starts. */
export function throwIfInterrupted(): void {
  if (pending) throw interrupted(pending);
}

/** Runs a short, synchronous-in-spirit section that a signal must not split. */
export async function critical<T>(section: () => Promise<T> | T): Promise<T> {
  throwIfInterrupted();
  criticalDepth++;
  try {
    return await section();
  } finally {
    criticalDepth--;
    if (criticalDepth === 0 && pending) void finish(pending);
  }
}

/** Registers work to undo on interruption; returns its deregistration. */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Runs registered cleanups now (the normal exit path calls this too). */
export function runCleanups(): void {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // A cleanup must never mask the exit status.
    }
  }
  cleanups.clear();
}

/** Resolves when the interrupt handler is done, so callers can simply wait. */
export function waitForInterruptExit(): Promise<never> {
  return new Promise(() => {});
}

function handle(signal: Signal): void {
  if (pending) {
    // A second Ctrl-C means "now": skip the wait for children.
    runCleanups();
    process.exit(signal === "SIGINT" ? 130 : 143);
  }
  pending = signal;
  stopped = stopChildren("SIGTERM");
  if (criticalDepth === 0) void finish(signal);
}

async function finish(signal: Signal): Promise<void> {
  await stopped;
  if (criticalDepth > 0) return;

  runCleanups();
  onFinish(signal);
  process.exit(signal === "SIGINT" ? 130 : 143);
}
