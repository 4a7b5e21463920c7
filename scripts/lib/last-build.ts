// The last image docker-build produced, recorded in the workspace so that
// deploy-noetl can default to it (the seed kept a tag in a text file).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.ts";
import type { Workspace } from "./workspace.ts";

export interface LastBuild {
  repository: string;
  /** Published references (REPO:TAG), first is the one to deploy. */
  references: string[];
  /** Digest of the pushed index or manifest, when pushed. */
  digest?: string;
  platforms: string[];
  pushed: boolean;
  builtAt: string;
}

export function getLastBuildPath(workspace: Workspace): string {
  return join(workspace.stateDir, "last-build.json");
}

export function writeLastBuild(workspace: Workspace, build: LastBuild): void {
  writeFileAtomic(getLastBuildPath(workspace), `${JSON.stringify(build, null, 2)}\n`);
}

export function readLastBuild(workspace: Workspace): LastBuild | undefined {
  const path = getLastBuildPath(workspace);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LastBuild;
  } catch {
    return undefined;
  }
}
