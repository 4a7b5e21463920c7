import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createExec, registerSecret } from "../../scripts/lib/exec.ts";
import { isNoetlError } from "../../scripts/lib/errors.ts";
import { Logger } from "../../scripts/lib/log.ts";

const SENTINEL = "sentinel-8f3a9c1e-token";

describe("exec", () => {
  const dir = mkdtempSync(join(tmpdir(), "noetl-exec-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const log = new Logger({ verbosity: "verbose", json: false, color: false, write: (line) => lines.push(line) });

  it("passes arguments without a shell reading them", async () => {
    const exec = createExec(log, false);
    const result = await exec(["printf", "%s|", "a b", "$HOME", "'quoted'", "; rm -rf /"]);
    assert.equal(result.stdout, "a b|$HOME|'quoted'|; rm -rf /|");
  });

  it("masks a registered secret in the command, the output, the error and the log file", async () => {
    registerSecret(SENTINEL);
    const exec = createExec(log, false);
    const logFile = join(dir, "step.log");
    let error: unknown;
    try {
      await exec(["sh", "-c", `echo "token=$1"; echo "auth failed for $1" >&2; exit 3`, "sh", SENTINEL], { logFile });
    } catch (caught) {
      error = caught;
    }

    assert.ok(isNoetlError(error));
    assert.equal(error.code, 1);
    assert.match(error.tail.join("\n"), /auth failed for \*\*\*/);
    assert.doesNotMatch(`${error.message}\n${error.tail.join("\n")}`, new RegExp(SENTINEL));
    assert.doesNotMatch(readFileSync(logFile, "utf8"), new RegExp(SENTINEL));
    assert.ok(lines.some((line) => line.includes("***")), "the logged command is masked");
    assert.doesNotMatch(lines.join("\n"), new RegExp(SENTINEL));
  });

  it("hands input to stdin, never to the command line", async () => {
    const exec = createExec(log, false);
    const result = await exec(["cat"], { input: "from stdin" });
    assert.equal(result.stdout, "from stdin");
  });

  it("runs nothing under --dry-run, except read-only probes", async () => {
    const exec = createExec(log, true);
    assert.equal((await exec(["sh", "-c", "echo ran"])).stdout, "");
    assert.equal((await exec(["sh", "-c", "echo ran"], { readOnly: true })).stdout, "ran\n");
  });

  it("reports a program that is not installed as exit 127", async () => {
    const exec = createExec(log, false);
    assert.equal((await exec(["no-such-program-xyz"], { allowFailure: true })).code, 127);
  });
});
