// docker-build against a real engine: BuildKit, buildx, a registry on
// 127.0.0.1:5000 and QEMU, all started by test/harness/docker.sh.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { harness, readHarnessEnv } from "../helpers/harness.ts";
import { copyExample, removeWorkspace } from "../helpers/workspace.ts";

const env = readHarnessEnv("docker.sh");
const REGISTRY = `${env.NOETL_E2E_REGISTRY}/e2e-${process.pid}`;
const BASES = [
  `UI_BASE=${env.NOETL_E2E_BUILDER_IMAGE}`,
  `RUST_BASE=${env.NOETL_E2E_BUILDER_IMAGE}`,
  `PYTHON_BASE=${env.NOETL_E2E_BUILDER_IMAGE}`,
  `RUNTIME_BASE=${env.NOETL_E2E_RUNTIME_IMAGE}`,
].flatMap((arg) => ["--build-arg", arg]);

let root: string;
const build = (args: string[], extraEnv: Record<string, string | undefined> = {}): CliResult =>
  runCli(["docker-build", "--root", root, "--plain", ...args], { env: { ...env, ...extraEnv }, timeoutMs: 1_200_000 });
const docker = (...args: string[]) => spawnSync(env.DOCKER ?? "docker", args, { env: { ...process.env, ...env }, encoding: "utf8" });
const buildLog = () => readFileSync(join(root, ".noetl/logs/docker-build.log"), "utf8");

before(() => {
  root = copyExample("noetl-e2e");
  // Tags come from git: make the workspace a repository on the default branch.
  for (const args of [["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid", "commit", "-qm", "e2e"]]) {
    assert.equal(spawnSync("git", ["-C", root, ...args]).status, 0);
  }
});
after(() => {
  harness("docker.sh", "binfmt", "on");
  removeWorkspace(root);
});

describe("docker-build on a real engine", () => {
  it("builds linux/amd64 and linux/arm64 with emulation off, pushes, and verifies both binaries", () => {
    harness("docker.sh", "binfmt", "off");
    const result = build(["--platforms", "linux/amd64,linux/arm64", "--registry", REGISTRY, "--push", "--no-cache", ...BASES]);
    harness("docker.sh", "binfmt", "on");

    assert.equal(result.code, 0, result.stderr.slice(-3000));
    assert.match(result.stderr, /verified: linux\/amd64 noetl is amd64; linux\/arm64 noetl is arm64/);
    assert.match(result.stderr, /set aside \d attestation entr/);
    assert.doesNotMatch(buildLog(), /exec format error/);
    // BuildKit names a stage that runs on the build platform for another target "amd64->arm64".
    assert.match(buildLog(), /\[linux\/amd64->arm64 rust-build \d\/\d\] RUN /);
    assert.doesNotMatch(buildLog(), /\[linux\/arm64 [\w-]+ \d+\/\d+\] RUN /, "no RUN step for linux/arm64 itself");
  });

  it("publishes one manifest list with both platforms under the git tags", () => {
    const inspect = docker("buildx", "imagetools", "inspect", `${REGISTRY}/noetl:latest`);
    assert.equal(inspect.status, 0, inspect.stderr);
    assert.match(inspect.stdout, /Platform:\s+linux\/amd64/);
    assert.match(inspect.stdout, /Platform:\s+linux\/arm64/);
    const state = JSON.parse(readFileSync(join(root, ".noetl/last-build.json"), "utf8")) as { references: string[]; platforms: string[]; pushed: boolean };
    assert.deepEqual(state.references.map((r) => r.split(":").at(-1)), ["latest", "main", state.references[2].split(":").at(-1)]);
    assert.match(state.references[2], /:sha-[0-9a-f]{7}$/);
    assert.deepEqual(state.platforms.sort(), ["linux/amd64", "linux/arm64"]);
  });

  it("runs the arm64 image's noetl under QEMU", () => {
    const run = docker("run", "--rm", "--network", "none", "--platform", "linux/arm64", `${REGISTRY}/noetl:latest`, "noetl", "arch");
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), "aarch64");
    const server = docker("run", "--rm", "--network", "none", "--platform", "linux/arm64", `${REGISTRY}/noetl:latest`, "python3", "-c", "import noetl.server, os; print(os.path.isfile(os.path.join(os.path.dirname(noetl.server.__file__), 'core/ui/index.html')))");
    assert.equal(server.stdout.trim(), "True", server.stderr);
  });

  it("serves a second build from the cache", () => {
    const result = build(["--platforms", "linux/amd64,linux/arm64", "--registry", REGISTRY, "--push", ...BASES]);
    assert.equal(result.code, 0, result.stderr.slice(-2000));
    // BuildKit prints each step's name, then "#N CACHED" for steps it did not run.
    const lastBuild = buildLog().split("load local bake definitions").at(-1) ?? "";
    const cargo = lastBuild.match(/^#(\d+) \[linux\/amd64->arm64 rust-build \d+\/\d+\] RUN /m);
    assert.ok(cargo, "the arm64 cargo step appears in the log");
    assert.match(lastBuild, new RegExp(`^#${cargo[1]} CACHED$`, "m"));
  });

  it("pushes each platform by digest and merges them into one list (the CI flow)", () => {
    const digests = mkdtempSync(join(tmpdir(), "noetl-digests-"));
    try {
      for (const platform of ["linux/amd64", "linux/arm64"]) {
        const leg = build(["--platforms", platform, "--registry", REGISTRY, "--push-by-digest", "--digest-dir", digests, ...BASES]);
        assert.equal(leg.code, 0, leg.stderr.slice(-2000));
      }
      assert.equal(readdirSync(digests).length, 2);
      const merge = runCli(["docker-build", "--root", root, "--registry", REGISTRY, "--merge-digests", digests], { env });
      assert.equal(merge.code, 0, merge.stderr);
      assert.match(merge.stderr, /Platform:\s+linux\/amd64/);
      assert.match(merge.stderr, /Platform:\s+linux\/arm64/);
    } finally {
      rmSync(digests, { recursive: true, force: true });
    }
  });

  it("--print shows the resolved definition and builds nothing", () => {
    const result = build(["--platforms", "arm64", "--registry", REGISTRY, "--print", ...BASES]);
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as { target: Record<string, { platforms: string[]; context: string }> };
    assert.deepEqual(printed.target["noetl-linux-arm64"].platforms, ["linux/arm64"]);
    assert.equal(printed.target["noetl-linux-arm64"].context, root);
  });
});

