// SIGINT/SIGTERM at many moments of setup-local-dev (during npm, cargo, the
// UI install, the binary install): the run exits 130/143, stops its
// children, and every output is either entirely the previous one or
// entirely the new one: never half-written.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, runCli, TASKFILE } from "../helpers/cli.ts";
import { copyExample, removeWorkspace, snapshotTree } from "../helpers/workspace.ts";

const TSX = import.meta.resolve("tsx");
const TRIALS = 24;

type Variant = "a" | "b";

/** Two versions of the sources, so "old" and "new" outputs differ. */
function applyVariant(root: string, variant: Variant): void {
  const cargo = join(root, "noetlctl/Cargo.toml");
  writeFileSync(cargo, readFileSync(cargo, "utf8").replace(/^version = "[^"]+"/m, `version = "${variant === "a" ? "2.1.2" : "2.1.3"}"`));
  const main = join(root, "ui-src/src/main.js");
  writeFileSync(main, readFileSync(main, "utf8").replace(/\n\/\/ variant .*$/s, "") + `\n// variant ${variant}\n`);
}

function buildReference(variant: Variant): Record<string, string> {
  const root = copyExample(`reference-${variant}`);
  applyVariant(root, variant);
  assert.equal(runCli(["setup-local-dev", "--root", root, "--no-cli"]).code, 0);
  const ui = snapshotTree(join(root, "noetl/core/ui"));
  removeWorkspace(root);
  return ui;
}

function findProcessesUnder(root: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(root) && Number(pid) !== process.pid) found.push(`${pid}: ${cmdline}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

describe("setup-local-dev interrupted", { skip: process.platform === "win32" ? "POSIX signals" : false }, () => {
  let root: string;
  const references: Partial<Record<Variant, Record<string, string>>> = {};
  const outcomes = { interrupted: 0, finished: 0 };

  let runMs = 0;

  before(() => {
    references.a = buildReference("a");
    references.b = buildReference("b");
    root = copyExample("interrupted");
    applyVariant(root, "a");
    assert.equal(runCli(["setup-local-dev", "--root", root]).code, 0);

    // Spread the signals over a whole run as long as it takes on this machine.
    applyVariant(root, "b");
    const start = performance.now();
    assert.equal(runCli(["setup-local-dev", "--root", root]).code, 0);
    runMs = performance.now() - start;
    applyVariant(root, "a");
    assert.equal(runCli(["setup-local-dev", "--root", root]).code, 0);
  });
  after(() => removeWorkspace(root));

  for (let trial = 0; trial < TRIALS; trial++) {
    const signal = trial % 2 === 0 ? "SIGINT" : "SIGTERM";
    const wholeGroup = trial % 3 === 0;

    it(`keeps outputs whole after ${signal} at ${trial + 1}/${TRIALS + 1} of a run${wholeGroup ? ", sent to the process group" : ""}`, async () => {
      const delayMs = (runMs * (trial + 1)) / (TRIALS + 1);
      const oldUi = snapshotTree(join(root, "noetl/core/ui"));
      const oldBinary = readFileSync(join(root, "bin/noetl"));
      const next: Variant = trial % 2 === 0 ? "b" : "a";
      applyVariant(root, next);

      const child = spawn(process.execPath, ["--import", TSX, TASKFILE, "setup-local-dev", "--root", root], { cwd: REPO_ROOT, detached: true, stdio: "ignore" });
      // Before Node has loaded the tool, the default handler ends the process
      // by the signal itself, which a shell reports as the same 130/143.
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code, killedBy) => resolve(killedBy === signal ? 128 + (signal === "SIGINT" ? 2 : 15) : code)));
      await sleep(delayMs);
      try {
        if (wholeGroup) process.kill(-child.pid!, signal);
        else child.kill(signal);
      } catch {
        // Already finished.
      }
      const code = await exited;

      assert.ok([0, signal === "SIGINT" ? 130 : 143].includes(code ?? -1), `exit code ${code}`);
      outcomes[code === 0 ? "finished" : "interrupted"]++;

      const ui = snapshotTree(join(root, "noetl/core/ui"));
      const isOldUi = JSON.stringify(ui) === JSON.stringify(oldUi);
      const isNewUi = JSON.stringify(ui) === JSON.stringify(references[next]);
      assert.ok(isOldUi || isNewUi, "the UI is entirely the old or entirely the new build");

      for (const binary of ["bin/noetl", "noetl/bin/noetl"]) {
        const bytes = readFileSync(join(root, binary));
        if (!bytes.equals(oldBinary)) {
          const version = execFileSync(join(root, binary), ["--version"], { encoding: "utf8" });
          assert.match(version, new RegExp(`^noetl ${next === "a" ? "2\\.1\\.2" : "2\\.1\\.3"} `), `${binary} is the complete new build`);
        }
      }

      assert.deepEqual(readdirSync(join(root, "bin")).filter((f) => f.includes(".tmp-")), [], "no temporary binary left");
      assert.deepEqual(readdirSync(join(root, "noetl/core")).filter((f) => f.startsWith(".ui.")), [], "no staging directory left");
      assert.equal(existsSync(join(root, ".noetl/setup-local-dev.lock")), false, "the lock was released");
      await sleep(100);
      assert.deepEqual(findProcessesUnder(root), [], "no npm or cargo left running");
    });
  }

  it("interrupted some runs and let others finish", () => {
    // The last moments of a run fall after its installs: those finish.
    assert.ok(outcomes.interrupted >= TRIALS / 2, JSON.stringify(outcomes));
  });

  it("builds normally after all the interruptions", () => {
    const result = runCli(["setup-local-dev", "--root", root]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(execFileSync(join(root, "bin/noetl"), ["--version"], { encoding: "utf8" }), /^noetl 2\.1\.\d/);
  });
});
