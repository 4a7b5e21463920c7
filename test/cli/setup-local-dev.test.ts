// setup-local-dev on throwaway copies of the example workspace, with the
// real npm and cargo.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, existsSync, statSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli, startCli } from "../helpers/cli.ts";
import { copyExample, removeWorkspace, snapshotTree } from "../helpers/workspace.ts";

const setup = (root: string, ...flags: string[]) => runCli(["setup-local-dev", "--root", root, ...flags]);
const statuses = (root: string, ...flags: string[]) => {
  const result = runCli(["setup-local-dev", "--root", root, "--json", ...flags]);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { steps: { id: string; status: string; reason: string }[] };
  return Object.fromEntries(report.steps.map((s) => [s.id, s.status]));
};
const pathWithout = (tool: string) =>
  (process.env.PATH ?? "").split(delimiter).filter((dir) => !existsSync(join(dir, tool))).join(delimiter);

describe("setup-local-dev on the example workspace", () => {
  let root: string;
  before(() => {
    root = copyExample();
  });
  after(() => removeWorkspace(root));

  it("builds the UI and the CLI and installs both", () => {
    const result = setup(root);
    assert.equal(result.code, 0, result.stderr);
    for (const binary of ["bin/noetl", "noetl/bin/noetl"]) {
      const version = execFileSync(join(root, binary), ["--version"], { encoding: "utf8" });
      assert.match(version, /^noetl 2\.1\.2 \(/);
    }
    assert.ok(existsSync(join(root, "noetl/core/ui/index.html")));
    assert.equal(readFileSync(join(root, "noetl/core/ui/.gitignore"), "utf8"), "*\n!.gitignore\n");
    assert.match(result.stderr, /Server: cd .* python3 -m noetl.server/);
  });

  it("skips both steps when nothing changed", () => {
    assert.deepEqual(statuses(root), { ui: "skipped", cli: "skipped" });
  });

  it("rebuilds only the UI after a UI source changes", () => {
    appendFileSync(join(root, "ui-src/src/main.js"), "\n// touched\n");
    assert.deepEqual(statuses(root), { ui: "built", cli: "skipped" });
  });

  it("does not rebuild when a file is only touched", () => {
    const file = join(root, "ui-src/src/main.js");
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(statuses(root), { ui: "skipped", cli: "skipped" });
  });

  it("reinstalls the CLI when bin/noetl was deleted", () => {
    rmSync(join(root, "bin/noetl"));
    assert.deepEqual(statuses(root), { ui: "skipped", cli: "built" });
    assert.ok(existsSync(join(root, "bin/noetl")));
  });

  it("reinstalls the CLI when an installed binary was edited", () => {
    writeFileSync(join(root, "noetl/bin/noetl"), "#!/bin/sh\necho tampered\n");
    assert.deepEqual(statuses(root), { ui: "skipped", cli: "built" });
    assert.match(execFileSync(join(root, "noetl/bin/noetl"), ["--version"], { encoding: "utf8" }), /^noetl 2\.1\.2/);
  });

  it("rebuilds only the CLI after Cargo.lock changes", () => {
    appendFileSync(join(root, "noetlctl/Cargo.lock"), "\n");
    assert.deepEqual(statuses(root), { ui: "skipped", cli: "built" });
  });

  it("rebuilds the UI when VITE_API_BASE_URL changes", () => {
    const result = runCli(["setup-local-dev", "--root", root], { env: { VITE_API_BASE_URL: "/api" } });
    assert.match(result.stderr, /ui: env VITE_API_BASE_URL changed/);
    assert.match(readFileSync(join(root, "noetl/core/ui", findAsset(root)), "utf8"), /"\/api"/);
  });

  it("asks rustc its version only when the toolchain may have changed", () => {
    const cached = runCli(["setup-local-dev", "--root", root, "--verbose"]);
    assert.doesNotMatch(cached.stderr, /\$ rustc -vV/);
    const switched = runCli(["setup-local-dev", "--root", root, "--verbose"], { env: { RUSTUP_TOOLCHAIN: "stable" } });
    assert.match(switched.stderr, /\$ rustc -vV/);
  });

  it("rebuilds everything with --force", () => {
    assert.deepEqual(statuses(root, "--force"), { ui: "built", cli: "built" });
  });

  it("leaves the previous outputs byte-identical when the Rust build fails", () => {
    const before = { bin: snapshotTree(join(root, "bin")), ui: snapshotTree(join(root, "noetl/core/ui")) };
    const main = join(root, "noetlctl/src/main.rs");
    const source = readFileSync(main, "utf8");
    writeFileSync(main, `${source}\nfn broken( {\n`);

    const result = setup(root);
    writeFileSync(main, source);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: `cargo build --release --manifest-path .*` exited with code 101/m);
    assert.match(result.stderr, /full log: .*\.noetl\/logs\/cli\.log/);
    assert.match(result.stderr, /\| error/, "the compiler's last lines are shown");
    assert.deepEqual(snapshotTree(join(root, "bin")), before.bin);
    assert.deepEqual(snapshotTree(join(root, "noetl/core/ui")), before.ui);
  });

  it("leaves the previous UI byte-identical when the UI build fails", () => {
    const before = snapshotTree(join(root, "noetl/core/ui"));
    const script = join(root, "ui-src/build.mjs");
    const original = readFileSync(script, "utf8");
    writeFileSync(script, "console.error('vite: boom');\nprocess.exit(3);\n");

    const result = setup(root);
    writeFileSync(script, original);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /vite: boom/);
    assert.deepEqual(snapshotTree(join(root, "noetl/core/ui")), before);
  });
});

