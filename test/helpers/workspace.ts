// Throwaway copies of the example workspace, so tests never touch the
// committed one.

import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { createHash } from "node:crypto";
import { REPO_ROOT } from "./cli.ts";

export const EXAMPLE = join(REPO_ROOT, "examples", "noetl-mini");
const BUILD_OUTPUTS = new Set(["node_modules", "target", "dist", ".noetl"]);

export function copyExample(name = "noetl-ws"): string {
  const parent = mkdtempSync(join(tmpdir(), "noetl-test-"));
  const root = join(parent, name);
  cpSync(EXAMPLE, root, {
    recursive: true,
    filter: (source) => {
      const rel = relative(EXAMPLE, source);
      if (rel.split(sep).some((part) => BUILD_OUTPUTS.has(part))) return false;
      // Installed outputs of a developer's own run of the example.
      return !/^(bin|noetl[\\/]bin)[\\/]noetl/.test(rel) && !/^noetl[\\/]core[\\/]ui[\\/](?!\.gitignore)/.test(rel);
    },
  });
  return root;
}

export function removeWorkspace(root: string): void {
  rmSync(join(root, ".."), { recursive: true, force: true });
}

/** path -> sha256 of every file under dir, for byte-identity checks. */
export function snapshotTree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else result[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })) walk(dir);
  return result;
}
