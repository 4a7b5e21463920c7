// The files that carry NoETL's version, and how to read and rewrite each
// one. Parsing and rendering are pure; they touch only the one line (or JSON
// field) that holds the version, so comments, order and spacing survive.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { matrix, type Layout } from "../../matrix.ts";
import { taskFailure } from "./errors.ts";
import { setJsonString } from "./json-edit.ts";
import { compareSemver, findHighestSemver, isSemver } from "./semver.ts";

export type SourceFormat = "package-json" | "package-lock" | "pyproject" | "cargo-toml" | "cargo-lock";

export interface SourceFile {
  /** Relative to the workspace root, with forward slashes. */
  path: string;
  format: SourceFormat;
  /** A missing required file is an error; a missing optional one is skipped. */
  required: boolean;
}

export interface VersionField {
  path: string;
  /** Where in the file, as a reader would name it: `project.version`. */
  field: string;
  version: string;
}

export interface LoadedSource {
  file: SourceFile;
  /** Undefined when the file does not exist. */
  text?: string;
  fields: VersionField[];
}

/**
 * The version home: the one file `changeset version` bumps. changesets only
 * versions package.json files and writes CHANGELOG.md beside the package, so
 * a private package.json at the workspace root puts the changelog at the root.
 */
export const RELEASE_PACKAGE = matrix.layout.releasePackage;

export function getSourceFiles(layout: Layout = matrix.layout): SourceFile[] {
  return [
    { path: RELEASE_PACKAGE, format: "package-json", required: true },
    { path: layout.pyproject, format: "pyproject", required: true },
    { path: `${layout.cliCrate}/Cargo.toml`, format: "cargo-toml", required: false },
    { path: `${layout.cliCrate}/Cargo.lock`, format: "cargo-lock", required: false },
    { path: `${layout.uiSource}/package.json`, format: "package-json", required: false },
    { path: `${layout.uiSource}/package-lock.json`, format: "package-lock", required: false },
  ];
}

/** Reads every source that exists. Cargo.lock needs the crate name from Cargo.toml. */
export function readVersionSources(root: string, files: readonly SourceFile[] = getSourceFiles()): LoadedSource[] {
  const loaded = files.map((file) => ({ file, text: readOptional(join(root, file.path), file.path) }));
  const cargo = loaded.find((s) => s.file.format === "cargo-toml")?.text;
  const crateName = cargo === undefined ? undefined : parseCrateName(cargo);

  return loaded.map(({ file, text }) => ({ file, text, fields: text === undefined ? [] : parseVersionFields(file, text, crateName) }));
}

export interface VersionSummary {
  agree: boolean;
  /** The one version when all agree. */
  version?: string;
  /** The highest valid version among the sources. */
  highest?: string;
  fields: VersionField[];
}

export function summarizeVersions(sources: readonly LoadedSource[]): VersionSummary {
  const fields = sources.flatMap((s) => s.fields);
  const distinct = [...new Set(fields.map((f) => f.version))];
  const agree = distinct.length === 1 && isSemver(distinct[0]);
  return { agree, version: agree ? distinct[0] : undefined, highest: findHighestSemver(distinct), fields };
}

/** One line per disagreeing field: `noetlctl/Cargo.toml 2.1.2`. */
export function formatDisagreement(summary: VersionSummary): string {
  const byVersion = new Map<string, string[]>();
  for (const f of summary.fields) byVersion.set(f.version, [...(byVersion.get(f.version) ?? []), f.path]);
  const sorted = [...byVersion.entries()].sort(([a], [b]) => (isSemver(a) && isSemver(b) ? compareSemver(b, a) : a.localeCompare(b)));
  return sorted.map(([version, paths]) => `${version} in ${[...new Set(paths)].join(", ")}`).join("; ");
}

export function parseVersionFields(file: SourceFile, text: string, crateName?: string): VersionField[] {
  const field = (name: string, version: string | undefined): VersionField => {
    if (version === undefined) throw missingField(file, name);
    return { path: file.path, field: name, version };
  };

  switch (file.format) {
    case "package-json":
      return [field("version", readJson(file, text).version as string | undefined)];
    case "package-lock": {
      const lock = readJson(file, text);
      const root = (lock.packages as Record<string, { version?: string }> | undefined)?.[""];
      return [field("version", lock.version as string | undefined), ...(root ? [field('packages[""].version', root.version)] : [])];
    }
    case "pyproject":
      return [field("project.version", findTomlVersion(text, isTable("project"), file)?.value)];
    case "cargo-toml":
      return [field("package.version", findTomlVersion(text, isTable("package"), file)?.value)];
    case "cargo-lock":
      return [field(`[[package]] ${crateName ?? "?"}`, findLockVersion(text, crateName, file)?.value)];
  }
}

/** The file's text with every version field set to `version`. */
export function renderVersion(file: SourceFile, text: string, version: string, crateName?: string): string {
  switch (file.format) {
    case "package-json":
    case "package-lock":
      return rewriteJson(file, text, version);
    case "pyproject":
      return replaceLine(text, findTomlVersion(text, isTable("project"), file), version);
    case "cargo-toml":
      return replaceLine(text, findTomlVersion(text, isTable("package"), file), version);
    case "cargo-lock":
      return replaceLine(text, findLockVersion(text, crateName, file), version);
  }
}

export function parseCrateName(cargoToml: string): string | undefined {
  return readTomlString(cargoToml, "package", "name");
}

