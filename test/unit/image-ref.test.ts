import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isValidTag, parseImageReference, validateRegistry } from "../../scripts/lib/image-ref.ts";

describe("image references", () => {
  it("parses a tag on a registry with a port", () => assert.deepEqual(parseImageReference("127.0.0.1:5000/e2e/noetl:2.4.1"), { repository: "127.0.0.1:5000/e2e/noetl", tag: "2.4.1", digest: undefined }));
  it("parses a digest", () => assert.equal(parseImageReference(`ghcr.io/noetl/noetl@sha256:${"a".repeat(64)}`).digest, `sha256:${"a".repeat(64)}`));
  it("rejects upper case", () => assert.throws(() => parseImageReference("ghcr.io/NoETL/noetl:1"), /not a valid image reference/));
  it("rejects a reference without tag or digest", () => assert.throws(() => parseImageReference("ghcr.io/noetl/noetl"), /not a valid image reference/));
  it("accepts the longest tag and no longer", () => {
    assert.equal(isValidTag("a".repeat(128)), true);
    assert.equal(isValidTag("a".repeat(129)), false);
  });
});

describe("validateRegistry", () => {
  it("accepts a host with a namespace", () => assert.equal(validateRegistry("ghcr.io/noetl/"), "ghcr.io/noetl"));
  it("accepts localhost with a port", () => assert.equal(validateRegistry("localhost:5000"), "localhost:5000"));
  it("rejects a scheme and shows the fixed flag", () => assert.throws(() => validateRegistry("http://127.0.0.1:5000"), /has a scheme/));
  it("rejects a bare name, which docker would send to Docker Hub", () => assert.throws(() => validateRegistry("noetl"), /is not a registry/));
});
