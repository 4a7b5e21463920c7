// The goals, written next to the rows they judge: no-op rerun
// <= 1.3x the floor (plus hashing), --list <= 1.15x the floor (written by
// startup-rows.ts), cold run <= 1.1x the longer of the two builds alone.

import type { BuildFigures } from "./build-rows.ts";
import type { SetupFigures } from "./setup-rows.ts";
import type { StartupFigures } from "./startup-rows.ts";
import { ratio } from "./stats.ts";
import type { Row } from "./table.ts";

export function attachGoals(
  rows: { cold: Row; noop: Row },
  setup: SetupFigures,
  startup: StartupFigures,
  builds: BuildFigures
): void {
  const { ui, cli, concurrent } = builds;
  const longer = ui.median > cli.median ? ui : cli;
  const cold = setup.cold["ours-node"];
  rows.cold.goal = `node: ${ratio(cold, longer)} the longer build alone (goal ≤ ×1.1); ${ratio(
    cold,
    concurrent
  )} both builds run concurrently`;

  const node = ratio(setup.noop["ours-node"], startup.floor["ours-node"]);
  const npx = ratio(setup.noop["ours-npx"], startup.floor["ours-npx"]);
  rows.noop.goal = `node: ${node} floor; npx: ${npx} floor (goal ≤ ×1.3 + hashing)`;
}
