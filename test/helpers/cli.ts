// Runs the real CLI as a subprocess, the way users run it.

import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const TASKFILE = `${REPO_ROOT}Taskfile.ts`;
// An absolute loader URL, so the CLI also starts from directories outside the repo.
const TSX = import.meta.resolve("tsx");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

function buildEnv(extra: CliOptions["env"]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.NOETL_ROOT;
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function runCli(args: readonly string[], options: CliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, ["--import", TSX, TASKFILE, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: buildEnv(options.env),
    encoding: "utf8",
    timeout: options.timeoutMs ?? 300_000,
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI without waiting, for interruption and concurrency tests. */
export function startCli(args: readonly string[], options: CliOptions = {}) {
  const child = spawn(process.execPath, ["--import", TSX, TASKFILE, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: buildEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, output: () => stderr + stdout };
}
