import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { findBuiltBinary } from "../../scripts/tasks/setup-local-dev/cli-step.ts";
import { isChannelInstalled, parseToolchainFile } from "../../scripts/lib/rust-toolchain.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

describe("parseToolchainFile", () => {
  it("reads a TOML channel", () => assert.equal(parseToolchainFile('[toolchain]\nchannel = "1.91.1"\ncomponents = ["rustfmt"]\n'), "1.91.1"));
  it("reads the legacy one-line file", () => assert.equal(parseToolchainFile("nightly-2026-01-01\n"), "nightly-2026-01-01"));
  it("ignores a TOML file without a channel", () => assert.equal(parseToolchainFile('[toolchain]\nprofile = "minimal"\n'), undefined));
});

describe("isChannelInstalled", () => {
  const list = fixture("rustup-toolchain-list.txt");
  it("finds a pinned version", () => assert.equal(isChannelInstalled(list, "1.95.0"), true));
  it("finds a named channel", () => assert.equal(isChannelInstalled(list, "stable"), true));
  it("misses an absent version", () => assert.equal(isChannelInstalled(list, "1.91.1"), false));
  it("does not confuse 1.9 with 1.95.0", () => assert.equal(isChannelInstalled(list, "1.9"), false));
});

describe("findBuiltBinary", () => {
  it("takes the executable of the named bin target from cargo's JSON", () => {
    assert.equal(findBuiltBinary(fixture("cargo-build-messages.jsonl"), "noetl"), "/tmp/ws/noetlctl/target/release/noetl");
  });
  it("ignores other targets", () => assert.equal(findBuiltBinary(fixture("cargo-build-messages.jsonl"), "other"), undefined));
});
