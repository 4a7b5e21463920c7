import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { installTreeAtomic, listFiles, recoverTree } from "../../scripts/lib/install-tree.ts";

let dir: string;
const write = (path: string, text: string) => {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "noetl-tree-"));
  write(join(dir, "dist/index.html"), "new");
  write(join(dir, "dist/assets/app-2.js"), "js2");
  write(join(dir, "ui/.gitignore"), "*\n");
  write(join(dir, "ui/user-notes.txt"), "mine");
  write(join(dir, "ui/index.html"), "old");
  write(join(dir, "ui/assets/app-1.js"), "js1");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("installTreeAtomic", () => {
  it("replaces the previous build's files and keeps everything else", async () => {
    const result = await installTreeAtomic(join(dir, "dist"), join(dir, "ui"), ["index.html", "assets/app-1.js"]);
    assert.deepEqual(listFiles(join(dir, "ui")), [".gitignore", "assets/app-2.js", "index.html", "user-notes.txt"]);
    assert.equal(readFileSync(join(dir, "ui/index.html"), "utf8"), "new");
    assert.deepEqual(result.preserved, [".gitignore", "user-notes.txt"]);
  });

  it("never deletes a file it did not write before", async () => {
    await installTreeAtomic(join(dir, "dist"), join(dir, "ui"), []);
    assert.ok(existsSync(join(dir, "ui/assets/app-1.js")), "unknown file kept");
  });

  it("leaves no staging directory behind", async () => {
    await installTreeAtomic(join(dir, "dist"), join(dir, "ui"), []);
    assert.deepEqual(listFiles(dir).filter((f) => f.startsWith(".ui.")), []);
  });
});

describe("recoverTree", () => {
  it("restores the previous directory when a swap was cut between its renames", () => {
    renameSync(join(dir, "ui"), join(dir, ".ui.old-123-abc"));
    recoverTree(join(dir, "ui"));
    assert.equal(readFileSync(join(dir, "ui/index.html"), "utf8"), "old");
  });

  it("drops a half-built staging directory", () => {
    write(join(dir, ".ui.staging-1-aaa/index.html"), "half");
    recoverTree(join(dir, "ui"));
    assert.equal(existsSync(join(dir, ".ui.staging-1-aaa")), false);
    assert.equal(readFileSync(join(dir, "ui/index.html"), "utf8"), "old");
  });
});
