import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";

describe("generate", () => {
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), "noetl-gen-"));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it("reports missing files, with a diff, and exits 1", () => {
    const result = runCli(["generate", "--check", "--out-dir", out]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /\+\+\+ b\/docker\/docker-bake.json/);
    assert.match(result.stderr, /error: 4 generated file\(s\) out of date.*\(fix: run `npx tsx Taskfile.ts generate` and commit the result\)/);
  });

  it("writes the files, after which the check passes", () => {
    assert.equal(runCli(["generate", "--out-dir", out]).code, 0);
    assert.equal(runCli(["generate", "--check", "--out-dir", out]).code, 0);
  });

  it("fails on a changed file and shows the changed line", () => {
    appendFileSync(join(out, ".github/workflows/ci.yml"), "# hand edit\n");
    const result = runCli(["generate", "--check", "--out-dir", out]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^-# hand edit$/m);
    assert.equal(runCli(["generate", "--out-dir", out]).code, 0);
  });

  it("fails on a stale generated file and removes it when writing", () => {
    const stale = join(out, ".github/workflows/old.yml");
    writeFileSync(stale, "# Generated from matrix.ts by `npx tsx Taskfile.ts generate`.\nname: old\n");
    const result = runCli(["generate", "--check", "--out-dir", out]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /old.yml was generated but matrix.ts no longer renders it/);
    assert.equal(runCli(["generate", "--out-dir", out]).code, 0);
    assert.equal(existsSync(stale), false);
  });

  it("leaves hand-written workflows alone", () => {
    writeFileSync(join(out, ".github/workflows/codeql.yml"), "name: codeql\n");
    assert.equal(runCli(["generate", "--check", "--out-dir", out]).code, 0);
    assert.equal(runCli(["generate", "--out-dir", out]).code, 0);
    assert.ok(existsSync(join(out, ".github/workflows/codeql.yml")));
    rmSync(join(out, ".github/workflows/codeql.yml"));
  });

  it("rejects an --out-dir that is not a directory", () => {
    const result = runCli(["generate", "--out-dir", join(out, "nope")]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--out-dir .* is not a directory/);
  });

  it("finds the committed files of this repository up to date", () => {
    assert.equal(runCli(["generate", "--check"]).code, 0);
  });
});

describe("the matrix types", () => {
  it("reject a misspelled platform, runner or target triple at compile time", () => {
    let output = "";
    try {
      execFileSync(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", join(REPO_ROOT, "test/fixtures/typecheck")], { encoding: "utf8" });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    assert.match(output, /bad-platform\.ts.*'"linux\/arm46"'/);
    assert.match(output, /bad-runner\.ts.*"aarch64-apple-darwn"/);
    assert.match(output, /bad-runner\.ts.*"macos-51"/);
  });
});
