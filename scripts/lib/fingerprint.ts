// Fingerprints decide whether a step may be skipped. Unlike go-task, which
// only checks that outputs exist, both sides are checked: a step reruns when
// an input changed (content, not mtime) or when an installed output was
// deleted or edited. A stat cache keeps no-op runs from rereading files.

import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.ts";

const FORMAT = 1;

type StatKey = string;

interface CacheEntry {
  stat: StatKey;
  hash: string;
}

export interface StepRecord {
  /** Relative path -> content hash of every input file. */
  files: Record<string, string>;
  /** Non-file inputs: toolchain versions, relevant environment. */
  extra: Record<string, string>;
  /** Relative path -> content hash of every output, checked on each run. */
  outputs: Record<string, string>;
  finishedAt: string;
}

interface StoreData {
  format: number;
  steps: Record<string, StepRecord>;
  cache: Record<string, CacheEntry>;
}

export type Staleness = { stale: false; reason: string } | { stale: true; reason: string };

export class FingerprintStore {
  private data: StoreData;
  private readonly touched = new Set<string>();
  private changed = false;

  constructor(private readonly path: string) {
    this.data = loadStore(path);
  }

  getRecord(step: string): StepRecord | undefined {
    return this.data.steps[step];
  }

  setRecord(step: string, record: StepRecord): void {
    this.data.steps[step] = record;
    this.changed = true;
  }

  forget(step: string): void {
    delete this.data.steps[step];
    this.changed = true;
  }

  /** Hashes files under `root`; unchanged stats reuse the cached hash. */
  async hashFiles(root: string, files: readonly string[]): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    const pending: Promise<void>[] = [];

    for (const file of files) {
      const absolute = join(root, file);
      const stat = readStatKey(absolute);
      if (stat === undefined) continue;
      this.touched.add(absolute);

      const cached = this.data.cache[absolute];
      if (cached?.stat === stat) {
        result[file] = cached.hash;
        continue;
      }
      pending.push(
        readFile(absolute).then((content) => {
          const hash = hashBytes(content);
          this.data.cache[absolute] = { stat, hash };
          this.changed = true;
          result[file] = hash;
        }),
      );
    }
    await Promise.all(pending);
    return sortKeys(result);
  }

  /** Writes the store when anything changed; entries of files not seen this run are dropped. */
  save(): void {
    for (const key of Object.keys(this.data.cache)) {
      if (this.touched.has(key)) continue;
      delete this.data.cache[key];
      this.changed = true;
    }
    if (!this.changed) return;
    this.changed = false;
    writeFileAtomic(this.path, `${JSON.stringify(this.data)}\n`);
  }
}

/** Explains why a step must rerun, naming the first difference found. */
export function compareRecord(previous: StepRecord | undefined, files: Record<string, string>, extra: Record<string, string>, outputs: Record<string, string | undefined>): Staleness {
  if (!previous) return { stale: true, reason: "no previous successful build" };

  for (const [key, value] of Object.entries(extra)) {
    if (previous.extra[key] !== value) return { stale: true, reason: `${key} changed (${previous.extra[key] ?? "unset"} -> ${value})` };
  }
  for (const [file, hash] of Object.entries(files)) {
    if (previous.files[file] === undefined) return { stale: true, reason: `${file} was added` };
    if (previous.files[file] !== hash) return { stale: true, reason: `${file} changed` };
  }
  for (const file of Object.keys(previous.files)) {
    if (files[file] === undefined) return { stale: true, reason: `${file} was removed` };
  }
  for (const [file, hash] of Object.entries(previous.outputs)) {
    if (outputs[file] === undefined) return { stale: true, reason: `output ${file} is missing` };
    if (outputs[file] !== hash) return { stale: true, reason: `output ${file} was modified` };
  }
  return { stale: false, reason: "inputs and outputs unchanged" };
}

export function hashBytes(content: Uint8Array | string): string {
  return createHash("sha256").update(content).digest("hex");
}

export function hashFileSync(path: string): string {
  return hashBytes(readFileSync(path));
}

function readStatKey(path: string): StatKey | undefined {
  try {
    // Nanosecond times and the inode catch same-size edits within a second
    // and files replaced by rename.
    const s = statSync(path, { bigint: true });
    if (!s.isFile()) return undefined;
    return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
  } catch {
    return undefined;
  }
}

function loadStore(path: string): StoreData {
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as StoreData;
    if (data.format === FORMAT && data.steps && data.cache) return data;
  } catch {
    // Missing or unreadable state only costs a rebuild.
  }
  return { format: FORMAT, steps: {}, cache: {} };
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