/** A string key of a TOML table, e.g. [project] name: enough for these files. */
export function readTomlString(text: string, table: string, key: string): string | undefined {
  const inTable = isTable(table);
  const pattern = new RegExp(`^\\s*${escapeRegExp(key)}\\s*=\\s*["']([^"']*)["']`);
  let inside = false;
  for (const line of text.split("\n")) {
    if (/^\s*\[/.test(line)) inside = inTable(line);
    const match = inside ? pattern.exec(line) : null;
    if (match) return match[1];
  }
  return undefined;
}

interface LineMatch {
  index: number;
  value: string;
  /** The line split around the value, to put a new one in its place. */
  before: string;
  after: string;
}

// [^\n] rather than "." so that a CRLF file keeps its \r.
const VERSION_LINE = /^(\s*version\s*=\s*["'])([^"']*)(["'][^\n]*)$/;

function findTomlVersion(text: string, inTable: (header: string) => boolean, file: SourceFile): LineMatch | undefined {
  const lines = text.split("\n");
  let inside = false;
  for (const [index, line] of lines.entries()) {
    if (/^\s*\[/.test(line)) inside = inTable(line);
    if (!inside) continue;

    if (/^\s*version\s*(\.|=\s*\{)/.test(line)) {
      throw taskFailure(`${file.path} inherits its version from a Cargo workspace (version.workspace)`, { hint: `set an explicit version in ${file.path}, or point matrix.ts layout at the workspace's Cargo.toml` });
    }
    const match = VERSION_LINE.exec(line);
    if (match) return { index, value: match[2], before: match[1], after: match[3] };
  }
  if (file.format === "pyproject" && /^\s*dynamic\s*=.*["']version["']/m.test(text)) {
    throw taskFailure(`${file.path} declares a dynamic version, which a release cannot write`, { hint: `replace "version" in project.dynamic with version = "X.Y.Z" in [project]` });
  }
  return undefined;
}

function findLockVersion(text: string, crateName: string | undefined, file: SourceFile): LineMatch | undefined {
  if (crateName === undefined) throw taskFailure(`${file.path} exists but the crate name could not be read from Cargo.toml`, { hint: "add name = \"...\" under [package] in Cargo.toml" });

  // The workspace's own crate is the [[package]] without a `source` (those
  // come from a registry or git, and may share the name).
  const lines = text.split("\n");
  const blocks: { start: number; end: number }[] = [];
  lines.forEach((line, i) => {
    if (/^\[\[package\]\]\s*$/.test(line)) blocks.push({ start: i, end: lines.length });
    else if (/^\[/.test(line) && blocks.length > 0) blocks[blocks.length - 1].end = Math.min(blocks[blocks.length - 1].end, i);
  });
  for (const block of blocks) {
    const body = lines.slice(block.start + 1, block.end);
    const named = body.some((l) => new RegExp(`^name\\s*=\\s*"${escapeRegExp(crateName)}"\\s*$`).test(l));
    if (!named || body.some((l) => /^source\s*=/.test(l))) continue;

    const offset = body.findIndex((l) => VERSION_LINE.test(l));
    const match = offset >= 0 ? VERSION_LINE.exec(body[offset]) : null;
    if (match) return { index: block.start + 1 + offset, value: match[2], before: match[1], after: match[3] };
  }
  return undefined;
}

function replaceLine(text: string, match: LineMatch | undefined, version: string): string {
  if (!match) throw new Error("renderVersion called on a file without a version field: parse it first");
  const lines = text.split("\n");
  lines[match.index] = `${match.before}${version}${match.after}`;
  return lines.join("\n");
}

function rewriteJson(file: SourceFile, text: string, version: string): string {
  const paths = file.format === "package-lock" ? [["version"], ["packages", "", "version"]] : [["version"]];
  let result = text;
  for (const path of paths) result = setJsonString(result, path, version) ?? result;
  return result;
}

function readJson(file: SourceFile, text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw taskFailure(`${file.path} is not valid JSON: ${(error as Error).message}`, { hint: `fix ${file.path} or restore it with git checkout -- ${file.path}` });
  }
}

function isTable(name: string): (line: string) => boolean {
  return (line) => new RegExp(`^\\s*\\[\\s*${name}\\s*\\]\\s*(#[^\\n]*)?$`).test(line);
}

function missingField(file: SourceFile, field: string): Error {
  return taskFailure(`${file.path} has no ${field}`, { hint: `add it to ${file.path} (the release writes it but does not invent it)` });
}

function readOptional(path: string, relative: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "EISDIR") throw taskFailure(`${relative} is a directory, not a file`, { hint: `restore it with git checkout -- ${relative}` });
    throw taskFailure(`cannot read ${relative} (${code})`, { hint: `check the permissions of ${relative}`, cause: error });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface SourceRewrite {
  path: string;
  before: string;
  after: string;
}

/** The new text of every existing source whose version differs from `version`. */
export function renderVersionChanges(sources: readonly LoadedSource[], version: string): SourceRewrite[] {
  const cargo = sources.find((s) => s.file.format === "cargo-toml")?.text;
  const crateName = cargo === undefined ? undefined : parseCrateName(cargo);

  return sources
    .filter((s): s is LoadedSource & { text: string } => s.text !== undefined && s.fields.some((f) => f.version !== version))
    .map((s) => ({ path: s.file.path, before: s.text, after: renderVersion(s.file, s.text, version, crateName) }));
}
