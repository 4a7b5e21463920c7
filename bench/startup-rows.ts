// Start-up cost: `--list`, and the floor every tool starts from (an empty
// TypeScript file under the same runner; `node -e 0`; go-task's --version).

import { join } from "node:path";
import type { BenchContext, Section } from "./context.ts";
import { measureRoundRobin } from "./measure.ts";
import { ratio, type Summary } from "./stats.ts";
import { timeCell, type Row } from "./table.ts";
import { REPO_ROOT } from "./workspace.ts";

type ListTool = "ours-node" | "ours-npx" | "go-task";
type FloorProbe = "ours-node" | "ours-npx" | "go-task" | "seed" | "reference";

/** Inside bench/, so it shares package.json's "type": "module" and tsconfig with Taskfile.ts. */
export const EMPTY_TS = "bench/empty.ts";

export interface StartupFigures {
  list: Record<ListTool, Summary>;
  floor: Record<FloorProbe, Summary>;
}

export async function measureStartupRows(
  ctx: BenchContext
): Promise<Section & { figures: StartupFigures }> {
  const listRoot = join(ctx.scratch, "example", "go-task");
  const listIds: ListTool[] = ["ours-node", "ours-npx", "go-task"];
  const list = await measureRoundRobin(
    listIds,
    ctx.runs.fast,
    { invoke: (id) => ctx.tools[id].list!(listRoot) },
    { env: ctx.env, label: "--list" }
  );

  const probes: Record<FloorProbe, string[]> = {
    "ours-node": ["node", "--import", "tsx", EMPTY_TS],
    "ours-npx": ["npx", "tsx", EMPTY_TS],
    "go-task": [ctx.goTask, "--version"],
    seed: ["bash", "-c", ":"],
    reference: ["node", "-e", "0"],
  };
  const floorIds = Object.keys(probes) as FloorProbe[];
  const floor = await measureRoundRobin(
    floorIds,
    ctx.runs.fast,
    { invoke: (id) => ({ argv: probes[id], cwd: REPO_ROOT }) },
    { env: ctx.env, label: "floor" }
  );

  const rows: Row[] = [
    {
      label: "e. `--list` (ours: `Taskfile.ts --list`; go-task: `task --list`)",
      cells: {
        "ours-node": timeCell(list["ours-node"]),
        "ours-npx": timeCell(list["ours-npx"]),
        "go-task": timeCell(list["go-task"]),
      },
      goal: `node: ${ratio(list["ours-node"], floor["ours-node"])} floor; npx: ${ratio(
        list["ours-npx"],
        floor["ours-npx"]
      )} floor (goal ≤ ×1.15)`,
    },
    {
      label:
        "f. floor (ours: empty .ts under the same runner; go-task: `task --version`; seed: `bash -c :`; reference: `node -e 0`)",
      cells: Object.fromEntries(floorIds.map((id) => [id, timeCell(floor[id])])),
    },
  ];
  return { rows, notes: [], figures: { list, floor } };
}
