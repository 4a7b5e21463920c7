import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { getToolchainKey } from "../../scripts/lib/rustc-version.ts";

describe("getToolchainKey", () => {
  const root = mkdtempSync(join(tmpdir(), "noetl-rustc-"));
  const crate = join(root, "noetlctl");
  mkdirSync(crate);
  after(() => rmSync(root, { recursive: true, force: true }));
  const env = { PATH: process.env.PATH, RUSTUP_HOME: join(root, "rustup") };

  it("is stable while nothing changes", () => assert.equal(getToolchainKey(crate, root, env), getToolchainKey(crate, root, env)));
  it("changes with RUSTUP_TOOLCHAIN", () => assert.notEqual(getToolchainKey(crate, root, env), getToolchainKey(crate, root, { ...env, RUSTUP_TOOLCHAIN: "nightly" })));
  it("changes with a pinned toolchain file, in the crate or above it", () => {
    const before = getToolchainKey(crate, root, env);
    writeFileSync(join(root, "rust-toolchain.toml"), '[toolchain]\nchannel = "1.91.1"\n');
    const pinned = getToolchainKey(crate, root, env);
    assert.notEqual(before, pinned);
    writeFileSync(join(root, "rust-toolchain.toml"), '[toolchain]\nchannel = "1.92.0"\n');
    assert.notEqual(getToolchainKey(crate, root, env), pinned);
  });
  it("changes when rustup's default or toolchains change", () => {
    mkdirSync(join(root, "rustup", "toolchains"), { recursive: true });
    const before = getToolchainKey(crate, root, env);
    writeFileSync(join(root, "rustup", "settings.toml"), 'default_toolchain = "stable"\n');
    assert.notEqual(getToolchainKey(crate, root, env), before);
  });
});
