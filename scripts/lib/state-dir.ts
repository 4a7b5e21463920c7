// The tool's own state inside a workspace (.noetl/): fingerprints, logs,
// locks, the last image built. It ignores itself so no checkout needs a
// .gitignore entry for it.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Workspace } from "./workspace.ts";

export function ensureStateDir(workspace: Workspace): string {
  const dir = workspace.stateDir;
  mkdirSync(dir, { recursive: true });
  const ignore = join(dir, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "# Written by noetl-build: local state, never committed.\n*\n");
  return dir;
}
