// Compares rendered generated files with the ones on disk.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EmittedFile } from "../emit/workflow-model.ts";

export type Drift =
  | { kind: "missing"; path: string; expected: string }
  | { kind: "changed"; path: string; expected: string; actual: string }
  | { kind: "extra"; path: string };

/** Directories that hold generated files beside hand-written ones. */
export const GENERATED_DIRS = [".github/workflows"];

/**
 * A file in a generated folder that carries our header but is no longer
 * rendered (a renamed or removed workflow) is drift; hand-written workflows
 * beside ours are left alone.
 */
export function findDrift(root: string, files: readonly EmittedFile[], marker: string): Drift[] {
  const drift: Drift[] = [];
  for (const file of files) {
    const path = join(root, file.path);
    if (!existsSync(path)) drift.push({ kind: "missing", path: file.path, expected: file.content });
    else {
      const actual = readFileSync(path, "utf8");
      if (actual !== file.content) drift.push({ kind: "changed", path: file.path, expected: file.content, actual });
    }
  }

  const known = new Set(files.map((f) => f.path));
  for (const dir of GENERATED_DIRS) {
    if (!existsSync(join(root, dir))) continue;
    for (const name of readdirSync(join(root, dir))) {
      const path = `${dir}/${name}`;
      if (!known.has(path) && readFileSync(join(root, path), "utf8").includes(marker)) drift.push({ kind: "extra", path });
    }
  }
  return drift;
}

export function describeDrift(drift: Drift): string {
  switch (drift.kind) {
    case "missing":
      return `${drift.path} is missing`;
    case "changed":
      return `${drift.path} differs from what matrix.ts generates`;
    case "extra":
      return `${drift.path} was generated but matrix.ts no longer renders it`;
  }
}