describe("registry credentials", () => {
  const SENTINEL = "sentinel-token-5d1c0b7a";

  it("log in through stdin and never show the token, even with --verbose", () => {
    // A private docker config, so the test's login does not touch the harness's.
    const config = mkdtempSync(join(tmpdir(), "noetl-docker-config-"));
    cpSync(env.DOCKER_CONFIG, config, { recursive: true });
    const secretEnv = { DOCKER_CONFIG: config, NOETL_REGISTRY_USER: "e2e", NOETL_REGISTRY_TOKEN: SENTINEL };
    try {
      const dry = build(["--platforms", "amd64", "--registry", REGISTRY, "--push", "--verbose", "--dry-run", ...BASES], secretEnv);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stderr, /docker login 127\.0\.0\.1:5000 --username e2e --password-stdin/);

      const real = build(["--platforms", "amd64", "--registry", REGISTRY, "--push", "--verbose", ...BASES], secretEnv);
      assert.equal(real.code, 0, real.stderr.slice(-2000));
      for (const output of [dry.stdout, dry.stderr, real.stdout, real.stderr, buildLog()]) assert.ok(!output.includes(SENTINEL), "the token never shows");
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });
});

describe("docker-build preflight, for real", () => {
  it("refuses two platforms on a builder with the docker driver", () => {
    const result = build(["--builder", "default", "--platforms", "linux/amd64,linux/arm64"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /builder "default" uses the docker driver.*\(fix: create a capable builder: docker buildx create/);
  });

  it("names an unreachable daemon", () => {
    const result = build(["--builder", "default"], { DOCKER_HOST: `unix://${tmpdir()}/no-such-docker.sock` });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot reach the Docker daemon at unix:.*no-such-docker.sock.*\(fix: start Docker/);
  });

  it("names a missing buildx when several platforms need it", () => {
    const result = build(["--platforms", "linux/amd64,linux/arm64"], { DOCKER_CONFIG: mkdtempSync(join(tmpdir(), "no-plugins-")) });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /docker buildx is not installed.*\(fix: install the buildx plugin/);
  });

  it("names a missing docker", () => {
    const result = build([], { PATH: "/nonexistent" });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /docker is not installed/);
  });

  it("names a builder that does not exist", () => {
    const result = build(["--builder", "no-such-builder"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /buildx builder "no-such-builder" is not available.*docker buildx ls/);
  });

  it("refuses --load with two platforms before building", () => {
    const result = build(["--platforms", "linux/amd64,linux/arm64", "--load"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--load with 2 platforms.*\(fix: load one platform .*--push.*--oci-archive/);
  });
});
