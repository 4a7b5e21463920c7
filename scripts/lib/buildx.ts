// Parsers for what buildx prints, and the one place that decides how buildx
// is invoked (the `docker buildx` plugin).

import type { DockerPlatform } from "./arch.ts";

export const BUILDX = ["docker", "buildx"] as const;

export interface BuilderInfo {
  name: string;
  driver: string;
  status?: string;
  /** Set when buildx could not reach the builder (it still exits 0). */
  error?: string;
  /** Platforms the builder's nodes can run (natively or through binfmt). */
  platforms: string[];
}

/** Parses `docker buildx inspect [NAME]` (text form, stable across versions). */
export function parseBuilderInspect(text: string): BuilderInfo {
  const field = (name: string) => text.match(new RegExp(`^${name}:\\s*(.+)$`, "m"))?.[1]?.trim();
  const platforms = [...text.matchAll(/^Platforms:\s*(.+)$/gm)].flatMap((m) => m[1].split(",").map((p) => p.trim().replace(/\*$/, "")));
  return { name: field("Name") ?? "default", driver: field("Driver") ?? "unknown", status: field("Status"), error: field("Error"), platforms: [...new Set(platforms)].filter(Boolean) };
}

export interface ManifestEntry {
  platform: string;
  digest: string;
  attestation: boolean;
}

interface RawIndex {
  mediaType?: string;
  manifests?: { digest: string; platform?: { os: string; architecture: string; variant?: string }; annotations?: Record<string, string> }[];
}

/** Parses `imagetools inspect --raw` of an index; attestation entries are flagged. */
export function parseManifestList(raw: string): ManifestEntry[] {
  const index = JSON.parse(raw) as RawIndex;
  return (index.manifests ?? []).map((m) => {
    const platform = m.platform ? [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join("/") : "unknown/unknown";
    const attestation = m.annotations?.["vnd.docker.reference.type"] === "attestation-manifest" || platform === "unknown/unknown";
    return { platform, digest: m.digest, attestation };
  });
}

/** linux/arm64/v8 and linux/arm64 are the same platform. */
export function samePlatform(a: string, b: DockerPlatform | string): boolean {
  const norm = (p: string) => p.replace(/^linux\/arm64\/v8$/, "linux/arm64");
  return norm(a) === norm(b);
}
