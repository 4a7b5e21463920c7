// The one wrapper through which every external command runs (npm, cargo,
// docker, kubectl, git...). It logs the argv, honours --dry-run, keeps the
// full output in a log file, and stops every child on SIGINT/SIGTERM.

import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname, isAbsolute } from "node:path";
import type { ProcessPromise } from "zx";
import { taskFailure } from "./errors.ts";
import type { Logger } from "./log.ts";
import { registerChildStopper } from "./signals.ts";
import { findExecutable } from "./which.ts";

// zx is loaded on the first command, not before: a no-op run that spawns
// nothing does not pay for it. It runs commands through a shell it looks
// up once; pin it so a PATH changed later cannot lose it. Windows without
// Git Bash falls back to PowerShell, which zx quotes for as well.
let zx: Promise<typeof import("zx")> | undefined;

function loadZx(): Promise<typeof import("zx")> {
  zx ??= import("zx").then((module) => {
    const bash = findExecutable("bash");
    if (bash) module.$.shell = bash;
    else if (process.platform === "win32") module.usePowerShell();
    return module;
  });
  return zx;
}

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin: the only way a secret may reach a command. */
  input?: string;
  /** Full stdout+stderr is appended here; its tail goes into the error. */
  logFile?: string;
  /** Values to mask wherever the command or its output is shown. */
  secrets?: readonly string[];
  /** Fix to suggest when the command fails. */
  hint?: string;
  /** Return a failed result instead of throwing. */
  allowFailure?: boolean;
  /** Stream the child's output to stderr as it comes (default: at --verbose);
   *  "stderr" streams only stderr (for commands whose stdout is JSON). */
  stream?: boolean | "stderr";
  /** Tail the error from stderr only (for commands whose stdout is JSON). */
  tailFrom?: "stderr";
  /** Run even under --dry-run: read-only probes such as `git rev-parse`. */
  readOnly?: boolean;
  timeoutMs?: number;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Exec {
  (argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  readonly dryRun: boolean;
}

const running = new Set<ProcessPromise>();
const globalSecrets = new Set<string>();

/** A value (token, password) to mask in every command, log line and error from now on. */
export function registerSecret(value: string): void {
  if (value.length >= 3) globalSecrets.add(value);
}

export function createExec(log: Logger, dryRun: boolean): Exec {
  const exec = async (argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> => {
    const secrets = options.secrets ?? [];
    const shown = argv.map((arg) => redact(arg, secrets));
    const skip = dryRun && !options.readOnly;
    log.emit({ kind: "command", argv: shown, cwd: options.cwd, dryRun: skip });
    if (skip) return { code: 0, stdout: "", stderr: "" };

    const program = argv[0];
    const result = isAbsolute(program) || findExecutable(program, { ...process.env, ...options.env }) ? await spawnTracked(argv, options, log.isVerbose) : { code: 127, stdout: "", stderr: `${program}: command not found on PATH` };
    if (result.code === 0 || options.allowFailure) return result;

    const output = options.tailFrom === "stderr" ? result.stderr : `${result.stdout}\n${result.stderr}`;
    const tail = lastLines(redact(output, secrets), 15);
    throw taskFailure(`${summarizeArgv(shown)} exited with code ${result.code}`, {
      hint: options.hint ?? (options.logFile ? `read the full log in ${options.logFile}` : undefined),
      tail,
      logPath: options.logFile,
    });
  };
  return Object.assign(exec, { dryRun });
}

async function spawnTracked(argv: readonly string[], options: ExecOptions, verbose: boolean): Promise<ExecResult> {
  const logStream = options.logFile ? openLog(options.logFile, argv, options.secrets ?? []) : undefined;
  const env = { ...process.env, ...options.env } as NodeJS.ProcessEnv;

  // detached: each child leads its own process group, so an interruption can
  // stop the whole tree (npm -> node, cargo -> rustc) and not just the shell.
  const { $ } = await loadZx();
  const child = $({
    cwd: options.cwd,
    env,
    input: options.input,
    quiet: true,
    verbose: false,
    nothrow: true,
    detached: process.platform !== "win32",
    timeout: options.timeoutMs,
  })`${argv}`;
  running.add(child);

  const secrets = options.secrets ?? [];
  // Read-only probes print data (JSON, versions), not progress: never echoed.
  const stream = options.stream ?? (verbose && !options.readOnly);
  const forward = (echo: boolean) => (chunk: Buffer) => {
    const text = redact(chunk.toString(), secrets);
    logStream?.write(text);
    if (echo) process.stderr.write(text);
  };
  child.stdout.on("data", forward(stream === true));
  child.stderr.on("data", forward(stream !== false));

  try {
    const output = await child;
    return { code: output.exitCode ?? 1, stdout: output.stdout, stderr: output.stderr };
  } catch (error) {
    // Spawn failures (ENOENT) come here: report them like a failed command.
    return { code: 127, stdout: "", stderr: String(error) };
  } finally {
    running.delete(child);
    await closeLog(logStream);
  }
}

/** Stops every running child (its whole process group) and waits for it. */
export async function stopAllChildren(signal: NodeJS.Signals): Promise<void> {
  const children = [...running];
  for (const child of children) {
    const pid = child.pid;
    if (pid === undefined) continue;
    try {
      if (process.platform === "win32") child.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }
  await Promise.allSettled(children);
}

registerChildStopper(stopAllChildren);

/** The start of a command for a one-line message; the whole argv is in the log. */
export function summarizeArgv(argv: readonly string[]): string {
  const words = argv.slice(0, 4).map((arg) => (arg.length > 60 ? `${arg.slice(0, 57)}...` : arg));
  return `\`${words.join(" ")}${argv.length > 4 ? " ..." : ""}\``;
}

export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets, ...globalSecrets]) {
    if (secret.length >= 3) result = result.replaceAll(secret, "***");
  }
  return result;
}

export function lastLines(text: string, count: number): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== "").slice(-count);
}

function openLog(path: string, argv: readonly string[], secrets: readonly string[]): WriteStream {
  mkdirSync(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { flags: "a" });
  stream.write(`\n$ ${argv.map((a) => redact(a, secrets)).join(" ")}\n`);
  return stream;
}

function closeLog(stream: WriteStream | undefined): Promise<void> {
  return new Promise((resolve) => (stream ? stream.end(resolve) : resolve()));
}
