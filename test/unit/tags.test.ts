import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computeTags, sanitizeTag } from "../../scripts/lib/tags.ts";

const sha = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

describe("computeTags", () => {
  it("tags the default branch latest, by branch and by commit", () => {
    assert.deepEqual(computeTags({ sha, branch: "main" }), { tags: ["latest", "main", "sha-1a2b3c4"], publishable: true, version: "sha-1a2b3c4" });
  });
  it("never tags another branch latest", () => {
    assert.deepEqual(computeTags({ sha, branch: "feature/arm-fix" }).tags, ["feature-arm-fix", "sha-1a2b3c4"]);
  });
  it("gives a release X.Y.Z, X.Y and X", () => {
    assert.deepEqual(computeTags({ sha, tag: "v2.4.1", branch: "main" }), { tags: ["2.4.1", "2.4", "2", "sha-1a2b3c4"], publishable: true, version: "2.4.1" });
  });
  it("gives a pre-release only its full version", () => {
    assert.deepEqual(computeTags({ sha, tag: "v2.5.0-rc.1" }).tags, ["2.5.0-rc.1", "sha-1a2b3c4"]);
  });
  it("marks pull requests as never published", () => {
    assert.deepEqual(computeTags({ sha, pullRequest: 42, branch: "main" }), { tags: ["pr-42", "sha-1a2b3c4"], publishable: false, version: "pr-42" });
  });
  it("ignores a tag that is not a version", () => {
    assert.deepEqual(computeTags({ sha, tag: "nightly", branch: "dev" }).tags, ["dev", "sha-1a2b3c4"]);
  });
  it("gives uncommitted work only a dirty commit tag", () => {
    assert.deepEqual(computeTags({ sha, branch: "main", dirty: true }), { tags: ["sha-1a2b3c4-dirty"], publishable: true, version: "sha-1a2b3c4-dirty" });
  });
  it("makes any branch name a valid tag", () => {
    assert.equal(sanitizeTag("Feature/ÜBER--cool"), "feature-ber--cool");
    assert.equal(sanitizeTag(".hidden"), "hidden");
  });
});
