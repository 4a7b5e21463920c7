// A crate may pin its Rust toolchain (rust-toolchain.toml). On a machine
// without that toolchain, rustup would try to download it mid-build: find out
// first, and say which toolchain is pinned and how to get or override it.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { taskFailure } from "./errors.ts";
import type { Exec } from "./exec.ts";
import type { Logger } from "./log.ts";
import { findExecutable } from "./which.ts";

export interface PinnedToolchain {
  channel: string;
  file: string;
}

/** rustup looks in the crate directory and upward; so do we. */
export function findPinnedToolchain(dirs: readonly string[]): PinnedToolchain | undefined {
  for (const dir of dirs) {
    for (const name of ["rust-toolchain.toml", "rust-toolchain"]) {
      const file = join(dir, name);
      if (!existsSync(file)) continue;
      const channel = parseToolchainFile(readFileSync(file, "utf8"));
      if (channel) return { channel, file };
    }
  }
  return undefined;
}

export function parseToolchainFile(text: string): string | undefined {
  const toml = text.match(/^\s*channel\s*=\s*["']([^"']+)["']/m);
  if (toml) return toml[1];
  const legacy = text.trim();
  return legacy && !legacy.includes("\n") && !legacy.includes("=") ? legacy : undefined;
}

/** True when `rustup toolchain list` output holds the channel. */
export function isChannelInstalled(listOutput: string, channel: string): boolean {
  return listOutput.split("\n").some((line) => {
    const name = line.trim().split(/\s+/)[0] ?? "";
    return name === channel || name.startsWith(`${channel}-`);
  });
}

export async function checkPinnedToolchain(exec: Exec, log: Logger, pin: PinnedToolchain | undefined): Promise<void> {
  if (!pin || process.env.RUSTUP_TOOLCHAIN) return;

  if (!findExecutable("rustup")) {
    log.warn(`${pin.file} pins Rust ${pin.channel}, but rustup is not installed, so the pin is ignored and the cargo on PATH is used`);
    return;
  }
  const list = await exec(["rustup", "toolchain", "list"], { readOnly: true, allowFailure: true });
  if (isChannelInstalled(list.stdout, pin.channel)) return;

  throw taskFailure(`${pin.file} pins Rust ${pin.channel}, which is not installed`, {
    hint: `run \`rustup toolchain install ${pin.channel}\`, or build with another installed toolchain: RUSTUP_TOOLCHAIN=stable`,
  });
}
