// What the release tells the user: the plan (each file and the line it
// changes, the changelog entry, the commit and the tag) and the status.

import { describeLineChanges } from "../../lib/line-changes.ts";
import type { Logger } from "../../lib/log.ts";
import { bumpSemver } from "../../lib/semver.ts";
import { getHighestBump } from "../../lib/pending-changesets.ts";
import type { PlannedFile, ReleasePlan } from "./plan.ts";
import type { ReleaseState } from "./state.ts";

export interface GitSteps {
  commit?: { branch: string; message: string };
  tag?: string;
  push?: { remote: string; refs: string[] };
}

export function printReleasePlan(log: Logger, plan: ReleasePlan, steps: GitSteps, dryRun: boolean): void {
  const count = plan.changesets.length;
  const verb = steps.commit ? ["Would release", "Releasing"] : ["Would version", "Versioning"];
  log.info(`${verb[dryRun ? 0 : 1]} ${plan.tag}: ${plan.from} -> ${plan.version} (from ${count} changeset${count === 1 ? "" : "s"})`);
  printFiles(log, plan.files);

  if (plan.changelogEntry) {
    log.info("Changelog entry:");
    for (const line of plan.changelogEntry.split("\n")) log.info(`  ${line}`.trimEnd());
  }
  printGitSteps(log, steps);
}

export function printFiles(log: Logger, files: readonly PlannedFile[]): void {
  log.info(files.length ? "Files:" : "Files: none change");
  for (const file of files) for (const line of formatFile(file)) log.info(`  ${line}`);
}

export function printGitSteps(log: Logger, steps: GitSteps): void {
  if (steps.commit) log.info(`Commit on ${steps.commit.branch}: "${steps.commit.message.split("\n")[0]}"`);
  if (steps.tag) log.info(`Tag: ${steps.tag}`);
  if (steps.push) log.info(`Push to ${steps.push.remote}: ${steps.push.refs.join(" ")}`);
  else if (steps.tag) log.info("Push: no (pass --push to push it)");
}

export function formatFile(file: PlannedFile): string[] {
  const change = describeLineChanges(file.before, file.after);
  switch (change.kind) {
    case "unchanged":
      return [`${file.path}: unchanged`];
    case "created":
      return [`${file.path}: created (${change.lines} lines)`];
    case "deleted":
      return [`${file.path}: deleted${file.role === "changeset" ? " (changeset applied)" : ""}`];
    case "edited":
      return change.lines.map((l) => `${file.path}:${l.line}  ${l.before.trim()}  ->  ${l.after.trim()}`);
    case "inserted":
      return [`${file.path}:${change.line}  +${change.added.length} line(s)${change.removed.length ? `, -${change.removed.length}` : ""}${file.role === "changelog" ? " (the entry below)" : ""}`];
  }
}

export function buildCommitMessage(plan: ReleasePlan): string {
  return `Release ${buildTagMessage(plan.tag, plan.changelogEntry)}`;
}

/** The tag's subject, then the changelog entry without its `## X.Y.Z` heading. */
export function buildTagMessage(tag: string, changelogEntry: string | undefined): string {
  const body = changelogEntry?.split("\n").slice(1).join("\n").trim();
  return body ? `${tag}\n\n${body}\n` : `${tag}\n`;
}

export interface StatusReport {
  root: string;
  initialized: boolean;
  packageName?: string;
  agree: boolean;
  version?: string;
  highest?: string;
  sources: { path: string; field: string; version: string }[];
  pending: { file: string; bump: string; summary: string }[];
  nextVersion?: string;
  preTag?: string;
}

export function buildStatus(state: ReleaseState): StatusReport {
  const bump = state.packageName ? getHighestBump(state.pending, state.packageName) : undefined;
  const base = state.summary.version;
  const nextVersion = bump && base && !state.preTag ? bumpSemver(base, bump) : undefined;
  const pending = state.pending.map((c) => ({ file: c.file, bump: c.releases.find((r) => r.name === state.packageName)?.type ?? "none", summary: c.summary.split("\n")[0] }));

  return {
    root: state.root,
    initialized: state.initialized,
    packageName: state.packageName,
    agree: state.summary.agree,
    version: state.summary.version,
    highest: state.summary.highest,
    sources: state.summary.fields,
    pending,
    nextVersion,
    preTag: state.preTag,
  };
}

export function printStatus(log: Logger, report: StatusReport, hint: (args: string) => string): void {
  log.info(`Release status of ${report.root}`);
  log.info(report.initialized ? `  set up: yes (release package "${report.packageName ?? "?"}")` : `  set up: no (run \`${hint("init")}\`)`);
  log.info(`  version sources: ${report.agree ? `all at ${report.version}` : "DISAGREE"}`);
  const width = Math.max(...report.sources.map((s) => `${s.path} ${s.field}`.length));
  for (const s of report.sources) log.info(`    ${`${s.path} ${s.field}`.padEnd(width)}  ${s.version}`);

  log.info(`  pending changesets: ${report.pending.length}${report.nextVersion ? ` (next version ${report.nextVersion})` : ""}${report.preTag ? ` (pre-release mode "${report.preTag}")` : ""}`);
  for (const c of report.pending) log.info(`    ${c.file}: ${c.bump}: ${c.summary}`);
  if (!report.agree) log.warn(`the version sources disagree: run \`${hint("sync")}\`${report.highest ? ` to align them to ${report.highest} (the highest)` : " --to X.Y.Z"}`);
}
