import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { describe, it } from "node:test";
import { isStale } from "../../scripts/lib/lock.ts";

describe("isStale", () => {
  it("keeps a lock whose process is alive", () => {
    assert.equal(isStale({ pid: process.pid, host: hostname(), task: "t", startedAt: "" }), false);
  });

  it("clears a lock whose process is gone", () => {
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    assert.equal(isStale({ pid: gone, host: hostname(), task: "t", startedAt: "" }), true);
  });

  it("never clears a lock held on another machine", () => {
    assert.equal(isStale({ pid: 999999, host: "elsewhere", task: "t", startedAt: "" }), false);
  });
});
