// Parsing the --platforms flag. Users write platforms the way their tools
// print them (aarch64, x86_64, linux/arm64/v8, amd64...): all are accepted
// and normalized to Docker's form; anything else is rejected with the list.

import { matrix } from "../../matrix.ts";
import { toDockerArch, type DockerPlatform } from "./arch.ts";
import { usageError } from "./errors.ts";
import { findNearest } from "./suggest.ts";

export const SUPPORTED_PLATFORMS = Object.keys(matrix.platforms) as DockerPlatform[];

export function normalizePlatform(input: string): DockerPlatform {
  const raw = input.trim();
  const valid = SUPPORTED_PLATFORMS.join(", ");
  if (raw === "") throw usageError("--platforms has an empty item", `write a comma-separated list without gaps, e.g. --platforms ${valid.replace(", ", ",")}`);
  if (!/^[A-Za-z0-9_./-]+$/.test(raw)) throw usageError(`--platforms item "${raw}" contains characters no platform has`, `use one of ${valid}`);

  const parts = raw.toLowerCase().split("/");
  const [os, arch, variant] = parts.length === 1 ? ["linux", parts[0], undefined] : parts;
  if (os === "windows" || os === "darwin") {
    throw usageError(`${raw}: NoETL images are Linux images (Docker Desktop runs them on macOS and Windows too)`, `use one of ${valid}`);
  }

  const dockerArch = os === "linux" && parts.length <= 3 ? toDockerArch(arch ?? "") : undefined;
  const variantOk = variant === undefined || (dockerArch === "arm64" && variant === "v8");
  if (!dockerArch || !variantOk || !(SUPPORTED_PLATFORMS as string[]).includes(`linux/${dockerArch}`)) {
    const nearest = findNearest(raw, [...SUPPORTED_PLATFORMS, "amd64", "arm64"]);
    throw usageError(`unsupported platform "${raw}"`, `${nearest ? `did you mean "${nearest}"? ` : ""}valid: ${valid} (also amd64, arm64, x86_64, aarch64)`);
  }
  return `linux/${dockerArch}`;
}

/** "linux/amd64, arm64" -> ["linux/amd64", "linux/arm64"]; duplicates are an error. */
export function parsePlatformList(text: string): DockerPlatform[] {
  const platforms: DockerPlatform[] = [];
  for (const item of text.split(",")) {
    const platform = normalizePlatform(item);
    if (platforms.includes(platform)) throw usageError(`--platforms names ${platform} twice ("${text}")`, "list each platform once");
    platforms.push(platform);
  }
  return platforms;
}
