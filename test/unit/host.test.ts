import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeHost, type HostFacts } from "../../scripts/lib/host.ts";

const X86_CPUINFO = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)\n";
const ARM_CPUINFO = "processor\t: 0\nBogoMIPS\t: 48.00\nCPU implementer\t: 0x41\n";

function facts(overrides: Partial<HostFacts>): HostFacts {
  return { platform: "linux", nodeArch: "x64", machine: "x86_64", glibcVersionRuntime: "2.36", cpuinfo: X86_CPUINFO, env: {}, ...overrides };
}

const HOSTS: { name: string; facts: HostFacts; expect: Record<string, unknown> }[] = [
  { name: "macOS on Apple Silicon", facts: facts({ platform: "darwin", nodeArch: "arm64", machine: "arm64", glibcVersionRuntime: undefined, cpuinfo: undefined }), expect: { os: "darwin", arch: "arm64", rustTriple: "aarch64-apple-darwin", dockerPlatform: "linux/arm64", translation: "none", libc: undefined } },
  { name: "macOS on Intel", facts: facts({ platform: "darwin", nodeArch: "x64", glibcVersionRuntime: undefined, cpuinfo: undefined }), expect: { arch: "amd64", rustTriple: "x86_64-apple-darwin", dockerPlatform: "linux/amd64" } },
  { name: "x64 Node under Rosetta 2", facts: facts({ platform: "darwin", nodeArch: "x64", procTranslated: true, glibcVersionRuntime: undefined, cpuinfo: undefined }), expect: { arch: "amd64", translation: "rosetta", nativeArch: "arm64", rustTriple: "x86_64-apple-darwin" } },
  { name: "Linux amd64 glibc", facts: facts({}), expect: { os: "linux", arch: "amd64", libc: "glibc", rustTriple: "x86_64-unknown-linux-gnu", dockerPlatform: "linux/amd64", translation: "none", wsl: false } },
  { name: "Linux arm64 glibc", facts: facts({ nodeArch: "arm64", machine: "aarch64", cpuinfo: ARM_CPUINFO }), expect: { arch: "arm64", libc: "glibc", rustTriple: "aarch64-unknown-linux-gnu", dockerPlatform: "linux/arm64" } },
  { name: "Linux amd64 musl (Alpine)", facts: facts({ glibcVersionRuntime: undefined }), expect: { libc: "musl", rustTriple: "x86_64-unknown-linux-musl" } },
  { name: "Linux arm64 musl", facts: facts({ nodeArch: "arm64", glibcVersionRuntime: undefined, cpuinfo: ARM_CPUINFO }), expect: { libc: "musl", rustTriple: "aarch64-unknown-linux-musl" } },
  { name: "arm64 Node under qemu-user on amd64", facts: facts({ nodeArch: "arm64", machine: "aarch64", cpuinfo: X86_CPUINFO }), expect: { arch: "arm64", translation: "qemu", nativeArch: "amd64" } },
  { name: "amd64 Node under emulation on arm64", facts: facts({ cpuinfo: ARM_CPUINFO }), expect: { arch: "amd64", translation: "qemu", nativeArch: "arm64" } },
  { name: "Windows amd64", facts: facts({ platform: "win32", machine: "x86_64", glibcVersionRuntime: undefined, cpuinfo: undefined }), expect: { os: "win32", rustTriple: "x86_64-pc-windows-msvc", exeSuffix: ".exe", translation: "none", libc: undefined } },
  { name: "Windows arm64", facts: facts({ platform: "win32", nodeArch: "arm64", machine: "arm64", glibcVersionRuntime: undefined, cpuinfo: undefined }), expect: { arch: "arm64", rustTriple: "aarch64-pc-windows-msvc", exeSuffix: ".exe" } },
  { name: "x64 Node emulated on Windows arm64", facts: facts({ platform: "win32", nodeArch: "x64", machine: "arm64", glibcVersionRuntime: undefined, cpuinfo: undefined, env: { PROCESSOR_ARCHITEW6432: "ARM64" } }), expect: { arch: "amd64", translation: "windows-emulation", nativeArch: "arm64" } },
  { name: "WSL 2 by environment", facts: facts({ env: { WSL_DISTRO_NAME: "Ubuntu" } }), expect: { wsl: true, os: "linux" } },
  { name: "WSL by /proc/version", facts: facts({ procVersion: "Linux version 5.15.153.1-microsoft-standard-WSL2" }), expect: { wsl: true } },
  { name: "GitHub Actions", facts: facts({ env: { GITHUB_ACTIONS: "true", CI: "true" } }), expect: { ci: "github-actions" } },
  { name: "another CI", facts: facts({ env: { CI: "1" } }), expect: { ci: "generic" } },
  { name: "CI=false is not CI", facts: facts({ env: { CI: "false" } }), expect: { ci: undefined } },
];

describe("describeHost", () => {
  for (const host of HOSTS) {
    it(`maps ${host.name}`, () => {
      const described = describeHost(host.facts) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(host.expect)) assert.equal(described[key], value, key);
    });
  }

  it("rejects an architecture NoETL does not ship", () => {
    assert.throws(() => describeHost(facts({ nodeArch: "s390x" })), /unsupported CPU architecture "s390x"/);
  });

  it("rejects an unsupported operating system", () => {
    assert.throws(() => describeHost(facts({ platform: "freebsd" })), /unsupported operating system/);
  });
});
