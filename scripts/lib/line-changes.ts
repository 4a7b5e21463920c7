// What a rewrite changes, line by line, for --dry-run reports: the lines
// between the common head and tail of the old and new text.

export type LineChanges =
  | { kind: "created"; lines: number }
  | { kind: "deleted" }
  | { kind: "unchanged" }
  | { kind: "edited"; lines: { line: number; before: string; after: string }[] }
  | { kind: "inserted"; line: number; added: string[]; removed: string[] };

export function describeLineChanges(before: string | null, after: string | null): LineChanges {
  if (after === null) return { kind: "deleted" };
  if (before === null) return { kind: "created", lines: after.split("\n").length - (after.endsWith("\n") ? 1 : 0) };
  if (before === after) return { kind: "unchanged" };

  const old = before.split("\n");
  const now = after.split("\n");
  let head = 0;
  while (head < old.length && head < now.length && old[head] === now[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < now.length - head && old[old.length - 1 - tail] === now[now.length - 1 - tail]) tail++;

  const removed = old.slice(head, old.length - tail);
  const added = now.slice(head, now.length - tail);
  if (removed.length !== added.length) return { kind: "inserted", line: head + 1, added, removed };
  return { kind: "edited", lines: removed.map((line, i) => ({ line: head + 1 + i, before: line, after: added[i] })).filter((l) => l.before !== l.after) };
}
