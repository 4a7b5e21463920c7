// After a push: which platforms the published image has (attestations set
// aside), and whether each platform's noetl binary really is of that
// architecture, read from its ELF header, without running it.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DockerPlatform } from "../../lib/arch.ts";
import { BUILDX, parseManifestList, samePlatform, type ManifestEntry } from "../../lib/buildx.ts";
import { readElfArch } from "../../lib/elf.ts";
import { taskFailure } from "../../lib/errors.ts";
import type { Exec } from "../../lib/exec.ts";
import type { Logger } from "../../lib/log.ts";

export async function listPlatforms(exec: Exec, reference: string, log: Logger): Promise<ManifestEntry[]> {
  const raw = await exec([...BUILDX, "imagetools", "inspect", "--raw", reference], { hint: `check that ${reference} exists and that you are logged in to its registry` });
  const parsed = JSON.parse(raw.stdout) as { manifests?: unknown; config?: unknown };
  if (!parsed.manifests) return [];

  const entries = parseManifestList(raw.stdout);
  const attestations = entries.filter((e) => e.attestation).length;
  if (attestations > 0) log.info(`  ${reference}: set aside ${attestations} attestation entr${attestations === 1 ? "y" : "ies"} (unknown/unknown: provenance, not a platform)`);
  return entries.filter((e) => !e.attestation);
}

export async function verifyPlatforms(exec: Exec, reference: string, expected: readonly DockerPlatform[], builder: string | undefined, log: Logger): Promise<string[]> {
  const entries = await listPlatforms(exec, reference, log);
  const found = entries.map((e) => e.platform);
  const missing = expected.filter((p) => !found.some((f) => samePlatform(f, p)));
  if (entries.length > 0 && missing.length > 0) throw taskFailure(`${reference} lacks ${missing.join(", ")} (it has ${found.join(", ")})`, { hint: "rebuild with all platforms, and check that each base image has those platforms" });

  for (const platform of expected) await verifyBinaryArch(exec, reference, platform, builder);
  log.info(`  verified: ${expected.map((p) => `${p} noetl is ${p.split("/")[1]}`).join("; ")}`);
  return entries.length > 0 ? found : [...expected];
}

async function verifyBinaryArch(exec: Exec, reference: string, platform: DockerPlatform, builder: string | undefined): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "noetl-verify-"));
  try {
    // COPY from the pushed image into an empty one, exported to a folder:
    // BuildKit fetches the image for that platform and runs nothing.
    const dockerfile = `FROM ${reference} AS image\nFROM scratch\nCOPY --from=image /usr/local/bin/noetl /noetl\n`;
    await exec([...BUILDX, "build", ...(builder ? ["--builder", builder] : []), "--platform", platform, "--output", `type=local,dest=${join(dir, "out")}`, "--file", "-", dir], {
      input: dockerfile,
      hint: `could not read /usr/local/bin/noetl from ${reference} for ${platform}`,
    });
    const elf = readElfArch(readFileSync(join(dir, "out", "noetl")).subarray(0, 64));
    const want = platform.split("/")[1];
    if (elf.kind !== "elf" || elf.arch !== want) {
      throw taskFailure(`the ${platform} image's noetl is ${elf.kind === "elf" ? `an ${elf.arch} (machine 0x${elf.machine.toString(16)}) binary` : "not an ELF binary"}, not ${want}`, {
        hint: "a base image or build stage lacks this platform; check the Rust stage's target triple and the base images' platforms",
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
