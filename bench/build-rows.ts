// The builds alone, without any task runner: what a cold setup-local-dev
// cannot beat. Each run starts with no cargo target dir and no dist/.

import { rmSync } from "node:fs";
import { join } from "node:path";
import type { BenchContext, Section } from "./context.ts";
import { measureRoundRobin } from "./measure.ts";
import type { Summary } from "./stats.ts";
import { timeCell, type Row } from "./table.ts";
import { copyWorkspace, EXAMPLE, LAYOUT } from "./workspace.ts";

type Build = "npm-ci" | "ui" | "cli" | "concurrent" | "sequential";
export type BuildFigures = Record<Build, Summary>;

const UI = `cd ${LAYOUT.uiSource} && npm run build`;
const CLI = `cd ${LAYOUT.cliCrate} && cargo build --release`;
// One bash per run for all five, so the shell's start-up (a few ms) is in every figure alike.
const SCRIPTS: Record<Build, string> = {
  "npm-ci": `cd ${LAYOUT.uiSource} && npm ci --no-audit --no-fund`,
  ui: UI,
  cli: CLI,
  concurrent: `set -e; (${UI}) & ui=$!; (${CLI}) & cli=$!; wait $ui; wait $cli`,
  sequential: `set -e; (${UI}); (${CLI})`,
};
const LABELS: Record<Build, string> = {
  "npm-ci":
    "`npm ci` alone (for scale: nothing to install in the example, yet ~0.4 s; the seed script pays about this on every run)",
  ui: "`npm run build` alone (ui-src)",
  cli: "`cargo build --release` alone (noetlctl, no target dir)",
  concurrent: "both builds concurrently",
  sequential: "both builds sequentially",
};

export async function measureBuildRows(
  ctx: BenchContext
): Promise<Section & { figures: BuildFigures }> {
  const root = copyWorkspace(EXAMPLE, join(ctx.scratch, "builds"));
  const ids = Object.keys(SCRIPTS) as Build[];
  const clean = () => {
    rmSync(join(root, LAYOUT.cliCrate, "target"), { recursive: true, force: true });
    rmSync(join(root, LAYOUT.uiDist), { recursive: true, force: true });
  };

  const figures = await measureRoundRobin(
    ids,
    ctx.runs.slow,
    { before: clean, invoke: (id) => ({ argv: ["bash", "-c", SCRIPTS[id]], cwd: root }) },
    { env: ctx.env, label: "builds alone" }
  );
  const rows: Row[] = ids.map((id) => ({
    label: `f2. ${LABELS[id]}`,
    cells: { reference: timeCell(figures[id]) },
  }));
  return { rows, notes: [], figures };
}