describe("setup-local-dev variants", () => {
  const roots: string[] = [];
  const fresh = () => {
    const root = copyExample();
    roots.push(root);
    return root;
  };
  after(() => roots.forEach(removeWorkspace));

  it("--dry-run prints the commands and changes nothing", () => {
    const root = fresh();
    const before = snapshotTree(root);
    const result = setup(root, "--dry-run");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /\[dry-run\] npm run build/);
    assert.match(result.stderr, /\[dry-run\] cargo build --release/);
    assert.deepEqual(snapshotTree(root), before);
  });

  it("--no-ui prepares a UI-less server", () => {
    const root = fresh();
    const result = setup(root, "--no-ui", "--no-cli");
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(root, "noetl/core/ui/assets")));
    assert.equal(existsSync(join(root, "noetl/core/ui/index.html")), false);
    assert.match(result.stderr, /NOETL_ENABLE_UI=false python3 -m noetl.server/);
  });

  it("NOETL_ENABLE_UI=false skips the UI too", () => {
    const root = fresh();
    const result = runCli(["setup-local-dev", "--root", root, "--no-cli"], { env: { NOETL_ENABLE_UI: "false" } });
    assert.match(result.stderr, /UI disabled \(NOETL_ENABLE_UI=false\)/);
  });

  it("a workspace without ui-src/ gets a UI-less setup", () => {
    const root = fresh();
    rmSync(join(root, "ui-src"), { recursive: true });
    const result = setup(root, "--no-cli");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /no ui-src\/ in the workspace/);
  });

  it("finds the binary in CARGO_TARGET_DIR", () => {
    const root = fresh();
    const targetDir = join(root, "..", "shared-target");
    const result = runCli(["setup-local-dev", "--root", root, "--no-ui"], { env: { CARGO_TARGET_DIR: targetDir } });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(targetDir, "release/noetl")));
    assert.match(execFileSync(join(root, "bin/noetl"), ["--version"], { encoding: "utf8" }), /noetl 2\.1\.2/);
  });

  it("names rustup when cargo is missing", () => {
    const root = fresh();
    const result = runCli(["setup-local-dev", "--root", root, "--no-ui"], { env: { PATH: pathWithout("cargo") } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: cargo is not installed.*\(fix: install Rust with rustup.*--no-cli\)$/m);
    assert.equal(existsSync(join(root, ".noetl")), false, "nothing written");
  });

  it("suggests --no-ui when npm is missing", () => {
    const root = fresh();
    const result = runCli(["setup-local-dev", "--root", root, "--no-cli"], { env: { PATH: pathWithout("npm") } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /npm is not installed.*--no-ui/);
  });

  it("refuses a UI without a lock file", () => {
    const root = fresh();
    rmSync(join(root, "ui-src/package-lock.json"));
    const result = setup(root, "--no-cli");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /package-lock.json is missing.*npm install/);
  });

  it("names a pinned Rust toolchain that is not installed", () => {
    const root = fresh();
    writeFileSync(join(root, "noetlctl/rust-toolchain.toml"), '[toolchain]\nchannel = "1.61.0"\n');
    const result = runCli(["setup-local-dev", "--root", root, "--no-ui"], { env: { RUSTUP_TOOLCHAIN: undefined } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /pins Rust 1\.61\.0, which is not installed \(fix: run `rustup toolchain install 1\.61\.0`/);
  });

  it("replaces a running bin/noetl", async () => {
    const root = fresh();
    assert.equal(setup(root, "--no-ui").code, 0);
    const running = spawn(join(root, "bin/noetl"), ["sleep", "3"]);
    const exited = new Promise<number | null>((resolve) => running.on("exit", resolve));

    const result = setup(root, "--no-ui", "--force");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await exited, 0, "the running binary finished normally");
  });

  it("runs two setups on one workspace one after the other", async () => {
    const root = fresh();
    const first = startCli(["setup-local-dev", "--root", root]);
    const second = startCli(["setup-local-dev", "--root", root]);
    const [a, b] = await Promise.all([first.done, second.done]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.match(a.stderr + b.stderr, /waiting for setup-local-dev \(pid \d+\)/);
    assert.match(execFileSync(join(root, "bin/noetl"), ["--version"], { encoding: "utf8" }), /noetl 2\.1\.2/);
  });

  it("gives up on a held lock after --lock-timeout", () => {
    const root = fresh();
    const holder = spawn("sleep", ["30"]);
    mkdirSync(join(root, ".noetl"), { recursive: true });
    writeFileSync(join(root, ".noetl/setup-local-dev.lock"), JSON.stringify({ pid: holder.pid, host: execFileSync("hostname", { encoding: "utf8" }).trim(), task: "setup-local-dev", startedAt: "earlier" }));
    const result = setup(root, "--lock-timeout", "1", "--no-ui");
    holder.kill();
    assert.equal(result.code, 1);
    assert.match(result.stderr, /another setup-local-dev \(pid \d+\) has been running.*--lock-timeout/);
  });

  it("clears a stale lock left by a killed run", () => {
    const root = fresh();
    mkdirSync(join(root, ".noetl"), { recursive: true });
    writeFileSync(join(root, ".noetl/setup-local-dev.lock"), JSON.stringify({ pid: 2 ** 22 + 7, host: execFileSync("hostname", { encoding: "utf8" }).trim(), task: "setup-local-dev", startedAt: "earlier" }));
    const result = setup(root, "--no-ui");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /cleared a stale lock/);
  });

  // A tiny tmpfs over bin/ gives a real full disk and a real read-only
  // filesystem; mounting needs root, which CI has.
  const canMount = process.getuid?.() === 0 && process.platform === "linux";

  for (const [fault, readOnly, pattern] of [
    ["a full disk", false, /no space left on the device while writing .*bin\/noetl; the previous file was kept \(fix: free some disk space/],
    ["a read-only filesystem", true, /cannot write .*bin\/noetl \(EROFS\); the previous file was kept/],
  ] as const) {
    it(`keeps the old binary on ${fault}`, { skip: canMount ? false : "needs root to mount a tmpfs" }, () => {
      const root = fresh();
      assert.equal(setup(root, "--no-ui").code, 0);
      const bin = join(root, "bin");
      const before = snapshotTree(bin);
      const saved = join(root, "..", "bin-saved");
      execFileSync("cp", ["-a", bin, saved]);

      // Room for the old binary and a little more, but not for a second copy.
      const size = statSync(join(bin, "noetl")).size + 64 * 1024;
      execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", bin]);
      try {
        execFileSync("cp", ["-a", `${saved}/.`, `${bin}/`]);
        if (readOnly) execFileSync("mount", ["-o", "remount,ro", bin]);
        assert.deepEqual(snapshotTree(bin), before);

        const result = setup(root, "--no-ui", "--force");
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, pattern);
        assert.deepEqual(snapshotTree(bin), before, "the old binary is intact, no temporary file is left");
      } finally {
        execFileSync("umount", [bin]);
      }
    });
  }
});

function findAsset(root: string): string {
  const html = readFileSync(join(root, "noetl/core/ui/index.html"), "utf8");
  const match = html.match(/src="\/(assets\/[^"]+)"/);
  assert.ok(match, "index.html references its bundle");
  return match[1];
}

