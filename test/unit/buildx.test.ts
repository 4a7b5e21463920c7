import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseBuilderInspect, parseManifestList } from "../../scripts/lib/buildx.ts";
import { readElfArch } from "../../scripts/lib/elf.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/buildx/${name}`, import.meta.url), "utf8");

describe("parseBuilderInspect", () => {
  it("reads a remote builder and its platforms", () => {
    const info = parseBuilderInspect(fixture("inspect-remote.txt"));
    assert.equal(info.name, "noetl-e2e");
    assert.equal(info.driver, "remote");
    assert.equal(info.status, "running");
    assert.ok(info.platforms.includes("linux/arm64"));
    assert.equal(info.error, undefined);
  });

  it("reads the error of a builder whose daemon is down", () => {
    const info = parseBuilderInspect(fixture("inspect-daemon-down.txt"));
    assert.match(info.error ?? "", /failed to connect to the docker API/);
  });
});

describe("parseManifestList", () => {
  it("flags the attestation entries that buildx adds", () => {
    const entries = parseManifestList(fixture("index-with-attestations.json"));
    assert.deepEqual(entries.filter((e) => !e.attestation).map((e) => e.platform).sort(), ["linux/amd64", "linux/arm64"]);
    assert.equal(entries.filter((e) => e.attestation).length, 2);
  });
});

describe("readElfArch", () => {
  const header = (machine: number) => Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...Array(10).fill(0), machine & 0xff, machine >> 8]);
  it("reads x86-64", () => assert.deepEqual(readElfArch(header(0x3e)), { kind: "elf", arch: "amd64", machine: 0x3e }));
  it("reads aarch64", () => assert.equal((readElfArch(header(0xb7)) as { arch: string }).arch, "arm64"));
  it("names other machines", () => assert.equal((readElfArch(header(0x28)) as { arch: string }).arch, "other"));
  it("rejects a script", () => assert.deepEqual(readElfArch(new TextEncoder().encode("#!/bin/sh\necho hi\n")), { kind: "not-elf" }));
  it("reads the binary setup-local-dev builds", () => {
    const own = readElfArch(readFileSync(process.execPath).subarray(0, 64));
    assert.equal(own.kind === "elf" && own.arch, process.arch === "x64" ? "amd64" : "arm64");
  });
});
