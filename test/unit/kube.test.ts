import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { renderManifests, serializeManifests } from "../../scripts/emit/manifests.ts";
import { getSchedulableArchs, parseImagePlatforms, parseNodes } from "../../scripts/lib/kube.ts";
import { decideArchs } from "../../scripts/tasks/deploy-noetl/image.ts";
import { getKindClusterName, getKindLoadCommands } from "../../scripts/tasks/deploy-noetl/kind.ts";

describe("parseNodes", () => {
  const nodes = parseNodes(readFileSync(new URL("../fixtures/kube-nodes.json", import.meta.url), "utf8"));
  it("reads each node's architecture from its label", () => assert.deepEqual(nodes.map((n) => [n.name, n.arch]), [["kwok-amd64", "amd64"], ["kwok-arm64", "arm64"]]));
  it("finds both architectures schedulable", () => assert.deepEqual(getSchedulableArchs(nodes), ["amd64", "arm64"]));
  it("skips cordoned and tainted nodes", () => {
    const json = JSON.stringify({ items: [
      { metadata: { name: "a", labels: { "kubernetes.io/arch": "arm64" } }, spec: { unschedulable: true } },
      { metadata: { name: "b", labels: { "kubernetes.io/arch": "arm64" } }, spec: { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] } },
      { metadata: { name: "c", labels: { "kubernetes.io/arch": "amd64" } } },
    ] });
    assert.deepEqual(getSchedulableArchs(parseNodes(json)), ["amd64"]);
  });
});

describe("decideArchs", () => {
  it("deploys an image that covers every node", () => assert.deepEqual(decideArchs("i", ["amd64", "arm64"], ["amd64", "arm64"], false), { kind: "ok", archs: ["amd64", "arm64"] }));
  it("refuses an image that lacks a node architecture", () => assert.throws(() => decideArchs("i", ["amd64"], ["amd64", "arm64"], false), (e: Error & { hint?: string }) => /lacks arm64/.test(e.message) && /--allow-arch-mismatch/.test(e.hint ?? "")));
  it("pins to the covered architectures when allowed", () => assert.deepEqual(decideArchs("i", ["amd64"], ["amd64", "arm64"], true), { kind: "pinned", archs: ["amd64"], uncovered: ["arm64"] }));
  it("refuses even when allowed if nothing is covered", () => assert.throws(() => decideArchs("i", ["arm64"], ["amd64"], true), (e: Error & { hint?: string }) => /nodes are amd64/.test(e.message) && /--platforms linux\/amd64/.test(e.hint ?? "")));
});

describe("parseImagePlatforms", () => {
  it("reads an index's platforms", () => assert.deepEqual(parseImagePlatforms('{"linux/amd64":{},"linux/arm64":{}}'), ["linux/amd64", "linux/arm64"]));
  it("reads a single-platform image", () => assert.deepEqual(parseImagePlatforms('{"os":"linux","architecture":"arm64"}'), ["linux/arm64"]));
});

describe("renderManifests", () => {
  const objects = renderManifests({ namespace: "noetl", image: "r/noetl:1", archs: ["amd64"], createNamespace: true, serverReplicas: 2, workerReplicas: 1 });
  const deployments = objects.filter((o) => o.kind === "Deployment") as unknown as { metadata: { name: string }; spec: { replicas: number; template: { spec: { affinity: unknown; containers: { image: string; readinessProbe?: unknown }[] } } } }[];

  it("renders the namespace, config, service and both deployments", () => {
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), ["Namespace/noetl", "ConfigMap/noetl-server-config", "ConfigMap/noetl-worker-config", "ServiceAccount/noetl", "Service/noetl", "Deployment/noetl-server", "Deployment/noetl-worker"]);
  });
  it("fills in the image and probes the server's health endpoint", () => {
    assert.ok(deployments.every((d) => d.spec.template.spec.containers[0].image === "r/noetl:1"));
    assert.match(JSON.stringify(deployments[0].spec.template.spec.containers[0].readinessProbe), /\/api\/health/);
  });
  it("keeps pods on the image's architectures", () => {
    assert.match(JSON.stringify(deployments[0].spec.template.spec.affinity), /"key":"kubernetes.io\/arch","operator":"In","values":\["amd64"\]/);
  });
  it("leaves out the namespace when it already exists", () => {
    assert.equal(renderManifests({ namespace: "x", image: "i:1", archs: ["amd64"], createNamespace: false, serverReplicas: 1, workerReplicas: 1 })[0].kind, "ConfigMap");
  });
  it("serializes to YAML documents that parse back", () => {
    const docs = serializeManifests(objects).split(/^---$/m).map((d) => parse(d) as { kind: string });
    assert.equal(docs.length, objects.length);
  });
});

describe("kind", () => {
  it("recognizes a kind context", () => assert.equal(getKindClusterName("kind-noetl"), "noetl"));
  it("ignores other contexts", () => assert.equal(getKindClusterName("prod"), undefined));
  it("pulls only the nodes' platform before loading", () => {
    assert.deepEqual(getKindLoadCommands("r/noetl:1", "noetl", ["arm64"]), [["docker", "pull", "--platform", "linux/arm64", "r/noetl:1"], ["kind", "load", "docker-image", "r/noetl:1", "--name", "noetl"]]);
  });
});
