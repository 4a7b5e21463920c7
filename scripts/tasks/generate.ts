// generate: write the bake file and the workflows from matrix.ts; with
// --check, render in memory and fail on any difference from the files on disk.

import { existsSync, rmSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import type { GenerateFlags } from "../../Taskfile.ts";
import { renderGeneratedFiles, REGENERATE_COMMAND } from "../emit/generated-files.ts";
import { getTempPathBeside, writeFileAtomic } from "../lib/atomic.ts";
import { describeDrift, findDrift, type Drift } from "../lib/drift.ts";
import { taskFailure, usageError } from "../lib/errors.ts";
import type { Exec } from "../lib/exec.ts";
import type { TaskContext, TaskResult } from "../lib/taskdef.ts";
import { TOOL_ROOT } from "../lib/tool-root.ts";

export async function run(ctx: TaskContext<GenerateFlags>): Promise<TaskResult> {
  const root = resolveOutDir(ctx.flags["out-dir"]);
  const files = renderGeneratedFiles();
  const drift = findDrift(root, files, REGENERATE_COMMAND);

  if (ctx.flags.check) {
    if (drift.length === 0) {
      ctx.log.info(`${files.length} generated files are up to date`);
      return { upToDate: true, files: files.map((f) => f.path) };
    }
    for (const item of drift) await printDiff(ctx.exec, root, item, ctx.globals.json);
    throw taskFailure(`${drift.length} generated file(s) out of date: ${drift.map(describeDrift).join("; ")}`, { hint: `run \`${REGENERATE_COMMAND}\` and commit the result` });
  }

  const written: string[] = [];
  for (const item of drift) {
    const path = join(root, item.path);
    if (item.kind === "extra") {
      removeStale(path, item.path, ctx);
      continue;
    }
    ctx.log.emit({ kind: "command", argv: ["write", item.path], dryRun: ctx.globals["dry-run"] });
    if (!ctx.globals["dry-run"]) writeFileAtomic(path, item.expected);
    written.push(item.path);
  }
  ctx.log.info(written.length ? `wrote ${written.join(", ")}` : `${files.length} generated files were already up to date`);
  return { written, files: files.map((f) => f.path) };
}

async function printDiff(exec: Exec, root: string, drift: Drift, json: boolean): Promise<void> {
  if (drift.kind === "extra" || json) return;
  const path = join(root, drift.path);
  const expected = getTempPathBeside(path, "expected");
  writeFileAtomic(expected, drift.expected);
  try {
    const actual = drift.kind === "missing" ? "/dev/null" : drift.path;
    const generated = relative(root, expected).split(sep).join("/");
    const diff = await exec(["git", "diff", "--no-index", "--no-color", "--", actual, generated], { allowFailure: true, readOnly: true, cwd: root });
    // Both sides carry the committed file's name, as a reviewer reads it.
    process.stderr.write(diff.stdout.replaceAll(generated, drift.path));
  } finally {
    rmSync(expected, { force: true });
  }
}

function resolveOutDir(flag: string | undefined): string {
  if (flag === undefined) return TOOL_ROOT;
  const dir = resolve(flag);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`--out-dir ${flag} is not a directory`, "create it first, or point --out-dir at the repository that should hold the generated files");
  return dir;
}

function removeStale(path: string, relative: string, ctx: TaskContext<GenerateFlags>): void {
  ctx.log.emit({ kind: "command", argv: ["rm", relative], dryRun: ctx.globals["dry-run"] });
  if (!ctx.globals["dry-run"]) rmSync(path);
}
