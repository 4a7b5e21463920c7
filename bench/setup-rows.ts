// setup-local-dev on the example workspace: cold, no-op, after a UI edit,
// after the installed binary was deleted or edited. Each tool works on its
// own copy; the rows after "cold" reuse the copy the last cold run built.

import {
  appendFileSync,
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { join } from "node:path";
import type { BenchContext, Section } from "./context.ts";
import type { RunResult } from "./exec.ts";
import { measureRoundRobin, type Trial } from "./measure.ts";
import type { Summary } from "./stats.ts";
import { textCell, timeCell, type Row } from "./table.ts";
import { TOOL_IDS, type ToolId } from "./tools.ts";
import { copyWorkspace, editUiSource, EXAMPLE, getInstalledCli, LAYOUT } from "./workspace.ts";

type Verdicts = Record<ToolId, boolean[]>;

export interface SetupFigures {
  cold: Record<ToolId, Summary>;
  noop: Record<ToolId, Summary>;
}

export async function measureSetupRows(
  ctx: BenchContext
): Promise<Section & { figures: SetupFigures; goalRows: { cold: Row; noop: Row } }> {
  const roots = Object.fromEntries(
    TOOL_IDS.map((id) => [id, join(ctx.scratch, "example", id)])
  ) as Record<ToolId, string>;
  const measure = (label: string, runs: number, hooks: Omit<Trial<ToolId>, "invoke">) =>
    measureRoundRobin(
      TOOL_IDS,
      runs,
      { ...hooks, invoke: (id) => ctx.tools[id].setup(roots[id]) },
      { env: ctx.env, label }
    );
  const rows: Row[] = [];

  const cold = await measure("cold", ctx.runs.slow, {
    before: (id) => void copyWorkspace(EXAMPLE, roots[id]),
    after: (id, _i, r) => expectInstalled(roots[id], r),
  });
  const coldRow = toRow(
    "a. cold `setup-local-dev` (fresh copy: no tool state, no cargo target, no node_modules/dist/outputs; npm + cargo caches warm)",
    cold
  );
  rows.push(coldRow);

  const skipped = emptyVerdicts();
  const notes: string[] = [];
  const noop = await measure("no-op", ctx.runs.fast, {
    after: (id, i, r) => {
      skipped[id].push(isNoop(id, r));
      if (id !== "seed" && !isNoop(id, r))
        notes.push(`No-op run ${i + 1} of ${id} rebuilt something: \`${describeRebuild(r)}\``);
    },
  });
  const noopRow = toRow("b. no-op rerun", noop);
  rows.push(
    noopRow,
    verdictRow("b. CORRECTNESS: no-op rebuilt nothing", skipped, "rebuilds all (by design)")
  );

  const reached = emptyVerdicts();
  const edit = await measure("edit UI", ctx.runs.slow, {
    before: (id, i) => void editUiSource(roots[id], `bench-edit-${i}`),
    after: (id, i) => void reached[id].push(installedUiHas(roots[id], `bench-edit-${i}`)),
  });
  rows.push(
    toRow("c. rerun after appending a line to ui-src/src/main.js", edit),
    verdictRow("c. CORRECTNESS: the edit reached noetl/core/ui", reached)
  );

  const restored = emptyVerdicts();
  const deleted = await measure("rm bin/noetl", ctx.runs.slow, {
    before: (id) => rmSync(getInstalledCli(roots[id]), { force: true }),
    after: (id) => void restored[id].push(existsSync(getInstalledCli(roots[id]))),
  });
  rows.push(
    toRow("d. rerun after deleting bin/noetl", deleted),
    verdictRow("d. CORRECTNESS: bin/noetl restored", restored)
  );

  // Start from a correct install again, whatever the previous row left.
  for (const id of TOOL_IDS) reinstallCli(roots[id]);
  const repaired = emptyVerdicts();
  const edited = await measure("edit bin/noetl", Math.min(3, ctx.runs.slow), {
    before: (id) => appendFileSync(getInstalledCli(roots[id]), "corrupted by the benchmark"),
    after: (id) => void repaired[id].push(isPristineCli(roots[id])),
  });
  rows.push(
    toRow("d2. rerun after appending bytes to bin/noetl", edited),
    verdictRow("d2. CORRECTNESS: edited bin/noetl replaced by the build", repaired)
  );

  return { rows, notes, figures: { cold, noop }, goalRows: { cold: coldRow, noop: noopRow } };
}

function toRow(label: string, summaries: Record<ToolId, Summary>): Row {
  return { label, cells: Object.fromEntries(TOOL_IDS.map((id) => [id, timeCell(summaries[id])])) };
}

function emptyVerdicts(): Verdicts {
  return Object.fromEntries(TOOL_IDS.map((id) => [id, [] as boolean[]])) as Verdicts;
}

function verdictRow(label: string, verdicts: Verdicts, seedText?: string): Row {
  const describe = (values: boolean[]) => {
    const yes = values.filter(Boolean).length;
    if (yes === values.length) return `yes (${yes}/${values.length})`;
    return yes === 0 ? `**NO** (0/${values.length})` : `**partly** (${yes}/${values.length})`;
  };
  const cells = Object.fromEntries(
    TOOL_IDS.map((id) => [
      id,
      textCell(id === "seed" && seedText ? seedText : describe(verdicts[id])),
    ])
  );
  return { label, cells };
}

function expectInstalled(root: string, result: RunResult): void {
  if (!existsSync(getInstalledCli(root)))
    throw new Error(
      `\`${result.argv.join(" ")}\` installed no ${getInstalledCli(root)}:\n${result.stderr.slice(
        -2000
      )}`
    );
}

/** Did the run skip both steps? Each tool says so in its own words. */
export function isNoop(id: ToolId, result: RunResult): boolean {
  const output = result.stdout + result.stderr;
  if (id === "go-task")
    return /Task "ui" is up to date/.test(output) && /Task "cli" is up to date/.test(output);
  if (id === "seed") return false;
  return /built nothing/.test(output);
}

function describeRebuild(result: RunResult): string {
  const lines = (result.stdout + result.stderr).split("\n");
  return lines.find((line) => /^task: \[|^▸|^✔/.test(line.trim()))?.trim() ?? lines[0] ?? "";
}

function installedUiHas(root: string, marker: string): boolean {
  const assets = join(root, LAYOUT.uiInstall, "assets");
  if (!existsSync(assets)) return false;
  return readdirSync(assets).some((name) =>
    readFileSync(join(assets, name), "utf8").includes(marker)
  );
}

function getBuiltCli(root: string): string {
  return join(root, LAYOUT.cliCrate, "target", "release", LAYOUT.cliBinary);
}

function isPristineCli(root: string): boolean {
  const installed = getInstalledCli(root);
  return existsSync(installed) && readFileSync(installed).equals(readFileSync(getBuiltCli(root)));
}

/** Same bytes the tool installed, so no tool sees a changed output afterwards. */
function reinstallCli(root: string): void {
  if (!isPristineCli(root)) copyFileSync(getBuiltCli(root), getInstalledCli(root));
}
