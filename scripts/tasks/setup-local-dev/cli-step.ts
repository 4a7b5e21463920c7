// The CLI step: cargo build --release for the host, the binary found by
// asking cargo (so CARGO_TARGET_DIR and workspace target dirs just work),
// then an atomic install into bin/ and noetl/bin/.

import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { globby } from "globby";
import { installFileAtomic } from "../../lib/atomic.ts";
import { taskFailure } from "../../lib/errors.ts";
import type { Exec } from "../../lib/exec.ts";
import { compareRecord, type FingerprintStore } from "../../lib/fingerprint.ts";
import type { Host } from "../../lib/host.ts";
import type { Step } from "../../lib/plan.ts";
import { readRustcVersion } from "../../lib/rustc-version.ts";
import type { Workspace } from "../../lib/workspace.ts";

/** Environment that changes what cargo produces. */
const CARGO_ENV = ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET", "RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "RUSTUP_TOOLCHAIN", "CARGO_PROFILE_RELEASE_DEBUG"];

export function getCliTargets(workspace: Workspace, host: Host): string[] {
  const name = workspace.layout.cliBinary + host.exeSuffix;
  return workspace.layout.cliInstallDirs.map((dir) => `${dir}/${name}`);
}

export function createCliStep(workspace: Workspace, host: Host, store: FingerprintStore, exec: Exec, logDir: string, verbose: boolean): Step {
  const crateDir = workspace.path(workspace.layout.cliCrate);
  const manifest = join(crateDir, "Cargo.toml");
  const build = ["cargo", "build", "--release", "--manifest-path", manifest, "--message-format=json-render-diagnostics"];
  const logFile = join(logDir, "cli.log");
  const targets = getCliTargets(workspace, host);
  let inputs: { files: Record<string, string>; extra: Record<string, string> } | undefined;

  return {
    id: "cli",
    commands: [build],
    async check() {
      inputs = await readCliInputs(workspace, crateDir, store, exec);
      const previous = store.getRecord("cli");
      const outputs = await store.hashFiles(workspace.root, targets);
      return compareRecord(previous, inputs.files, inputs.extra, outputs);
    },
    async run() {
      rmSync(logFile, { force: true });
      const result = await exec(build, { cwd: crateDir, logFile, stream: verbose ? "stderr" : false, tailFrom: "stderr" });
      const binary = findBuiltBinary(result.stdout, workspace.layout.cliBinary);
      if (!binary || !existsSync(binary)) {
        throw taskFailure(`cargo built no binary named "${workspace.layout.cliBinary}"`, { hint: `check the [[bin]] name in ${workspace.layout.cliCrate}/Cargo.toml`, logPath: logFile });
      }

      for (const target of targets) installFileAtomic(binary, workspace.path(target));
      const version = await exec([workspace.path(targets[0]), "--version"], { allowFailure: true, timeoutMs: 10_000 });

      const outputs = await store.hashFiles(workspace.root, targets);
      store.setRecord("cli", { files: inputs?.files ?? {}, extra: inputs?.extra ?? {}, outputs, finishedAt: new Date().toISOString() });
      store.save();
      return `${targets.join(" and ")}${version.code === 0 ? ` (${version.stdout.trim()})` : ""}`;
    },
  };
}

/** The executable of the named bin target, from cargo's JSON messages. */
export function findBuiltBinary(cargoJsonLines: string, binName: string): string | undefined {
  let found: string | undefined;
  for (const line of cargoJsonLines.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line) as { reason?: string; executable?: string | null; target?: { name?: string; kind?: string[] } };
    if (message.reason === "compiler-artifact" && message.executable && message.target?.name === binName && message.target.kind?.includes("bin")) {
      found = message.executable;
    }
  }
  return found;
}

async function readCliInputs(workspace: Workspace, crateDir: string, store: FingerprintStore, exec: Exec) {
  const [crateFiles, rustc] = await Promise.all([
    globby(["**"], { cwd: crateDir, dot: true, ignore: ["target/**", ".git/**"] }),
    readRustcVersion(exec, crateDir, workspace.root, store),
  ]);
  // A crate inside a Cargo workspace also depends on the root's files.
  const rootFiles = ["Cargo.toml", "Cargo.lock", "rust-toolchain.toml", "rust-toolchain", ".cargo/config.toml"].filter((f) => existsSync(workspace.path(f)));
  const crate = workspace.layout.cliCrate;

  const hashed = await store.hashFiles(workspace.root, [...crateFiles.map((f) => `${crate}/${f}`), ...rootFiles]);
  const extra: Record<string, string> = { rustc: rustc.release };
  if (rustc.host) extra["rustc host"] = rustc.host;
  for (const key of CARGO_ENV) {
    if (process.env[key] !== undefined) extra[`env ${key}`] = process.env[key] ?? "";
  }
  return { files: hashed, extra };
}
