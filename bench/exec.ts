// The one place the benchmark starts external commands (node, npx, task,
// bash, npm, cargo, go, docker, git). It times each child from spawn to exit,
// logs the argv when BENCH_VERBOSE=1, and keeps the output for checks.

import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

export interface RunOptions {
  cwd?: string;
  /** Replaces the environment entirely when given (see benchEnv). */
  env?: NodeJS.ProcessEnv;
  /** Return a failed result instead of throwing. */
  allowFailure?: boolean;
  timeoutMs?: number;
}

export interface RunResult {
  argv: readonly string[];
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export class CommandError extends Error {
  constructor(readonly result: RunResult) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-15).join("\n");
    super(`\`${formatArgv(result.argv)}\` exited with ${result.code}:\n${tail}`);
    this.name = "CommandError";
  }
}

const verbose = process.env.BENCH_VERBOSE === "1";

export function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  if (verbose)
    process.stderr.write(`  $ ${formatArgv(argv)}${options.cwd ? `  (in ${options.cwd})` : ""}\n`);

  return new Promise((resolve, reject) => {
    const begin = performance.now();
    // No shell: argv goes to the kernel as is, so nothing is re-quoted and
    // no shell start-up is added to any timing.
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill("SIGTERM"), options.timeoutMs)
      : undefined;

    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const result: RunResult = {
        argv,
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        ms: performance.now() - begin,
      };
      if (result.code !== 0 && !options.allowFailure) reject(new CommandError(result));
      else resolve(result);
    });
  });
}

export function formatArgv(argv: readonly string[]): string {
  return argv
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`))
    .join(" ");
}
