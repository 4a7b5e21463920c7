import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { compareRecord, FingerprintStore, type StepRecord } from "../../scripts/lib/fingerprint.ts";

const record: StepRecord = { files: { "a.js": "1", "b.js": "2" }, extra: { node: "v20" }, outputs: { "out/x": "9" }, finishedAt: "" };

describe("compareRecord", () => {
  it("is fresh when nothing changed", () => assert.equal(compareRecord(record, { "a.js": "1", "b.js": "2" }, { node: "v20" }, { "out/x": "9" }).stale, false));
  it("names a changed input", () => assert.deepEqual(compareRecord(record, { "a.js": "X", "b.js": "2" }, { node: "v20" }, { "out/x": "9" }), { stale: true, reason: "a.js changed" }));
  it("names an added input", () => assert.match(compareRecord(record, { "a.js": "1", "b.js": "2", "c.js": "3" }, { node: "v20" }, { "out/x": "9" }).reason, /c.js was added/));
  it("names a removed input", () => assert.match(compareRecord(record, { "a.js": "1" }, { node: "v20" }, { "out/x": "9" }).reason, /b.js was removed/));
  it("notices a toolchain change", () => assert.match(compareRecord(record, record.files, { node: "v22" }, { "out/x": "9" }).reason, /node changed \(v20 -> v22\)/));
  it("notices a deleted output (go-task does not)", () => assert.match(compareRecord(record, record.files, record.extra, {}).reason, /output out\/x is missing/));
  it("notices an edited output", () => assert.match(compareRecord(record, record.files, record.extra, { "out/x": "8" }).reason, /output out\/x was modified/));
  it("is stale with no previous record", () => assert.equal(compareRecord(undefined, {}, {}, {}).stale, true));
});

describe("FingerprintStore", () => {
  const dir = mkdtempSync(join(tmpdir(), "noetl-fp-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("hashes content, survives a reload, and sees same-size edits", async () => {
    writeFileSync(join(dir, "f.txt"), "aaaa");
    const store = new FingerprintStore(join(dir, "state.json"));
    const first = await store.hashFiles(dir, ["f.txt", "missing.txt"]);
    assert.deepEqual(Object.keys(first), ["f.txt"]);
    store.save();

    const reloaded = new FingerprintStore(join(dir, "state.json"));
    assert.deepEqual(await reloaded.hashFiles(dir, ["f.txt"]), first);

    writeFileSync(join(dir, "f.txt"), "bbbb");
    const edited = await reloaded.hashFiles(dir, ["f.txt"]);
    assert.notEqual(edited["f.txt"], first["f.txt"]);
  });

  it("treats an unreadable state file as empty", () => {
    writeFileSync(join(dir, "broken.json"), "{not json");
    assert.equal(new FingerprintStore(join(dir, "broken.json")).getRecord("ui"), undefined);
  });
});
