// Reads the machine of an ELF binary from its header, to prove that the
// arm64 image holds an aarch64 `noetl` without running anything.

import type { DockerArch } from "./arch.ts";

const MACHINES: Record<number, DockerArch> = { 0x3e: "amd64", 0xb7: "arm64" };

export type ElfCheck = { kind: "elf"; arch: DockerArch | "other"; machine: number } | { kind: "not-elf" };

export function readElfArch(header: Uint8Array): ElfCheck {
  if (header.length < 20 || header[0] !== 0x7f || header[1] !== 0x45 || header[2] !== 0x4c || header[3] !== 0x46) return { kind: "not-elf" };
  const littleEndian = header[5] === 1;
  const machine = littleEndian ? header[18] | (header[19] << 8) : (header[18] << 8) | header[19];
  return { kind: "elf", arch: MACHINES[machine] ?? "other", machine };
}
