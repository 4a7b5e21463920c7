// deploy-noetl against a real Kubernetes API server (etcd, kube-apiserver,
// controller-manager, scheduler) with KWOK simulating one amd64 and one
// arm64 node, all started by test/harness/kube.sh; images come from the
// local registry of test/harness/docker.sh.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, runCli, type CliResult } from "../helpers/cli.ts";
import { readHarnessEnv } from "../helpers/harness.ts";
import { copyExample, removeWorkspace } from "../helpers/workspace.ts";

const env = { ...readHarnessEnv("docker.sh"), ...readHarnessEnv("kube.sh") };
const REGISTRY = `${env.NOETL_E2E_REGISTRY}/deploy-${process.pid}`;
const BASES = [`UI_BASE=${env.NOETL_E2E_BUILDER_IMAGE}`, `RUST_BASE=${env.NOETL_E2E_BUILDER_IMAGE}`, `PYTHON_BASE=${env.NOETL_E2E_BUILDER_IMAGE}`, `RUNTIME_BASE=${env.NOETL_E2E_RUNTIME_IMAGE}`].flatMap((a) => ["--build-arg", a]);
const CONTEXT = "noetl-e2e";

let root: string;
const multiArch = `${REGISTRY}/noetl:both`;
const amd64Only = `${REGISTRY}/noetl:amd64-only`;

