// Plan, then run. A task describes its work as steps; each step says what it
// would run and why (or why not). The executor runs independent steps
// concurrently, reports each with its duration, and lets the steps that can
// finish finish before reporting the first failure.

import { isNoetlError } from "./errors.ts";
import type { Staleness } from "./fingerprint.ts";
import { formatArgv, type Logger } from "./log.ts";
import { isInterrupted, throwIfInterrupted } from "./signals.ts";

export interface Step {
  id: string;
  /** Argv of the main commands, shown by --dry-run. */
  commands: readonly (readonly string[])[];
  /** Steps that must finish first. */
  needs?: readonly string[];
  check(): Promise<Staleness>;
  /** Does the work; returns a short description of the result. */
  run(): Promise<string | undefined>;
}

export type StepStatus = "built" | "skipped" | "failed" | "would-run" | "would-skip" | "not-run";

export interface StepOutcome {
  id: string;
  status: StepStatus;
  reason: string;
  ms: number;
  detail?: string;
}

export interface RunPlanOptions {
  log: Logger;
  dryRun: boolean;
  force: boolean;
}

export async function runPlan(steps: readonly Step[], options: RunPlanOptions): Promise<StepOutcome[]> {
  const started = new Map<string, Promise<StepOutcome>>();
  const failures: unknown[] = [];

  const start = (step: Step): Promise<StepOutcome> => {
    let promise = started.get(step.id);
    if (!promise) {
      promise = runStep(step, steps, start, options, failures);
      started.set(step.id, promise);
    }
    return promise;
  };

  const outcomes = await Promise.all(steps.map(start));
  if (failures.length > 0) throw failures[0];
  return outcomes;
}

async function runStep(step: Step, all: readonly Step[], start: (s: Step) => Promise<StepOutcome>, options: RunPlanOptions, failures: unknown[]): Promise<StepOutcome> {
  const { log, dryRun, force } = options;
  const dependencies = await Promise.all((step.needs ?? []).map((id) => start(findStep(all, id))));
  if (dependencies.some((d) => d.status === "failed" || d.status === "not-run")) {
    return { id: step.id, status: "not-run", reason: "a step it needs failed", ms: 0 };
  }

  const begin = performance.now();
  try {
    // check() also gathers the inputs that run() records, so it runs under --force too.
    const checked = await step.check();
    const staleness = force ? { stale: true, reason: "--force" } : checked;
    if (dryRun) return reportDryRun(step, staleness, log);
    if (!staleness.stale) {
      log.emit({ kind: "step-skip", step: step.id, reason: staleness.reason });
      return { id: step.id, status: "skipped", reason: staleness.reason, ms: performance.now() - begin };
    }

    throwIfInterrupted();
    log.emit({ kind: "step-start", step: step.id, reason: staleness.reason });
    const detail = await step.run();
    const ms = performance.now() - begin;
    log.emit({ kind: "step-done", step: step.id, ms, detail });
    return { id: step.id, status: "built", reason: staleness.reason, ms, detail };
  } catch (error) {
    const ms = performance.now() - begin;
    failures.push(error);
    // A step whose command was stopped by Ctrl-C did not fail: the
    // interruption message says what happened.
    if (!isInterrupted()) log.emit({ kind: "step-fail", step: step.id, ms, message: isNoetlError(error) ? error.message : String(error) });
    return { id: step.id, status: "failed", reason: String((error as Error).message ?? error), ms };
  }
}

function reportDryRun(step: Step, staleness: Staleness, log: Logger): StepOutcome {
  const status = staleness.stale ? "would-run" : "would-skip";
  log.info(`${step.id}: ${staleness.stale ? "would run" : "would skip"} (${staleness.reason})`);
  for (const argv of staleness.stale ? step.commands : []) log.info(`  [dry-run] ${formatArgv(argv)}`);
  return { id: step.id, status, reason: staleness.reason, ms: 0 };
}

function findStep(all: readonly Step[], id: string): Step {
  const step = all.find((s) => s.id === id);
  if (!step) throw new Error(`internal: step "${id}" is not in the plan`);
  return step;
}
