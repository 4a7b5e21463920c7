// How the no-op rerun grows with the workspace: ours against go-task on the
// example and on generated workspaces of two sizes. All six (size, tool)
// pairs share one rotation: the growth is a difference of a few tens of ms,
// smaller than the drift of a shared machine between two separate rows.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { BenchContext, Section } from "./context.ts";
import { run } from "./exec.ts";
import { measureRoundRobin, progress } from "./measure.ts";
import { isNoop } from "./setup-rows.ts";
import type { Summary } from "./stats.ts";
import { textCell, timeCell, type Row } from "./table.ts";
import { growWorkspace, type SyntheticSize } from "./synthetic-workspace.ts";
import { copyWorkspace, EXAMPLE, LAYOUT } from "./workspace.ts";

type Peer = "ours-node" | "go-task";
const PEERS: readonly Peer[] = ["ours-node", "go-task"];

export const SIZES: readonly SyntheticSize[] = [
  { name: "example", uiFiles: 0, rustModules: 0 },
  { name: "medium", uiFiles: 1000, rustModules: 100 },
  { name: "large", uiFiles: 4000, rustModules: 400 },
];

interface Workspace {
  size: SyntheticSize;
  files: number;
  roots: Record<Peer, string>;
}

export async function measureSyntheticRows(ctx: BenchContext): Promise<Section> {
  const notes: string[] = [];
  const workspaces: Workspace[] = [];
  for (const size of SIZES) workspaces.push(await prepareWorkspace(ctx, size, notes));

  const ids = workspaces.flatMap((w) => PEERS.map((peer) => `${peer}@${w.size.name}`));
  const find = (id: string) => {
    const [peer, name] = id.split("@") as [Peer, string];
    return { peer, workspace: workspaces.find((w) => w.size.name === name)! };
  };
  const rebuilt = new Set<string>();
  const noop = await measureRoundRobin(
    ids,
    ctx.runs.fast,
    {
      invoke: (id) => ctx.tools[find(id).peer].setup(find(id).workspace.roots[find(id).peer]),
      after: (id, _i, result) => void (isNoop(find(id).peer, result) || rebuilt.add(id)),
    },
    { env: ctx.env, label: "no-op by size" }
  );
  if (rebuilt.size)
    notes.push(`WARNING: a "no-op" run rebuilt something: ${[...rebuilt].join(", ")}.`);

  const rows: Row[] = workspaces.map((w) => ({
    label: `h. no-op rerun, ${describe(w)}`,
    cells: Object.fromEntries(
      PEERS.map((peer) => [peer, timeCell(noop[`${peer}@${w.size.name}`])])
    ),
  }));
  rows.push(growthRow(workspaces, noop));
  return { rows, notes };
}

async function prepareWorkspace(
  ctx: BenchContext,
  size: SyntheticSize,
  notes: string[]
): Promise<Workspace> {
  const source = copyWorkspace(EXAMPLE, join(ctx.scratch, "synthetic", size.name, "source"));
  growWorkspace(source, size);
  const dir = (peer: Peer) => join(ctx.scratch, "synthetic", size.name, peer);
  const roots = Object.fromEntries(
    PEERS.map((peer) => [peer, copyWorkspace(source, dir(peer))])
  ) as Record<Peer, string>;
  const files = countInputFiles(source);

  // The first build only creates fingerprints; it is not what these rows are about.
  progress(`  ${size.name}: first builds\n`);
  for (const peer of PEERS) {
    const { argv, cwd } = ctx.tools[peer].setup(roots[peer]);
    const first = await run(argv, { cwd, env: ctx.env, timeoutMs: 1_800_000 });
    if (size.uiFiles > 0)
      notes.push(
        `Synthetic ${size.name} (${files} input files): first build with ${peer} took ${(
          first.ms / 1000
        ).toFixed(1)} s.`
      );
  }
  return { size, files, roots };
}

function describe(w: Workspace): string {
  if (w.size.uiFiles === 0) return `the example workspace (${w.files} input files)`;
  return `synthetic ${w.size.name} workspace (+${w.size.uiFiles} UI files, +${w.size.rustModules} Rust modules; ${w.files} input files)`;
}

/** Least-squares slope of the no-op median against the input file count. */
function growthRow(workspaces: readonly Workspace[], noop: Record<string, Summary>): Row {
  const slope = (peer: Peer) => {
    const xs = workspaces.map((w) => w.files);
    const ys = workspaces.map((w) => noop[`${peer}@${w.size.name}`].median);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const num = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i] - my), 0);
    const den = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
    return (num / den) * 1000;
  };
  const cell = (peer: Peer) => {
    const ms = slope(peer);
    return textCell(`${ms >= 0 ? "+" : "−"}${Math.abs(ms).toFixed(0)} ms per 1000 input files`);
  };
  const counts = workspaces.map((w) => w.files).join(", ");
  return {
    label: `h. growth of the no-op rerun (least-squares slope over ${counts} files)`,
    cells: { "ours-node": cell("ours-node"), "go-task": cell("go-task") },
  };
}

/** Files either tool fingerprints: ui-src without node_modules/dist, the crate without target. */
export function countInputFiles(root: string): number {
  const skip = new Set(["node_modules", "dist", "target"]);
  const walk = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((n, entry) => {
      if (entry.isDirectory()) return skip.has(entry.name) ? n : n + walk(join(dir, entry.name));
      return n + 1;
    }, 0);
  return walk(join(root, LAYOUT.uiSource)) + walk(join(root, LAYOUT.cliCrate));
}
