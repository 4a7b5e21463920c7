// Throwaway copies of a NoETL workspace, one per tool and run, so no tool
// ever sees another's outputs or fingerprints. Every copy also holds the
// peers' files (Taskfile.yml, setup-local-dev.sh): the copies stay identical.

import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { matrix, type Layout } from "../matrix.ts";
import { GO_TASKFILE, renderGoTaskfile } from "./go-taskfile.ts";
import { renderSeedScript, SEED_SCRIPT } from "./seed-script.ts";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const EXAMPLE = join(REPO_ROOT, "examples", "noetl-mini");
export const LAYOUT: Layout = matrix.layout;

/** Build outputs and tool state that a source checkout does not have. */
const OUTPUT_DIRS = new Set(["node_modules", "target", "dist", ".noetl", ".task"]);

export function createScratchDir(): string {
  return mkdtempSync(join(tmpdir(), "noetl-bench-"));
}

/** A pristine copy of `source` at `dest`: sources only, no outputs, no state. */
export function copyWorkspace(source: string, dest: string): string {
  rmSync(dest, { recursive: true, force: true });
  cpSync(source, dest, {
    recursive: true,
    filter: (path) => {
      const rel = relative(source, path);
      if (rel.split(sep).some((part) => OUTPUT_DIRS.has(part))) return false;
      return !isInstalledOutput(rel);
    },
  });
  writeFileSync(join(dest, GO_TASKFILE), renderGoTaskfile(LAYOUT));
  writeFileSync(join(dest, SEED_SCRIPT), renderSeedScript(LAYOUT));
  return dest;
}

/** Files a developer's own run of the example installed (kept out of copies). */
function isInstalledOutput(rel: string): boolean {
  const posix = rel.split(sep).join("/");
  const cliOutputs = LAYOUT.cliInstallDirs.map((dir) => `${dir}/${LAYOUT.cliBinary}`);
  if (cliOutputs.includes(posix)) return true;
  return posix.startsWith(`${LAYOUT.uiInstall}/`) && posix !== `${LAYOUT.uiInstall}/.gitignore`;
}

/** Changes the content of one UI source (a touch alone would not count for a checksum). */
export function editUiSource(root: string, marker: string): string {
  const file = join(root, LAYOUT.uiSource, "src", "main.js");
  appendFileSync(file, `\n// ${marker}\n`);
  return file;
}

export function getInstalledCli(root: string): string {
  return join(root, LAYOUT.cliInstallDirs[0], LAYOUT.cliBinary);
}
