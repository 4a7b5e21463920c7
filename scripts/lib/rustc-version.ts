// Which rustc builds the CLI, without running it on every no-op run: the
// answer of `rustc -vV` is cached under a key made of everything that
// decides which compiler rustup (or PATH) picks: PATH, the RUSTUP_* and
// RUSTC variables, pinned toolchain files, rustup's settings and the
// toolchains folder (both change when a toolchain is installed, updated,
// removed or made the default), and the rustc binary found on PATH.

import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { Exec } from "./exec.ts";
import { hashBytes, type FingerprintStore } from "./fingerprint.ts";
import { findExecutable } from "./which.ts";

export interface RustcVersion {
  release: string;
  host?: string;
}

const RECORD = "rustc";

export function getToolchainKey(crateDir: string, stopAt: string, env: NodeJS.ProcessEnv = process.env): string {
  const rustupHome = env.RUSTUP_HOME ?? join(homedir(), ".rustup");
  const parts = [env.PATH, env.RUSTUP_TOOLCHAIN, env.RUSTUP_HOME, env.RUSTC, env.CARGO_HOME].map((v) => v ?? "");
  for (const path of [join(rustupHome, "settings.toml"), join(rustupHome, "toolchains"), findExecutable("rustc", env)]) parts.push(stamp(path));
  for (let dir = crateDir; ; dir = dirname(dir)) {
    for (const name of ["rust-toolchain.toml", "rust-toolchain"]) {
      const file = join(dir, name);
      if (existsSync(file)) parts.push(readFileSync(file, "utf8"));
    }
    if (dir === stopAt || dirname(dir) === dir) break;
  }
  return hashBytes(parts.join("\0"));
}

export async function readRustcVersion(exec: Exec, crateDir: string, workspaceRoot: string, store: FingerprintStore): Promise<RustcVersion> {
  const key = getToolchainKey(crateDir, workspaceRoot);
  const cached = store.getRecord(RECORD);
  if (cached?.extra.key === key && cached.extra.release) return { release: cached.extra.release, host: cached.extra.host };

  const result = await exec(["rustc", "-vV"], { cwd: crateDir, readOnly: true, allowFailure: true });
  const release = result.stdout.match(/^release: (.+)$/m)?.[1] ?? "unknown";
  const host = result.stdout.match(/^host: (.+)$/m)?.[1];
  if (result.code === 0) store.setRecord(RECORD, { files: {}, extra: { key, release, ...(host ? { host } : {}) }, outputs: {}, finishedAt: new Date().toISOString() });
  return { release, host };
}

function stamp(path: string | undefined): string {
  if (!path) return "-";
  try {
    const s = statSync(path, { bigint: true });
    return `${path}:${s.mtimeNs}:${s.ino}:${s.size}`;
  } catch {
    return `${path}:missing`;
  }
}
