// A corpus of bad inputs, each run through the real CLI: exit 2 for usage
// (and nothing on disk changed) or 1 for a failed task, one line that names
// the fix, no stack trace.

import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli } from "../helpers/cli.ts";
import { copyExample, removeWorkspace, snapshotTree } from "../helpers/workspace.ts";

interface Case {
  name: string;
  args: (ws: Paths) => string[];
  code: 1 | 2;
  pattern: RegExp;
  env?: Record<string, string>;
}

interface Paths {
  root: string;
  noLock: string;
  noCargo: string;
  noPackageJson: string;
  file: string;
  empty: string;
  badBake: string;
}

const build = (...args: string[]) => (ws: Paths) => ["docker-build", "--root", ws.root, ...args];
const setup = (...args: string[]) => (ws: Paths) => ["setup-local-dev", "--root", ws.root, ...args];

const CASES: Case[] = [
  { name: "a misspelled task", args: () => ["bulid"], code: 2, pattern: /unknown task "bulid"/ },
  { name: "a misspelled task with --json", args: () => ["dokcer-build", "--json"], code: 2, pattern: /did you mean "docker-build"/ },
  { name: "a misspelled flag", args: build("--platfrom", "amd64"), code: 2, pattern: /unknown flag --platfrom.*did you mean "--platform"/ },
  { name: "an unknown short flag", args: setup("-x"), code: 2, pattern: /unknown flag -x/ },
  { name: "a flag of another task", args: setup("--push"), code: 2, pattern: /unknown flag --push for setup-local-dev/ },
  { name: "a value on a boolean flag", args: setup("--force=1"), code: 2, pattern: /--force takes no value/ },
  { name: "--root without a value", args: () => ["setup-local-dev", "--root"], code: 2, pattern: /--root needs a value/ },
  { name: "a stray argument", args: setup("now"), code: 2, pattern: /unexpected argument "now"/ },
  { name: "an empty platform list", args: build("--platforms", ""), code: 2, pattern: /empty item/ },
  { name: "a platform list with an empty item", args: build("--platforms", "linux/amd64,,linux/arm64"), code: 2, pattern: /empty item/ },
  { name: "a trailing comma", args: build("--platforms", "linux/amd64,"), code: 2, pattern: /empty item/ },
  { name: "a duplicate platform", args: build("--platforms", "linux/amd64,linux/amd64"), code: 2, pattern: /names linux\/amd64 twice/ },
  { name: "a duplicate under another name", args: build("--platforms", "amd64,x86_64"), code: 2, pattern: /names linux\/amd64 twice/ },
  { name: "shell metacharacters in a platform", args: build("--platforms", "linux/arm64;rm -rf ~"), code: 2, pattern: /contains characters no platform has/ },
  { name: "a command substitution as platform", args: build("--platforms", "$(whoami)"), code: 2, pattern: /contains characters no platform has/ },
  { name: "a Windows container platform", args: build("--platforms", "windows/amd64"), code: 2, pattern: /NoETL images are Linux images/ },
  { name: "a macOS platform", args: build("--platforms", "darwin/arm64"), code: 2, pattern: /NoETL images are Linux images/ },
  { name: "an unsupported architecture", args: build("--platforms", "linux/s390x"), code: 2, pattern: /unsupported platform "linux\/s390x".*valid: linux\/amd64, linux\/arm64/ },
  { name: "a 32-bit ARM platform", args: build("--platforms", "linux/arm/v7"), code: 2, pattern: /unsupported platform "linux\/arm\/v7"/ },
  { name: "a wrong arm64 variant", args: build("--platforms", "linux/arm64/v9"), code: 2, pattern: /unsupported platform "linux\/arm64\/v9"/ },
  { name: "a near-miss platform", args: build("--platforms", "linux/amd46"), code: 2, pattern: /did you mean "linux\/amd64"/ },
  { name: "--platform with --platforms", args: build("--platform", "amd64", "--platforms", "arm64"), code: 2, pattern: /--platforms and --platform given together/ },
  { name: "a tag starting with a dash", args: build("--tag=-rc1"), code: 2, pattern: /--tag "-rc1" is not a valid Docker tag/ },
  { name: "a flag where a value belongs", args: build("--tag", "--push"), code: 2, pattern: /the value after --tag starts with "-".*--tag=VALUE/ },
  { name: "a tag starting with a dot", args: build("--tag", ".hidden"), code: 2, pattern: /is not a valid Docker tag/ },
  { name: "a tag with a colon", args: build("--tag", "v1:latest"), code: 2, pattern: /is not a valid Docker tag/ },
  { name: "a tag with a space", args: build("--tag", "my tag"), code: 2, pattern: /is not a valid Docker tag/ },
  { name: "a tag of 129 characters", args: build("--tag", "a".repeat(129)), code: 2, pattern: /is not a valid Docker tag/ },
  { name: "a registry with a scheme", args: build("--registry", "https://ghcr.io/noetl"), code: 2, pattern: /has a scheme.*--registry ghcr.io\/noetl/ },
  { name: "a registry with upper case", args: build("--registry", "ghcr.io/NoETL"), code: 2, pattern: /upper-case.*--registry ghcr.io\/noetl/ },
  { name: "a registry that is no host", args: build("--registry", "noetl"), code: 2, pattern: /is not a registry/ },
  { name: "a registry with a space", args: build("--registry", "ghcr.io/no etl"), code: 2, pattern: /is not a registry/ },
  { name: "a registry port out of range", args: build("--registry", "127.0.0.1:99999/x"), code: 2, pattern: /has port 99999.*1 to 65535/ },
  { name: "a registry ending with a tag", args: build("--registry", "ghcr.io/me/noetl:2.4.1"), code: 2, pattern: /ends with a tag.*--tag 2.4.1/ },
  { name: "--merge-digests with --platforms", args: build("--merge-digests", "/tmp", "--platforms", "amd64"), code: 2, pattern: /--merge-digests publishes digests that were already built/ },
  { name: "--push-by-digest with --tag", args: build("--push-by-digest", "--digest-dir", "/tmp/d", "--registry", "127.0.0.1:5000/x", "--tag", "1.0"), code: 2, pattern: /--tag has no effect/ },
  { name: "an empty --root", args: () => ["setup-local-dev", "--root", ""], code: 2, pattern: /--root is empty/ },
  { name: "--delete with --image", args: (ws) => ["deploy-noetl", "--root", ws.root, "--delete", "--image", "r/noetl:1"], code: 2, pattern: /--delete takes no --image/ },
  { name: "a bad namespace", args: (ws) => ["deploy-noetl", "--root", ws.root, "--namespace", "NoETL_prod"], code: 2, pattern: /is not a valid Kubernetes name/ },
  { name: "a zero timeout", args: (ws) => ["deploy-noetl", "--root", ws.root, "--timeout", "0"], code: 2, pattern: /--timeout must be a positive whole number/ },
  { name: "a missing overlay folder", args: (ws) => ["deploy-noetl", "--root", ws.root, "--overlay", "/nonexistent/overlay"], code: 2, pattern: /--overlay \/nonexistent\/overlay is not a directory/ },
  { name: "--load with --push", args: build("--load", "--push", "--registry", "127.0.0.1:5000/x"), code: 2, pattern: /--push and --load contradict each other/ },
  { name: "--load with two platforms", args: build("--load", "--platforms", "amd64,arm64"), code: 2, pattern: /--load with 2 platforms/ },
  { name: "--push without a registry", args: build("--push"), code: 2, pattern: /--push without --registry would push to ghcr.io\/noetl\/noetl/ },
  { name: "--push-by-digest without --digest-dir", args: build("--push-by-digest", "--registry", "127.0.0.1:5000/x"), code: 2, pattern: /needs --digest-dir/ },
  { name: "--digest-dir alone", args: build("--digest-dir", "/tmp/d"), code: 2, pattern: /--digest-dir only goes with --push-by-digest/ },
  { name: "a misspelled build arg", args: build("--build-arg", "RUST_BSE=x"), code: 2, pattern: /--build-arg RUST_BSE: docker\/noetl\/Dockerfile declares no such ARG.*did you mean RUST_BASE/ },
  { name: "a build arg without a value", args: build("--build-arg", "RUNTIME_BASE"), code: 2, pattern: /is not NAME=VALUE/ },
  { name: "merging from a missing folder", args: build("--merge-digests", "/nonexistent/digests"), code: 2, pattern: /--merge-digests \/nonexistent\/digests does not exist/ },
  { name: "--quiet with --verbose", args: setup("--quiet", "--verbose"), code: 2, pattern: /contradict/ },
  { name: "a negative lock timeout", args: setup("--lock-timeout=-5"), code: 2, pattern: /--lock-timeout must be a number of seconds/ },
  { name: "--root that does not exist", args: () => ["setup-local-dev", "--root", "/nonexistent/noetl"], code: 2, pattern: /does not exist/ },
  { name: "--root that is a file", args: (ws) => ["setup-local-dev", "--root", ws.file], code: 2, pattern: /is a file/ },
  { name: "--root that is not a workspace", args: (ws) => ["docker-build", "--root", ws.empty], code: 2, pattern: /is not a NoETL workspace/ },
  { name: "NOETL_ROOT that does not exist", args: () => ["setup-local-dev"], env: { NOETL_ROOT: "/nonexistent/x" }, code: 2, pattern: /NOETL_ROOT \/nonexistent\/x does not exist/ },
  { name: "a UI without a lock file", args: (ws) => ["setup-local-dev", "--root", ws.noLock, "--no-cli"], code: 1, pattern: /package-lock.json is missing/ },
  { name: "a UI without package.json", args: (ws) => ["setup-local-dev", "--root", ws.noPackageJson, "--no-cli"], code: 1, pattern: /ui-src\/package.json is missing/ },
  { name: "a CLI without Cargo.toml", args: (ws) => ["setup-local-dev", "--root", ws.noCargo, "--no-ui"], code: 1, pattern: /noetlctl\/Cargo.toml is missing.*--no-cli/ },
  { name: "generate into a missing folder", args: () => ["generate", "--out-dir", "/nonexistent/out"], code: 2, pattern: /--out-dir .* is not a directory/ },
  { name: "a malformed generated bake file", args: (ws) => ["generate", "--check", "--out-dir", ws.badBake], code: 1, pattern: /docker\/docker-bake.json differs from what matrix.ts generates/ },
];

