import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizePlatform, parsePlatformList } from "../../scripts/lib/platform.ts";
import { isNoetlError } from "../../scripts/lib/errors.ts";

describe("normalizePlatform", () => {
  for (const [input, expected] of [
    ["linux/arm64", "linux/arm64"],
    ["arm64", "linux/arm64"],
    ["aarch64", "linux/arm64"],
    ["linux/arm64/v8", "linux/arm64"],
    ["LINUX/ARM64", "linux/arm64"],
    ["x86_64", "linux/amd64"],
    ["amd64", "linux/amd64"],
    ["linux/x86_64", "linux/amd64"],
    [" linux/amd64 ", "linux/amd64"],
  ]) {
    it(`reads ${JSON.stringify(input)} as ${expected}`, () => assert.equal(normalizePlatform(input), expected));
  }

  for (const input of ["linux/arm/v7", "linux/arm64/v9", "windows/amd64", "linux/riscv64", "", "a;b", "linux/amd64/extra/part"]) {
    it(`rejects ${JSON.stringify(input)} as a usage error`, () => {
      assert.throws(() => normalizePlatform(input), (error) => isNoetlError(error) && error.code === 2 && Boolean(error.hint));
    });
  }
});

describe("parsePlatformList", () => {
  it("keeps the order given", () => assert.deepEqual(parsePlatformList("arm64,amd64"), ["linux/arm64", "linux/amd64"]));
  it("rejects a platform named twice under two spellings", () => assert.throws(() => parsePlatformList("aarch64,linux/arm64"), /twice/));
});
