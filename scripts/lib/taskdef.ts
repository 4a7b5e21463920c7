// Types for registering tasks. Flag value types are derived from the flag
// definitions, so a task's `ctx.flags` can never disagree with its --help.

import type { Exec } from "./exec.ts";
import type { Host } from "./host.ts";
import type { Logger } from "./log.ts";
import type { Workspace } from "./workspace.ts";

export type FlagSpec =
  | { type: "boolean"; description: string; short?: string }
  | { type: "string"; description: string; short?: string; multiple?: false; valueName?: string }
  | { type: "string"; description: string; short?: string; multiple: true; valueName?: string };

export type FlagSpecs = Record<string, FlagSpec>;

export type FlagValues<F extends FlagSpecs> = {
  [K in keyof F]: F[K] extends { type: "boolean" } ? boolean : F[K] extends { multiple: true } ? string[] : string | undefined;
};

export const GLOBAL_FLAGS = {
  root: { type: "string", valueName: "DIR", description: "NoETL workspace (default: $NOETL_ROOT, else the nearest ancestor that looks like one)" },
  "dry-run": { type: "boolean", description: "print every command that would run, run none" },
  verbose: { type: "boolean", short: "v", description: "show commands and their output" },
  quiet: { type: "boolean", short: "q", description: "show only warnings and errors" },
  json: { type: "boolean", description: "machine-readable result on stdout (events on stderr as JSON lines)" },
  help: { type: "boolean", short: "h", description: "show help" },
  list: { type: "boolean", description: "list the tasks (with --json: as JSON)" },
  version: { type: "boolean", description: "print this tool's version" },
} as const satisfies FlagSpecs;

export type GlobalFlags = FlagValues<typeof GLOBAL_FLAGS>;

export interface TaskContext<F extends FlagSpecs> {
  task: string;
  flags: FlagValues<F>;
  positionals: string[];
  globals: GlobalFlags;
  log: Logger;
  exec: Exec;
  host: Host;
  /** Resolved lazily: `generate` and `doctor` work outside a workspace. */
  workspace(): Workspace;
}

/** What a task hands back: printed as JSON with --json, else summarised by the task. */
export type TaskResult = Record<string, unknown> | void;

export interface TaskModule<F extends FlagSpecs> {
  run(ctx: TaskContext<F>): Promise<TaskResult>;
}

export interface TaskDefinition<F extends FlagSpecs> {
  name: string;
  aliases: readonly string[];
  description: string;
  flags: F;
  /** Positional arguments after the task name, e.g. release's `status`. */
  positionals?: { usage: string; allowed: readonly string[] };
  load(): Promise<TaskModule<F>>;
}

export function defineTask<F extends FlagSpecs>(definition: TaskDefinition<F>): TaskDefinition<F> {
  return definition;
}
