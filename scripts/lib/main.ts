// The entry point behind Taskfile.ts: parse, list, help, dispatch. It is the
// only place that turns an error into an exit status.

import { readFileSync } from "node:fs";
import { findTaskName, parseCommand } from "./args.ts";
import { formatErrorLine, isNoetlError, usageError, type NoetlError } from "./errors.ts";
import { Logger, type Verbosity } from "./log.ts";
import { findNearest, formatDidYouMean } from "./suggest.ts";
import { installSignalHandlers } from "./signals.ts";
import { GLOBAL_FLAGS, type FlagSpecs, type GlobalFlags, type TaskDefinition } from "./taskdef.ts";

export type Registry = readonly TaskDefinition<FlagSpecs>[];

export async function runMain(registry: Registry, argv: readonly string[]): Promise<number> {
  // From the first moment: a signal before any work starts still exits
  // 130/143 through the same path (nothing to stop, nothing written yet).
  installSignalHandlers();
  try {
    return await dispatch(registry, argv);
  } catch (error) {
    return await reportError(error);
  }
}

async function dispatch(registry: Registry, argv: readonly string[]): Promise<number> {
  const name = findTaskName(argv);
  const task = name === undefined ? undefined : findTask(registry, name);
  if (name !== undefined && !task) {
    throw usageError(`unknown task "${name}"`, `${suggestTask(registry, name)} (list all: npx tsx Taskfile.ts --list)`);
  }

  const command = parseCommand(argv, name, task?.flags ?? {});
  const { globals } = command;
  if (globals.version) return print(readOwnVersion());
  if (globals.list || !task) return globals.help || globals.list || name === undefined ? print(formatList(registry, globals.json)) : 0;
  if (globals.help) return print(formatTaskHelp(task));

  checkPositionals(task, command.positionals);
  if (globals.quiet && globals.verbose) throw usageError("--quiet and --verbose contradict each other", "pass only one of them");

  const { runTask } = await import("./run-task.ts");
  return runTask(task, command.flags, command.positionals, globals, createLogger(globals));
}

export function findTask(registry: Registry, name: string): TaskDefinition<FlagSpecs> | undefined {
  return registry.find((t) => t.name === name || t.aliases.includes(name));
}

function suggestTask(registry: Registry, name: string): string {
  const nearest = findNearest(name, registry.flatMap((t) => [t.name, ...t.aliases]));
  const task = nearest === undefined ? undefined : findTask(registry, nearest);
  return task ? `did you mean "${task.name}"?` : `valid tasks: ${registry.map((t) => t.name).join(", ")}`;
}

export function createLogger(globals: Pick<GlobalFlags, "quiet" | "verbose" | "json">): Logger {
  const verbosity: Verbosity = globals.quiet ? "quiet" : globals.verbose ? "verbose" : "normal";
  return new Logger({ verbosity, json: globals.json });
}

function checkPositionals(task: TaskDefinition<FlagSpecs>, positionals: string[]): void {
  const allowed = task.positionals?.allowed ?? [];
  const extra = positionals.filter((p) => !allowed.includes(p));
  if (extra.length > 0) {
    const fix = allowed.length > 0 ? `${formatDidYouMean(extra[0], allowed)} (usage: ${task.name} ${task.positionals?.usage})` : `${task.name} takes no arguments; see ${task.name} --help`;
    throw usageError(`unexpected argument "${extra[0]}" for ${task.name}`, fix);
  }
  if (positionals.length > 1) throw usageError(`${task.name} takes one of ${allowed.join(", ")}, not several`, `usage: ${task.name} ${task.positionals?.usage}`);
}

function formatList(registry: Registry, json: boolean): string {
  if (json) {
    const tasks = registry.map((t) => ({ name: t.name, aliases: t.aliases, description: t.description, flags: Object.keys(t.flags), subcommands: t.positionals?.allowed ?? [] }));
    return JSON.stringify({ tasks, globalFlags: Object.keys(GLOBAL_FLAGS) }, null, 2);
  }
  const width = Math.max(...registry.map((t) => t.name.length)) + 2;
  const lines = registry.map((t) => `  ${t.name.padEnd(width)}${t.description}${t.aliases.length ? ` (aliases: ${t.aliases.join(", ")})` : ""}`);
  return ["Usage: npx tsx Taskfile.ts TASK [flags]", "", "Tasks:", ...lines, "", "Global flags:", ...formatFlags(GLOBAL_FLAGS), "", "Help for one task: npx tsx Taskfile.ts TASK --help"].join("\n");
}

function formatTaskHelp(task: TaskDefinition<FlagSpecs>): string {
  const usage = `Usage: npx tsx Taskfile.ts ${task.name}${task.positionals ? ` ${task.positionals.usage}` : ""} [flags]`;
  const aliases = task.aliases.length ? [`Aliases: ${task.aliases.join(", ")}`] : [];
  const flags = Object.keys(task.flags).length ? ["", "Flags:", ...formatFlags(task.flags)] : [];
  return [usage, "", task.description, ...aliases, ...flags, "", "Global flags:", ...formatFlags(GLOBAL_FLAGS)].join("\n");
}

function formatFlags(flags: FlagSpecs): string[] {
  const rows = Object.entries(flags).map(([name, spec]) => {
    const value = spec.type === "string" ? ` ${spec.valueName ?? "VALUE"}` : "";
    const short = spec.short ? `-${spec.short}, ` : "    ";
    return [`  ${short}--${name}${value}`, spec.description + ("multiple" in spec && spec.multiple ? " (repeatable)" : "")];
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `${left.padEnd(width)}${right}`);
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

function readOwnVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return `noetl-build ${pkg.version}`;
}

async function reportError(error: unknown): Promise<number> {
  const { isInterrupted, waitForInterruptExit } = await import("./signals.ts");
  // The signal handler owns the exit: children it killed fail on their way out.
  if (isInterrupted()) return waitForInterruptExit();

  if (!isNoetlError(error)) {
    process.stderr.write(`internal error (please report it with the command you ran): ${(error as Error)?.stack ?? String(error)}\n`);
    return 70;
  }
  writeErrorReport(error);
  return error.code;
}

function writeErrorReport(error: NoetlError): void {
  const lines = [formatErrorLine(error)];
  if (error.tail.length > 0) lines.push(...error.tail.map((line) => `  | ${line}`));
  if (error.logPath) lines.push(`  full log: ${error.logPath}`);
  process.stderr.write(`${lines.join("\n")}\n`);
}
