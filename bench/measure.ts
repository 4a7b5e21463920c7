// Repeated timings, taken round-robin: run 1 of every tool, then run 2 of
// every tool... On a shared machine the load drifts over minutes; rotating
// spreads that drift over all tools instead of charging it to one.

import { run, type RunResult } from "./exec.ts";
import { summarize, type Summary } from "./stats.ts";
import type { Invocation } from "./tools.ts";

export interface Trial<K extends string> {
  /** Untimed preparation (fresh copy, an edit, a deleted output). */
  before?(id: K, index: number): void | Promise<void>;
  invoke(id: K): Invocation;
  /** Untimed check of what the run left behind. */
  after?(id: K, index: number, result: RunResult): void | Promise<void>;
}

export interface MeasureOptions {
  env: NodeJS.ProcessEnv;
  label: string;
}

export async function measureRoundRobin<K extends string>(
  ids: readonly K[],
  runs: number,
  trial: Trial<K>,
  options: MeasureOptions
): Promise<Record<K, Summary>> {
  const samples = Object.fromEntries(ids.map((id) => [id, [] as number[]])) as Record<K, number[]>;
  progress(`  ${options.label} `);

  for (let index = 0; index < runs; index++) {
    for (const id of ids) {
      await trial.before?.(id, index);
      const { argv, cwd } = trial.invoke(id);
      const result = await run(argv, { cwd, env: options.env, timeoutMs: 1_800_000 });
      samples[id].push(result.ms);
      await trial.after?.(id, index, result);
      progress(".");
    }
  }
  progress("\n");
  return Object.fromEntries(ids.map((id) => [id, summarize(samples[id])])) as Record<K, Summary>;
}

/** Times one async block (for things that are not a single command). */
export async function timeBlock(block: () => Promise<unknown>): Promise<number> {
  const begin = performance.now();
  await block();
  return performance.now() - begin;
}

export function progress(text: string): void {
  process.stderr.write(text);
}
