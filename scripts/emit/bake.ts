// Renders docker/docker-bake.json from the matrix: one multi-platform target
// per image (what a developer builds), one single-platform target per image
// and platform (what each native CI runner builds, with its own cache scope
// so the legs never overwrite each other's cache), and a default group.

import { matrix, type ImageEntry, type Matrix } from "../../matrix.ts";
import { escapeHclDeep } from "./hcl-escape.ts";

export interface BakeTarget {
  inherits?: string[];
  context?: string;
  dockerfile?: string;
  target?: string;
  platforms?: string[];
  tags?: string[];
  labels?: Record<string, string>;
  args?: Record<string, string | null>;
  "cache-from"?: string[];
  "cache-to"?: string[];
  output?: string[];
}

export interface BakeFile {
  group: Record<string, { targets: string[] }>;
  target: Record<string, BakeTarget>;
}

/** The target name a platform's CI leg builds, e.g. noetl-linux-arm64. */
export function getPlatformTargetName(image: string, platform: string): string {
  return `${image}-${platform.replaceAll("/", "-")}`;
}

export function getImageRepository(m: Pick<Matrix, "registry"> = matrix): string {
  return `${m.registry.host}/${m.registry.repository}`;
}

export function getCacheRef(repository: string, platform: string): string {
  return `type=registry,ref=${repository}:buildcache-${platform.replaceAll("/", "-")}`;
}

export function renderBake(m: Matrix = matrix): BakeFile {
  const repository = getImageRepository(m);
  const platforms = Object.keys(m.platforms);
  const target: Record<string, BakeTarget> = {};

  for (const [name, image] of Object.entries(m.images)) {
    target[name] = renderImageTarget(image, m, repository, platforms);
    for (const platform of platforms) {
      const cache = getCacheRef(repository, platform);
      target[getPlatformTargetName(name, platform)] = { inherits: [name], platforms: [platform], "cache-from": [cache], "cache-to": [`${cache},mode=max`] };
    }
  }
  return escapeHclDeep({ group: { default: { targets: Object.keys(m.images) } }, target });
}

function renderImageTarget(image: ImageEntry, m: Matrix, repository: string, platforms: string[]): BakeTarget {
  return {
    context: image.context,
    dockerfile: image.dockerfile,
    target: image.target,
    platforms,
    tags: [`${repository}:dev`],
    labels: {
      "org.opencontainers.image.title": image.title,
      "org.opencontainers.image.description": image.description,
      "org.opencontainers.image.source": m.labels.source,
      "org.opencontainers.image.url": m.labels.url,
      "org.opencontainers.image.licenses": m.labels.licenses,
      "org.opencontainers.image.vendor": m.labels.vendor,
    },
    args: { ...image.args },
    "cache-from": platforms.map((platform) => getCacheRef(repository, platform)),
  };
}

export function serializeBake(bake: BakeFile, header: string): string {
  // JSON has no comments; HCL's JSON syntax, which bake uses, ignores a
  // property named "//", so the header goes there.
  return `${JSON.stringify({ "//": header, ...bake }, null, 2)}\n`;
}
