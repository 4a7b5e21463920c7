import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matrix, type Matrix } from "../../matrix.ts";
import { renderBake } from "../../scripts/emit/bake.ts";
import { escapeHcl } from "../../scripts/emit/hcl-escape.ts";

describe("renderBake", () => {
  const bake = renderBake();

  it("builds every image by default", () => assert.deepEqual(bake.group.default.targets, Object.keys(matrix.images)));

  it("gives the image target every platform of the matrix", () => {
    assert.deepEqual(bake.target.noetl.platforms, ["linux/amd64", "linux/arm64"]);
    assert.equal(bake.target.noetl.dockerfile, "docker/noetl/Dockerfile");
  });

  it("gives each platform leg its own cache scope", () => {
    const amd = bake.target["noetl-linux-amd64"];
    const arm = bake.target["noetl-linux-arm64"];
    assert.deepEqual(amd.platforms, ["linux/amd64"]);
    assert.deepEqual(amd.inherits, ["noetl"]);
    assert.match(amd["cache-to"]?.[0] ?? "", /buildcache-linux-amd64,mode=max$/);
    assert.match(arm["cache-to"]?.[0] ?? "", /buildcache-linux-arm64,mode=max$/);
    assert.notEqual(amd["cache-from"]?.[0], arm["cache-from"]?.[0]);
  });

  it("sets the OCI labels", () => {
    assert.equal(bake.target.noetl.labels?.["org.opencontainers.image.source"], matrix.labels.source);
    assert.equal(bake.target.noetl.labels?.["org.opencontainers.image.title"], "NoETL");
  });

  it("keeps null build args (the Dockerfile's default)", () => assert.equal(bake.target.noetl.args?.UI_BASE, null));

  it("escapes a literal ${ as bake requires", () => {
    const tricky: Matrix = { ...matrix, images: { noetl: { ...matrix.images.noetl, description: "costs ${PRICE} or %{x}" } } };
    assert.equal(renderBake(tricky).target.noetl.labels?.["org.opencontainers.image.description"], "costs $${PRICE} or %%{x}");
  });

  it("escapes only what HCL would evaluate", () => assert.equal(escapeHcl("$HOME and 100%"), "$HOME and 100%"));
});
