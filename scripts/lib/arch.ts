// The single table that maps a CPU architecture between the names Node,
// Docker, uname and Rust use for it. Every other module derives from it.

export const ARCHES = {
  amd64: { node: "x64", rust: "x86_64", uname: ["x86_64", "amd64", "x64"], elfMachine: "x86-64" },
  arm64: { node: "arm64", rust: "aarch64", uname: ["aarch64", "arm64", "arm64/v8"], elfMachine: "aarch64" },
} as const satisfies Record<string, { node: string; rust: string; uname: readonly string[]; elfMachine: string }>;

export type DockerArch = keyof typeof ARCHES;
export type OsName = "linux" | "darwin" | "win32";
export type Libc = "glibc" | "musl";

export type RustTriple =
  | "x86_64-unknown-linux-gnu"
  | "aarch64-unknown-linux-gnu"
  | "x86_64-unknown-linux-musl"
  | "aarch64-unknown-linux-musl"
  | "x86_64-apple-darwin"
  | "aarch64-apple-darwin"
  | "x86_64-pc-windows-msvc"
  | "aarch64-pc-windows-msvc";

export type DockerPlatform = `linux/${DockerArch}`;

export const DOCKER_ARCHES = Object.keys(ARCHES) as DockerArch[];

/** Node's process.arch (or a uname machine string) to Docker's name. */
export function toDockerArch(name: string): DockerArch | undefined {
  const lower = name.toLowerCase();
  for (const arch of DOCKER_ARCHES) {
    const entry = ARCHES[arch];
    if (lower === arch || lower === entry.node || (entry.uname as readonly string[]).includes(lower)) return arch;
  }
  return undefined;
}

export function toRustTriple(os: OsName, arch: DockerArch, libc: Libc = "glibc"): RustTriple {
  const cpu = ARCHES[arch].rust;
  switch (os) {
    case "linux":
      return `${cpu}-unknown-linux-${libc === "musl" ? "musl" : "gnu"}`;
    case "darwin":
      return `${cpu}-apple-darwin`;
    case "win32":
      return `${cpu}-pc-windows-msvc`;
  }
}

/** Docker images are Linux images: Docker Desktop runs them in a VM of the host's CPU. */
export function toDockerPlatform(arch: DockerArch): DockerPlatform {
  return `linux/${arch}`;
}

export function getExeSuffix(os: OsName): "" | ".exe" {
  return os === "win32" ? ".exe" : "";
}