describe("bad input corpus", () => {
  let parent: string;
  let paths: Paths;
  let before0: Record<string, string>;

  before(() => {
    parent = mkdtempSync(join(tmpdir(), "noetl-bad-"));
    const root = copyExample("ws");
    const variant = (name: string, remove: string) => {
      const dir = join(parent, name);
      cpSync(root, dir, { recursive: true });
      rmSync(join(dir, remove), { recursive: true });
      return dir;
    };
    const badBake = join(parent, "bad-bake");
    mkdirSync(join(badBake, "docker"), { recursive: true });
    writeFileSync(join(badBake, "docker/docker-bake.json"), '{"target": {"noetl": ');
    writeFileSync(join(parent, "a-file"), "");
    mkdirSync(join(parent, "empty"));
    paths = { root, noLock: variant("no-lock", "ui-src/package-lock.json"), noCargo: variant("no-cargo", "noetlctl/Cargo.toml"), noPackageJson: variant("no-pkg", "ui-src/package.json"), file: join(parent, "a-file"), empty: join(parent, "empty"), badBake };
    before0 = snapshotTree(root);
  });
  after(() => {
    removeWorkspace(paths.root);
    rmSync(parent, { recursive: true, force: true });
  });

  it("has at least 40 cases", () => assert.ok(CASES.length >= 40, String(CASES.length)));

  for (const c of CASES) {
    it(`rejects ${c.name} with exit ${c.code}`, () => {
      const result = runCli(c.args(paths), { env: c.env });
      assert.equal(result.code, c.code, result.stderr);
      const errorLines = result.stderr.split("\n").filter((line) => line.startsWith("error:"));
      assert.equal(errorLines.length, 1, result.stderr);
      assert.match(errorLines[0], /^error: .+ \(fix: .+\)$/, "one line that names the fix");
      assert.match(errorLines[0], c.pattern);
      assert.doesNotMatch(result.stderr, /^\s+at .+:\d+:\d+\)?$/m, "no stack trace");
      if (c.code === 2) assert.deepEqual(snapshotTree(paths.root), before0, "a usage error changes nothing on disk");
    });
  }
});

describe("unusual but valid paths", () => {
  it("builds a workspace under a path with spaces and non-ASCII characters", () => {
    const root = copyExample("my wörk späce");
    const result = runCli(["setup-local-dev", "--root", root]);
    removeWorkspace(root);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /✔ cli/);
    assert.match(result.stderr, /✔ ui/);
  });
});
