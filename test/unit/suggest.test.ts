import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findNearest, getEditDistance } from "../../scripts/lib/suggest.ts";

describe("findNearest", () => {
  const tasks = ["setup-local-dev", "docker-build", "deploy-noetl", "release", "generate", "doctor"];

  it("finds a task with a typo", () => assert.equal(findNearest("docker-buld", tasks), "docker-build"));
  it("finds a task from a prefix", () => assert.equal(findNearest("relea", tasks), "release"));
  it("gives nothing for unrelated input", () => assert.equal(findNearest("zzzzzz", tasks), undefined));
  it("measures edit distance", () => assert.equal(getEditDistance("kitten", "sitting"), 3));
});
