// Host detection shared by every task. `describeHost(facts)` is pure, so
// every host (macOS, Linux glibc/musl, Windows, WSL, emulated) is unit-tested
// from recorded facts; `readHostFacts()` is the only part that looks around.

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { machine } from "node:os";
import { toDockerArch, toDockerPlatform, toRustTriple, getExeSuffix, type DockerArch, type DockerPlatform, type Libc, type OsName, type RustTriple } from "./arch.ts";

export interface HostFacts {
  platform: string;
  /** process.arch: the architecture this Node binary was built for. */
  nodeArch: string;
  /** os.machine(): what the kernel reports (translated under Rosetta). */
  machine: string;
  /** Set on glibc Linux; unset on musl (Alpine). */
  glibcVersionRuntime?: string;
  /** macOS sysctl.proc_translated: 1 under Rosetta 2. */
  procTranslated?: boolean;
  /** /proc/cpuinfo: under qemu-user it still describes the real CPU. */
  cpuinfo?: string;
  /** /proc/version: names Microsoft under WSL. */
  procVersion?: string;
  env: Record<string, string | undefined>;
}

export type Translation = "none" | "rosetta" | "qemu" | "windows-emulation";

export interface Host {
  os: OsName;
  arch: DockerArch;
  rustTriple: RustTriple;
  dockerPlatform: DockerPlatform;
  libc?: Libc;
  translation: Translation;
  /** The architecture of the CPU itself when it differs from the process. */
  nativeArch: DockerArch;
  wsl: boolean;
  ci: "github-actions" | "generic" | undefined;
  exeSuffix: "" | ".exe";
}

export function describeHost(facts: HostFacts): Host {
  const os = parseOs(facts.platform);
  const arch = toDockerArch(facts.nodeArch);
  if (!arch) throw new Error(`unsupported CPU architecture "${facts.nodeArch}": NoETL builds for amd64 and arm64`);

  const libc = os === "linux" ? detectLibc(facts) : undefined;
  const translation = detectTranslation(os, arch, facts);
  return {
    os,
    arch,
    rustTriple: toRustTriple(os, arch, libc),
    dockerPlatform: toDockerPlatform(arch),
    libc,
    translation,
    nativeArch: translation === "none" ? arch : arch === "amd64" ? "arm64" : "amd64",
    wsl: os === "linux" && detectWsl(facts),
    ci: detectCi(facts.env),
    exeSuffix: getExeSuffix(os),
  };
}

export function parseOs(platform: string): OsName {
  if (platform === "linux" || platform === "darwin" || platform === "win32") return platform;
  throw new Error(`unsupported operating system "${platform}": use Linux, macOS or Windows`);
}

export function detectLibc(facts: Pick<HostFacts, "glibcVersionRuntime">): Libc {
  return facts.glibcVersionRuntime ? "glibc" : "musl";
}

export function detectTranslation(os: OsName, arch: DockerArch, facts: HostFacts): Translation {
  if (os === "darwin") return facts.procTranslated ? "rosetta" : "none";

  if (os === "win32") {
    const real = toDockerArch(facts.env.PROCESSOR_ARCHITEW6432 ?? facts.machine);
    return real && real !== arch ? "windows-emulation" : "none";
  }

  // qemu-user translates the process but /proc/cpuinfo comes from the real
  // kernel: x86 fields under an arm64 process (or the reverse) give it away.
  const cpuinfo = facts.cpuinfo ?? "";
  if (arch === "arm64" && /^vendor_id\s*:/m.test(cpuinfo)) return "qemu";
  if (arch === "amd64" && /^CPU implementer\s*:/m.test(cpuinfo)) return "qemu";
  return "none";
}

export function detectWsl(facts: Pick<HostFacts, "env" | "procVersion">): boolean {
  return Boolean(facts.env.WSL_DISTRO_NAME || facts.env.WSL_INTEROP) || /microsoft/i.test(facts.procVersion ?? "");
}

export function detectCi(env: Record<string, string | undefined>): Host["ci"] {
  if (env.GITHUB_ACTIONS === "true") return "github-actions";
  return env.CI && env.CI !== "false" && env.CI !== "0" ? "generic" : undefined;
}

export function readHostFacts(): HostFacts {
  return {
    platform: process.platform,
    nodeArch: process.arch,
    machine: machine(),
    glibcVersionRuntime: process.platform === "linux" ? readGlibcMarker() : undefined,
    procTranslated: process.platform === "darwin" ? readRosettaFlag() : undefined,
    cpuinfo: process.platform === "linux" ? readText("/proc/cpuinfo") : undefined,
    procVersion: process.platform === "linux" ? readText("/proc/version") : undefined,
    env: process.env,
  };
}

let cached: Host | undefined;

export function getHost(): Host {
  cached ??= describeHost(readHostFacts());
  return cached;
}

/**
 * musl systems have /lib/ld-musl-<arch>.so.1 as their loader. Checking for
 * it costs a directory read; process.report.getReport(), which names the
 * glibc version, builds a whole diagnostic report (20+ ms at every start).
 */
function readGlibcMarker(): string | undefined {
  try {
    return readdirSync("/lib").some((name) => name.startsWith("ld-musl-")) ? undefined : "glibc";
  } catch {
    return "glibc";
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function readRosettaFlag(): boolean {
  // sysctl.proc_translated is Apple's documented Rosetta check. It is read
  // synchronously, outside the exec wrapper, because host facts are gathered
  // before any logger exists and the probe changes nothing.
  try {
    return execFileSync("sysctl", ["-in", "sysctl.proc_translated"], { encoding: "utf8" }).trim() === "1";
  } catch {
    return false;
  }
}