const cli = (args: string[], extra: Record<string, string> = {}): CliResult => runCli(args, { env: { ...env, ...extra }, timeoutMs: 900_000 });
const deploy = (namespace: string, ...args: string[]) => cli(["deploy-noetl", "--root", root, "--context", CONTEXT, "--namespace", namespace, "--timeout", "120", ...args]);
const kubectl = (...args: string[]) => spawnSync("kubectl", ["--context", CONTEXT, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
const gitStatus = () => spawnSync("git", ["-C", REPO_ROOT, "status", "--porcelain"], { encoding: "utf8" }).stdout;

function podArchs(namespace: string): string[] {
  const pods = JSON.parse(kubectl("get", "pods", "-n", namespace, "-o", "json").stdout) as { items: { spec: { nodeName?: string } }[] };
  return [...new Set(pods.items.map((p) => (p.spec.nodeName === "kwok-arm64" ? "arm64" : p.spec.nodeName === "kwok-amd64" ? "amd64" : "pending")))].sort();
}

let statusBefore: string;

before(() => {
  statusBefore = gitStatus();
  root = copyExample("noetl-deploy");
  const both = cli(["docker-build", "--root", root, "--platforms", "linux/amd64,linux/arm64", "--registry", REGISTRY, "--push", "--tag", "both", ...BASES]);
  assert.equal(both.code, 0, both.stderr.slice(-2000));
  const amd = cli(["docker-build", "--root", root, "--platforms", "linux/amd64", "--registry", REGISTRY, "--push", "--tag", "amd64-only", ...BASES]);
  assert.equal(amd.code, 0, amd.stderr.slice(-2000));
});

after(() => {
  for (const ns of ["e2e-both", "e2e-pinned", "e2e-dry", "e2e-slow"]) kubectl("delete", "namespace", ns, "--ignore-not-found", "--wait=false");
  removeWorkspace(root);
});

describe("deploy-noetl on a real API server", () => {
  it("schedules an image of both architectures on the amd64 and the arm64 node", () => {
    const result = deploy("e2e-both", "--image", multiArch);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(podArchs("e2e-both"), ["amd64", "arm64"]);
    assert.match(result.stderr, /POD\s+NODE\s+ARCH\s+STATUS/);
    assert.match(result.stderr, /noetl-server-\S+\s+kwok-arm64\s+arm64\s+Running/);
    assert.equal(gitStatus(), statusBefore, "no tracked file changed");
  });

  it("defaults to the image docker-build pushed last", () => {
    // The last push in before() was the amd64-only image: the default picks it, and refuses it.
    const result = deploy("e2e-default");
    assert.equal(result.code, 1);
    // ... pinned by the digest docker-build recorded, so a rebuilt image under the same tag rolls out.
    assert.match(result.stderr, new RegExp(`${amd64Only.replaceAll(".", "\\.")}@sha256:[0-9a-f]{64} lacks arm64`));
  });

  it("refuses an amd64-only image on a cluster with arm64 nodes", () => {
    const result = deploy("e2e-pinned", "--image", amd64Only);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: .*amd64-only lacks arm64, which some of the cluster's nodes are \(fix: rebuild with --platforms linux\/amd64,linux\/arm64, or pass --allow-arch-mismatch/m);
    assert.equal(kubectl("get", "namespace", "e2e-pinned", "--ignore-not-found", "-o", "name").stdout.trim(), "", "nothing was applied");
  });

  it("pins the pods to amd64 nodes with --allow-arch-mismatch", () => {
    const result = deploy("e2e-pinned", "--image", amd64Only, "--allow-arch-mismatch");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /pods are pinned to amd64 nodes/);
    assert.deepEqual(podArchs("e2e-pinned"), ["amd64"]);
  });

  it("--dry-run prints the manifests and changes nothing on the server", () => {
    const result = deploy("e2e-dry", "--image", multiArch, "--dry-run");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /kind: Deployment[\s\S]*image: .*noetl:both/);
    assert.match(result.stdout, /- key: kubernetes.io\/arch\n\s+operator: In\n\s+values:\n\s+- amd64\n\s+- arm64/);
    assert.equal(kubectl("get", "namespace", "e2e-dry", "--ignore-not-found", "-o", "name").stdout.trim(), "");
    assert.equal(gitStatus(), statusBefore);
  });

  it("applies an overlay after NoETL's objects and shows the failing pod's events on a timeout", () => {
    const overlay = mkdtempSync(join(tmpdir(), "noetl-overlay-"));
    writeFileSync(join(overlay, "worker.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: noetl-worker\nspec:\n  template:\n    spec:\n      nodeSelector:\n        noetl.io/no-such-node: \"true\"\n");
    try {
      const result = cli(["deploy-noetl", "--root", root, "--context", CONTEXT, "--namespace", "e2e-slow", "--image", multiArch, "--overlay", overlay, "--timeout", "15"]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^error: deployment noetl-worker did not become ready within 15s/m);
      assert.match(result.stderr, /FailedScheduling/);
    } finally {
      rmSync(overlay, { recursive: true, force: true });
    }
  });

  it("--delete --dry-run says what it would delete and deletes nothing", () => {
    const result = deploy("e2e-both", "--delete", "--dry-run");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /\[dry-run\] kubectl --context noetl-e2e delete deployment,service,configmap,serviceaccount/);
    assert.match(result.stderr, /Would delete \d+ object\(s\) and the namespace/);
    assert.notEqual(kubectl("get", "deployments", "-n", "e2e-both", "-o", "name").stdout.trim(), "");
  });

  it("--delete removes what it applied, and the namespace it created", () => {
    const result = deploy("e2e-both", "--delete");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(kubectl("get", "deployments", "-n", "e2e-both", "-o", "name").stdout.trim(), "");
    const phase = kubectl("get", "namespace", "e2e-both", "--ignore-not-found", "-o", "jsonpath={.status.phase}").stdout.trim();
    assert.ok(phase === "" || phase === "Terminating", phase);
  });
});

describe("deploy-noetl errors", () => {
  it("names a missing context", () => {
    const result = cli(["deploy-noetl", "--root", root, "--context", "nope", "--image", multiArch]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /kubectl has no context "nope".*noetl-e2e/);
  });

  it("names an unreachable API server", () => {
    const config = join(mkdtempSync(join(tmpdir(), "noetl-kubeconfig-")), "config");
    writeFileSync(config, "apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: gone\n  context:\n    cluster: gone\n    user: u\ncurrent-context: gone\nusers:\n- name: u\n  user:\n    token: t\n");
    const result = cli(["deploy-noetl", "--root", root, "--image", multiArch], { KUBECONFIG: config });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot reach the API server of context "gone".*\(fix: check that the cluster is running/);
  });

  it("names an image that does not exist", () => {
    const result = deploy("e2e-both", "--image", `${REGISTRY}/noetl:no-such-tag`);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /image .*no-such-tag was not found/);
  });

  it("names a missing kubectl", () => {
    const result = cli(["deploy-noetl", "--root", root], { PATH: "/nonexistent" });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /kubectl is not installed/);
  });
});
