import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../helpers/cli.ts";
import { EXAMPLE } from "../helpers/workspace.ts";

function assertUsageError(result: ReturnType<typeof runCli>, pattern: RegExp) {
  assert.equal(result.code, 2, result.stderr);
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line expected, got:\n${result.stderr}`);
  assert.match(lines[0], /^error: .+\(fix: .+\)$/);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
}

describe("Taskfile.ts --list", () => {
  it("lists every task with its description", () => {
    const result = runCli(["--list"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /setup-local-dev\s+Build the UI/);
    assert.match(result.stdout, /doctor/);
  });

  it("lists tasks as JSON with aliases and flags", () => {
    const result = runCli(["--list", "--json"]);
    const list = JSON.parse(result.stdout) as { tasks: { name: string; aliases: string[]; flags: string[] }[] };
    const setup = list.tasks.find((t) => t.name === "setup-local-dev");
    assert.deepEqual(setup?.aliases, ["setup", "dev"]);
    assert.ok(setup?.flags.includes("no-ui"));
  });

  it("lists tasks when called with no arguments", () => {
    assert.match(runCli([]).stdout, /Tasks:/);
  });
});

describe("task --help", () => {
  it("shows the task's flags and the global ones", () => {
    const result = runCli(["setup-local-dev", "--help"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--no-ui/);
    assert.match(result.stdout, /--lock-timeout SECONDS/);
    assert.match(result.stdout, /--dry-run/);
  });

  it("works through an alias", () => assert.match(runCli(["setup", "--help"]).stdout, /setup-local-dev/));
});

describe("usage errors", () => {
  it("suggests the nearest task", () => assertUsageError(runCli(["setup-locl-dev"]), /unknown task "setup-locl-dev".*did you mean "setup-local-dev"/));
  it("suggests the nearest flag", () => assertUsageError(runCli(["setup-local-dev", "--no-uii"]), /unknown flag --no-uii.*did you mean "--no-ui"/));
  it("rejects a value on a boolean flag", () => assertUsageError(runCli(["setup-local-dev", "--force=yes"]), /--force takes no value/));
  it("rejects a missing flag value", () => assertUsageError(runCli(["setup-local-dev", "--root"]), /--root needs a value/));
  it("rejects --quiet with --verbose", () => assertUsageError(runCli(["setup-local-dev", "--quiet", "--verbose", "--root", EXAMPLE]), /contradict/));
  it("rejects a stray argument", () => assertUsageError(runCli(["setup-local-dev", "extra", "--root", EXAMPLE]), /unexpected argument "extra"/));
  it("rejects a bad --lock-timeout", () => assertUsageError(runCli(["setup-local-dev", "--lock-timeout", "soon", "--root", EXAMPLE]), /--lock-timeout must be a number/));
});

describe("--root", () => {
  it("rejects a missing directory", () => assertUsageError(runCli(["setup-local-dev", "--root", "/nonexistent/noetl"]), /does not exist/));

  it("rejects a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "noetl-root-"));
    writeFileSync(join(dir, "file"), "");
    assertUsageError(runCli(["setup-local-dev", "--root", join(dir, "file")]), /is a file/);
    rmSync(dir, { recursive: true });
  });

  it("rejects a directory that is not a NoETL workspace", () => {
    assertUsageError(runCli(["setup-local-dev", "--root", tmpdir()]), /not a NoETL workspace \(missing pyproject.toml and noetl\/\)/);
  });

  it("names --root when no workspace is found from the working directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "noetl-nows-"));
    const result = runCli(["setup-local-dev"], { cwd: dir });
    rmSync(dir, { recursive: true });
    assertUsageError(result, /--root/);
  });

  it("takes NOETL_ROOT", () => {
    const result = runCli(["setup-local-dev", "--dry-run"], { cwd: tmpdir(), env: { NOETL_ROOT: EXAMPLE } });
    assert.equal(result.code, 0, result.stderr);
  });

  it("finds the workspace from a subdirectory", () => {
    const result = runCli(["setup-local-dev", "--dry-run"], { cwd: join(EXAMPLE, "noetl", "core") });
    assert.equal(result.code, 0, result.stderr);
  });
});

describe("doctor", () => {
  it("reports the host and toolchains as JSON", () => {
    const result = runCli(["doctor", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { host: { arch: string; rustTriple: string }; tools: { name: string; present: boolean }[] };
    assert.equal(report.host.arch, process.arch === "x64" ? "amd64" : "arm64");
    assert.ok(report.tools.find((t) => t.name === "node")?.present);
  });

  it("names the fix for every missing tool", () => {
    const result = runCli(["doctor"], { env: { PATH: "/nonexistent" } });
    assert.match(result.stdout, /setup-local-dev: cargo — fix: /);
  });

  it("fails with --strict when a tool is missing", () => {
    assert.equal(runCli(["doctor", "--strict"], { env: { PATH: "/nonexistent" } }).code, 1);
  });
});
