// The one results table: a row per measurement, a column per tool. A time
// cell shows median (min–max, n) and its ratio to the fastest cell of the
// row; a text cell holds a correctness verdict or a note.

import type { Summary } from "./stats.ts";
import { formatRatio, formatSummary } from "./stats.ts";
import type { ToolId } from "./tools.ts";

export type ColumnId = ToolId | "reference";

export type Cell =
  | { kind: "time"; summary: Summary; what?: string }
  | { kind: "text"; text: string };

export interface Row {
  label: string;
  cells: Partial<Record<ColumnId, Cell>>;
  /** Our figure against the issue's goal, when the row has one. */
  goal?: string;
}

export const COLUMNS: readonly { id: ColumnId; title: string }[] = [
  { id: "ours-node", title: "noetl-build `node --import tsx`" },
  { id: "ours-npx", title: "noetl-build `npx tsx`" },
  { id: "go-task", title: `go-task` },
  { id: "seed", title: "seed (bash script / seed-way Dockerfile)" },
  { id: "reference", title: "reference" },
];

export function timeCell(summary: Summary, what?: string): Cell {
  return { kind: "time", summary, what };
}

export function textCell(text: string): Cell {
  return { kind: "text", text };
}

export function renderTable(rows: readonly Row[]): string {
  const header = ["measurement", ...COLUMNS.map((c) => c.title), "goal / ratio to floor"];
  const lines = [row(header), row(header.map(() => "---"))];
  for (const r of rows)
    lines.push(row([r.label, ...COLUMNS.map((c) => renderCell(r, c.id)), r.goal ?? ""]));
  return lines.join("\n");
}

function renderCell(r: Row, column: ColumnId): string {
  const cell = r.cells[column];
  if (!cell) return "–";
  if (cell.kind === "text") return cell.text;

  const best = Math.min(
    ...Object.values(r.cells).flatMap((c) => (c?.kind === "time" ? [c.summary.median] : []))
  );
  const timed = Object.values(r.cells).filter((c) => c?.kind === "time").length;
  const ratio = timed > 1 ? ` **${formatRatio(cell.summary.median / best)}**` : "";
  return `${cell.what ? `${cell.what}: ` : ""}${formatSummary(cell.summary)}${ratio}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
}
