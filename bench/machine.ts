// The machine and toolchain a result was measured on, and how busy it was:
// figures from a 2-core machine shared with other jobs mean little without it.

import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { run } from "./exec.ts";
import { REPO_ROOT } from "./workspace.ts";

export interface Machine {
  cpus: number;
  model: string;
  memoryGiB: number;
  versions: Record<string, string>;
}

export async function describeMachine(goTask: string, env: NodeJS.ProcessEnv): Promise<Machine> {
  const probes: Record<string, string[]> = {
    node: ["node", "--version"],
    tsx: ["npx", "tsx", "--version"],
    npm: ["npm", "--version"],
    "go-task": [goTask, "--version"],
    cargo: ["cargo", "--version"],
    rustc: ["rustc", "--version"],
  };
  const versions: Record<string, string> = {};
  for (const [name, argv] of Object.entries(probes)) {
    const result = await run(argv, { cwd: REPO_ROOT, env, allowFailure: true }).catch(
      () => undefined
    );
    versions[name] = result?.code === 0 ? result.stdout.trim().split("\n")[0] : "not found";
  }

  return {
    cpus: availableParallelism(),
    model: readCpuModel(),
    memoryGiB: totalmem() / 2 ** 30,
    versions,
  };
}

function readCpuModel(): string {
  try {
    return (
      /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ??
      cpus()[0]?.model ??
      "unknown"
    );
  } catch {
    return cpus()[0]?.model ?? "unknown";
  }
}

/** "2.61 2.40 2.95" (1, 5 and 15 minutes). */
export function readLoad(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
}

/**
 * The product under test: its commit, and whether its code differs from it.
 * Taken at the start and the end, since other work may commit meanwhile.
 */
export async function readProductVersion(env: NodeJS.ProcessEnv): Promise<string> {
  const git = (args: string[]) =>
    run(["git", "-C", REPO_ROOT, ...args], { env, allowFailure: true });
  const [head, status] = await Promise.all([
    git(["log", "-1", "--format=%h (%cI)"]),
    git([
      "status",
      "--porcelain",
      "--",
      "Taskfile.ts",
      "matrix.ts",
      "scripts",
      "package-lock.json",
    ]),
  ]);
  if (head.code !== 0) return "unknown (not a git checkout)";
  const dirty = status.stdout.trim()
    ? `, with uncommitted changes in ${status.stdout.trim().split("\n").length} file(s)`
    : "";
  return `${head.stdout.trim()}${dirty}`;
}
