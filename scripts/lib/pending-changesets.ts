// The change notes waiting in .changeset/: one Markdown file each, with a
// YAML front matter naming the package and its bump, then the summary that
// goes into CHANGELOG.md. Read here for `release status` and the release
// preconditions; `changeset version` itself applies them.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { taskFailure } from "./errors.ts";
import type { BumpType } from "./semver.ts";

/** Fixed by changesets: it looks for this folder at the package root. */
export const CHANGESET_DIR = ".changeset";
export const CHANGESET_CONFIG = `${CHANGESET_DIR}/config.json`;

export type ReleaseType = BumpType | "none";

export interface Changeset {
  id: string;
  /** Relative to the workspace root. */
  file: string;
  releases: { name: string; type: ReleaseType }[];
  summary: string;
}

const FRONT_MATTER = /^\s*---\r?\n([\s\S]*?)\r?\n?---\s*(?:\r?\n|$)([\s\S]*)$/;
const RELEASE_TYPES: readonly ReleaseType[] = ["major", "minor", "patch", "none"];

export function parseChangeset(id: string, text: string): Changeset {
  const file = `${CHANGESET_DIR}/${id}.md`;
  const match = FRONT_MATTER.exec(text);
  if (!match) throw invalid(file, "it does not start with a --- front matter ---");

  let data: unknown;
  try {
    data = parseYaml(match[1]) ?? {};
  } catch (error) {
    throw invalid(file, (error as Error).message.split("\n")[0]);
  }
  if (typeof data !== "object" || Array.isArray(data)) throw invalid(file, "its front matter is not a map of package: bump");

  const releases = Object.entries(data as Record<string, unknown>).map(([name, type]) => {
    if (!RELEASE_TYPES.includes(type as ReleaseType)) throw invalid(file, `"${name}: ${String(type)}" is not one of ${RELEASE_TYPES.join(", ")}`);
    return { name, type: type as ReleaseType };
  });
  return { id, file, releases, summary: match[2].trim() };
}

/** Every changeset in the folder (README.md is changesets' own, not a note). */
export function readChangesets(root: string): Changeset[] {
  const dir = join(root, CHANGESET_DIR);
  if (!existsSync(dir)) return [];

  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md") && entry.name.toLowerCase() !== "readme.md")
    .map((entry) => entry.name.slice(0, -3))
    .sort()
    .map((id) => parseChangeset(id, readFileSync(join(dir, `${id}.md`), "utf8")));
}

/** The bump the changesets ask of `pkg`: the largest one wins. */
export function getHighestBump(changesets: readonly Changeset[], pkg: string): BumpType | undefined {
  const types = changesets.flatMap((c) => c.releases.filter((r) => r.name === pkg).map((r) => r.type));
  return (["major", "minor", "patch"] as const).find((type) => types.includes(type));
}

/** Changesets that name a package other than the release package, which `changeset version` rejects. */
export function findForeignChangesets(changesets: readonly Changeset[], pkg: string): Changeset[] {
  return changesets.filter((c) => c.releases.some((r) => r.name !== pkg));
}

/** Set by `changeset pre enter TAG`: versions become X.Y.Z-TAG.N. */
export function readPreModeTag(root: string): string | undefined {
  const path = join(root, CHANGESET_DIR, "pre.json");
  if (!existsSync(path)) return undefined;
  const pre = JSON.parse(readFileSync(path, "utf8")) as { mode?: string; tag?: string };
  return pre.mode === "pre" ? pre.tag : undefined;
}

function invalid(file: string, reason: string): Error {
  return taskFailure(`${file} is not a valid changeset: ${reason}`, { hint: `fix ${file}: front matter \`"noetl": minor\` between --- lines, then the summary` });
}
