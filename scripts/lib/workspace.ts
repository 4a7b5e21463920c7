// Finding and checking the NoETL workspace a task works on.

import { existsSync, statSync, accessSync, constants } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { matrix, type Layout } from "../../matrix.ts";
import { usageError } from "./errors.ts";

export interface Workspace {
  root: string;
  layout: Layout;
  path(relative: string): string;
  stateDir: string;
}

/** --root, then NOETL_ROOT, then the nearest ancestor that looks like NoETL. */
export function resolveWorkspace(rootFlag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Workspace {
  if (rootFlag !== undefined && rootFlag.trim() === "") throw usageError("--root is empty", "pass the NoETL checkout's directory, e.g. --root ~/src/noetl, or leave --root out");
  const explicit = rootFlag ?? (env.NOETL_ROOT || undefined);
  const source = rootFlag !== undefined ? "--root" : "NOETL_ROOT";
  const root = explicit !== undefined ? checkExplicitRoot(resolve(cwd, explicit), source) : findWorkspaceUp(cwd);

  if (!root) {
    throw usageError(`${cwd} is not inside a NoETL workspace (no ${matrix.layout.pyproject} beside a ${matrix.layout.pythonPackage}/ package)`, "pass --root DIR (or set NOETL_ROOT) to point at your NoETL checkout, e.g. --root examples/noetl-mini");
  }
  return makeWorkspace(root);
}

export function makeWorkspace(root: string): Workspace {
  const layout = matrix.layout;
  return { root, layout, path: (relative) => join(root, relative), stateDir: join(root, layout.stateDir) };
}

export function looksLikeWorkspace(dir: string): boolean {
  return existsSync(join(dir, matrix.layout.pyproject)) && isDirectory(join(dir, matrix.layout.pythonPackage));
}

function findWorkspaceUp(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (looksLikeWorkspace(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function checkExplicitRoot(root: string, source: string): string {
  if (!existsSync(root)) throw usageError(`${source} ${root} does not exist`, `pass ${source === "--root" ? "--root" : "NOETL_ROOT="} the path of a NoETL checkout`);
  if (!isDirectory(root)) throw usageError(`${source} ${root} is a file, not a directory`, "point it at the NoETL checkout's top directory");
  try {
    accessSync(root, constants.R_OK | constants.X_OK);
  } catch {
    throw usageError(`${source} ${root} is not readable`, `fix its permissions (chmod u+rx ${root}) or run as its owner`);
  }

  if (!looksLikeWorkspace(root)) {
    const missing = [matrix.layout.pyproject, `${matrix.layout.pythonPackage}/`].filter((p) => !existsSync(join(root, p)));
    throw usageError(`${root} is not a NoETL workspace (missing ${missing.join(" and ")})`, "point --root at the directory that holds pyproject.toml and the noetl/ package");
  }
  return root;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
