// Which tools are installed, and their versions. Probes run concurrently
// through the exec wrapper; lookups that only need presence use findExecutable.

import type { Exec } from "./exec.ts";
import { findExecutable } from "./which.ts";

export const TOOLCHAINS = {
  node: { argv: ["node", "--version"] },
  npm: { argv: ["npm", "--version"] },
  cargo: { argv: ["cargo", "--version"] },
  rustc: { argv: ["rustc", "--version"] },
  rustup: { argv: ["rustup", "--version"] },
  python: { argv: [process.platform === "win32" ? "python" : "python3", "--version"] },
  uv: { argv: ["uv", "--version"] },
  git: { argv: ["git", "--version"] },
  // The client alone: `docker version` fails when no daemon answers, which
  // doctor reports separately.
  docker: { argv: ["docker", "--version"] },
  buildx: { argv: ["docker", "buildx", "version"] },
  kubectl: { argv: ["kubectl", "version", "--client", "--output=json"] },
} as const satisfies Record<string, { argv: readonly string[] }>;

export type ToolName = keyof typeof TOOLCHAINS;

export type ToolStatus = { name: ToolName; present: true; path: string; version: string } | { name: ToolName; present: false };

/** Pulls the first dotted version out of a tool's --version output. */
export function parseVersion(output: string): string | undefined {
  const gitVersion = output.match(/"gitVersion"\s*:\s*"v?([^"]+)"/);
  if (gitVersion) return gitVersion[1];
  return output.match(/\bv?(\d+\.\d+(?:\.\d+)?(?:[-+][\w.]+)?)/)?.[1];
}

export async function detectToolchains(exec: Exec, names: readonly ToolName[] = Object.keys(TOOLCHAINS) as ToolName[]): Promise<ToolStatus[]> {
  return Promise.all(names.map((name) => probe(exec, name)));
}

async function probe(exec: Exec, name: ToolName): Promise<ToolStatus> {
  const argv = TOOLCHAINS[name].argv;
  const path = findExecutable(argv[0]);
  if (!path) return { name, present: false };

  const result = await exec(argv, { allowFailure: true, readOnly: true, timeoutMs: 15_000 });
  const version = parseVersion(`${result.stdout}\n${result.stderr}`);
  return result.code === 0 && version ? { name, present: true, path, version } : { name, present: false };
}
