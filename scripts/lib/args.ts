// Argument parsing on Node's util.parseArgs, with "did you mean" errors.

import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "./errors.ts";
import { formatDidYouMean } from "./suggest.ts";
import { GLOBAL_FLAGS, type FlagSpecs, type GlobalFlags } from "./taskdef.ts";

export interface ParsedCommand {
  taskName?: string;
  globals: GlobalFlags;
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** The first argument that is not a global flag (or a global flag's value). */
export function findTaskName(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") return argv[i + 1];
    if (!arg.startsWith("-")) return arg;
    if (arg === "--root") i++;
  }
  return undefined;
}

export function parseCommand(argv: readonly string[], taskName: string | undefined, taskFlags: FlagSpecs): ParsedCommand {
  const options: FlagSpecs = { ...GLOBAL_FLAGS, ...taskFlags };
  const config: ParseArgsConfig = {
    args: [...argv],
    options: Object.fromEntries(
      Object.entries(options).map(([name, spec]) => [name, { type: spec.type, multiple: spec.type === "string" && spec.multiple === true, ...(spec.short ? { short: spec.short } : {}) }]),
    ),
    strict: true,
    allowPositionals: true,
  };

  let parsed;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    throw explainParseError(error as Error & { code?: string }, taskName, Object.keys(options));
  }

  const positionals = [...parsed.positionals];
  if (taskName !== undefined) positionals.splice(positionals.indexOf(taskName), 1);
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  return { taskName, globals: pickGlobals(values), flags: values, positionals };
}

function pickGlobals(values: Record<string, unknown>): GlobalFlags {
  return {
    root: values.root as string | undefined,
    "dry-run": values["dry-run"] === true,
    verbose: values.verbose === true,
    quiet: values.quiet === true,
    json: values.json === true,
    help: values.help === true,
    list: values.list === true,
    version: values.version === true,
  };
}

function explainParseError(error: Error & { code?: string }, taskName: string | undefined, known: string[]): Error {
  const where = taskName ? `${taskName} --help` : "--help";
  const unknown = error.message.match(/Unknown option '(-{1,2}[^']+)'/);
  if (unknown) {
    const name = unknown[1].replace(/^-+/, "").split("=")[0];
    const suggestion = formatDidYouMean(name, known);
    const hint = suggestion.startsWith("did you mean") ? `${suggestion.replace(/"([^"]+)"/, '"--$1"')} (all flags: ${where})` : `see ${where} for the valid flags`;
    return usageError(`unknown flag ${unknown[1]}${taskName ? ` for ${taskName}` : ""}`, hint);
  }

  const missing = error.message.match(/Option '(?:-\w, )?(-{1,2}[\w-]+)[^']*' argument missing/);
  if (missing) return usageError(`flag ${missing[1]} needs a value`, `write ${missing[1]} VALUE (see ${where})`);

  const noValue = error.message.match(/Option '(?:-\w, )?(-{1,2}[\w-]+)' does not take an argument/);
  if (noValue) return usageError(`flag ${noValue[1]} takes no value`, `write ${noValue[1]} alone (see ${where})`);

  const ambiguous = error.message.match(/Option '(?:-\w, )?(-{1,2}[\w-]+)' argument is ambiguous/);
  if (ambiguous) return usageError(`the value after ${ambiguous[1]} starts with "-" and looks like a flag`, `write ${ambiguous[1]}=VALUE if the value really starts with "-"`);

  return usageError(error.message.split("\n")[0], `see ${where}`);
}
