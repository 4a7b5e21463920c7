// Everything setup-local-dev checks before it writes anything.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { taskFailure } from "../../lib/errors.ts";
import type { Exec } from "../../lib/exec.ts";
import type { Logger } from "../../lib/log.ts";
import { checkPinnedToolchain, findPinnedToolchain } from "../../lib/rust-toolchain.ts";
import { findExecutable } from "../../lib/which.ts";
import type { Workspace } from "../../lib/workspace.ts";

export type UiMode = { kind: "build"; reason: string } | { kind: "none"; reason: string };

export function decideUiMode(workspace: Workspace, noUiFlag: boolean, env: NodeJS.ProcessEnv): UiMode {
  if (noUiFlag) return { kind: "none", reason: "--no-ui" };
  if (/^(false|0|no|off)$/i.test(env.NOETL_ENABLE_UI ?? "")) return { kind: "none", reason: "NOETL_ENABLE_UI=false" };
  if (!existsSync(workspace.path(workspace.layout.uiSource))) return { kind: "none", reason: `no ${workspace.layout.uiSource}/ in the workspace` };
  return { kind: "build", reason: "UI sources present" };
}

export function checkUiPrerequisites(workspace: Workspace): void {
  const ui = workspace.layout.uiSource;
  if (!findExecutable("npm")) {
    throw taskFailure("npm is not installed, so the UI cannot be built", { hint: "install Node.js 20+ (which brings npm), or run with --no-ui for a UI-less server" });
  }
  if (!existsSync(workspace.path(join(ui, "package.json")))) {
    throw taskFailure(`${ui}/package.json is missing`, { hint: `restore ${ui}/ from git, or run with --no-ui` });
  }
  if (!existsSync(workspace.path(join(ui, "package-lock.json")))) {
    throw taskFailure(`${ui}/package-lock.json is missing, so the UI's dependencies are not pinned`, { hint: `run \`npm install\` in ${ui} and commit package-lock.json, or run with --no-ui` });
  }
}

export async function checkCliPrerequisites(workspace: Workspace, exec: Exec, log: Logger): Promise<void> {
  const crate = workspace.layout.cliCrate;
  if (!existsSync(workspace.path(join(crate, "Cargo.toml")))) {
    throw taskFailure(`${crate}/Cargo.toml is missing, so the CLI cannot be built`, { hint: `restore ${crate}/ from git, or skip the CLI with --no-cli` });
  }
  if (!findExecutable("cargo")) {
    throw taskFailure("cargo is not installed, so the noetl CLI cannot be built", { hint: "install Rust with rustup (https://rustup.rs), then run again; or skip the CLI with --no-cli" });
  }
  await checkPinnedToolchain(exec, log, findPinnedToolchain([workspace.path(crate), workspace.root]));
}
