import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildBakeInvocation, type BakeInputs } from "../../scripts/tasks/docker-build/bake-args.ts";
import type { BuildOptions } from "../../scripts/tasks/docker-build/options.ts";

const options: BuildOptions = {
  platforms: ["linux/amd64", "linux/arm64"],
  repository: "127.0.0.1:5000/e2e/noetl",
  registryGiven: true,
  explicitTags: [],
  output: { kind: "push" },
  useBuildx: false,
  plain: false,
  noCache: false,
  print: false,
  buildArgs: { RUNTIME_BASE: "127.0.0.1:5000/python:3.12" },
};

function inputs(overrides: Partial<BakeInputs> = {}, opts: Partial<BuildOptions> = {}): BakeInputs {
  return { options: { ...options, ...opts }, image: "noetl", bakeFile: "/tool/docker/docker-bake.json", dockerfile: "/tool/docker/noetl/Dockerfile", context: "/ws", tags: { tags: ["latest", "main", "sha-1234567"], publishable: true, version: "sha-1234567" }, revision: "1234567abc", created: "2026-12-04T00:00:00Z", metadataFile: "/ws/.noetl/meta.json", writeCache: true, ...overrides };
}

const sets = (argv: string[]) => argv.flatMap((arg, i) => (argv[i - 1] === "--set" ? [arg] : []));

describe("buildBakeInvocation", () => {
  it("builds the image target for several platforms and grants reading the Dockerfile", () => {
    const { argv, target, references } = buildBakeInvocation(inputs());
    assert.equal(target, "noetl");
    assert.equal(argv.at(-1), "noetl");
    assert.deepEqual(argv.slice(0, 3), ["docker", "buildx", "bake"]);
    assert.ok(argv.includes("fs.read=/tool/docker/noetl/Dockerfile"));
    assert.ok(sets(argv).includes("noetl.platforms=linux/amd64,linux/arm64"));
    assert.deepEqual(references, ["127.0.0.1:5000/e2e/noetl:latest", "127.0.0.1:5000/e2e/noetl:main", "127.0.0.1:5000/e2e/noetl:sha-1234567"]);
  });

  it("builds one platform through its CI leg, with that leg's cache", () => {
    const { target, argv } = buildBakeInvocation(inputs({}, { platforms: ["linux/arm64"] }));
    assert.equal(target, "noetl-linux-arm64");
    assert.ok(sets(argv).includes("noetl-linux-arm64.cache-to=type=registry,ref=127.0.0.1:5000/e2e/noetl:buildcache-linux-arm64,mode=max"));
  });

  it("writes no cache when not allowed, and never reads the default registry's", () => {
    const { argv } = buildBakeInvocation(inputs({ writeCache: false }));
    assert.ok(sets(argv).includes("noetl.cache-to="));
    assert.ok(sets(argv).every((s) => !s.includes("ghcr.io")));
  });

  it("pushes by digest with a canonical name and no tag", () => {
    const { argv, references } = buildBakeInvocation(inputs({}, { platforms: ["linux/amd64"], output: { kind: "push-by-digest", digestDir: "/d" } }));
    assert.ok(sets(argv).includes("noetl-linux-amd64.output=type=image,name=127.0.0.1:5000/e2e/noetl,push-by-digest=true,name-canonical=true,push=true"));
    assert.ok(sets(argv).includes("noetl-linux-amd64.tags=127.0.0.1:5000/e2e/noetl"));
    assert.deepEqual(references, []);
  });

  it("uses explicit tags instead of the computed ones", () => {
    const { references } = buildBakeInvocation(inputs({}, { explicitTags: ["2.4.1"] }));
    assert.deepEqual(references, ["127.0.0.1:5000/e2e/noetl:2.4.1"]);
  });

  it("passes build args and OCI labels", () => {
    const all = sets(buildBakeInvocation(inputs()).argv);
    assert.ok(all.includes("noetl.args.RUNTIME_BASE=127.0.0.1:5000/python:3.12"));
    assert.ok(all.includes("noetl.labels.org.opencontainers.image.revision=1234567abc"));
  });

  it("adds --print last but before the target", () => {
    const { argv } = buildBakeInvocation(inputs({}, { print: true }));
    assert.deepEqual(argv.slice(-2), ["--print", "noetl"]);
  });
});
