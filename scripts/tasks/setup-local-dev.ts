// setup-local-dev: build the UI and the native CLI and install them where a
// local NoETL server finds them; or prepare a UI-less server.

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { SetupLocalDevFlags } from "../../Taskfile.ts";
import { usageError } from "../lib/errors.ts";
import { FingerprintStore } from "../lib/fingerprint.ts";
import { acquireLock, type Lock } from "../lib/lock.ts";
import { runPlan, type Step, type StepOutcome } from "../lib/plan.ts";
import { ensureStateDir } from "../lib/state-dir.ts";
import type { TaskContext, TaskResult } from "../lib/taskdef.ts";
import type { Workspace } from "../lib/workspace.ts";
import { createCliStep } from "./setup-local-dev/cli-step.ts";
import { checkCliPrerequisites, checkUiPrerequisites, decideUiMode, type UiMode } from "./setup-local-dev/preflight.ts";
import { createUiStep } from "./setup-local-dev/ui-step.ts";

export async function run(ctx: TaskContext<SetupLocalDevFlags>): Promise<TaskResult> {
  const { flags, log, exec } = ctx;
  const lockTimeout = parseLockTimeout(flags["lock-timeout"]);
  const workspace = ctx.workspace();
  const ui = decideUiMode(workspace, flags["no-ui"], process.env);
  const dryRun = ctx.globals["dry-run"];

  if (ui.kind === "build") checkUiPrerequisites(workspace);
  if (!flags["no-cli"]) await checkCliPrerequisites(workspace, exec, log);

  const lock = dryRun ? undefined : await acquireLock(join(ensureStateDir(workspace), "setup-local-dev.lock"), "setup-local-dev", log, lockTimeout * 1000);
  try {
    const outcomes = await buildAndInstall(ctx, workspace, ui, dryRun);
    printSummary(ctx, workspace, ui, outcomes);
    return { root: workspace.root, ui: ui.kind, steps: outcomes };
  } finally {
    releaseLock(lock);
  }
}

async function buildAndInstall(ctx: TaskContext<SetupLocalDevFlags>, workspace: Workspace, ui: UiMode, dryRun: boolean): Promise<StepOutcome[]> {
  const stateDir = dryRun ? join(workspace.stateDir) : ensureStateDir(workspace);
  const store = new FingerprintStore(join(stateDir, "state", "setup-local-dev.json"));
  const logDir = join(stateDir, "logs");

  const steps: Step[] = [];
  steps.push(ui.kind === "build" ? createUiStep(workspace, store, ctx.exec, logDir) : createUiLessStep(workspace, ui));
  if (!ctx.flags["no-cli"]) steps.push(createCliStep(workspace, ctx.host, store, ctx.exec, logDir, ctx.log.isVerbose));

  const outcomes = await runPlan(steps, { log: ctx.log, dryRun, force: ctx.flags.force });
  // Keeps the stat cache and the compiler identity for the next run.
  if (!dryRun) store.save();
  return outcomes;
}

function createUiLessStep(workspace: Workspace, ui: UiMode): Step {
  const assets = workspace.path(workspace.layout.uiAssets);
  return {
    id: "ui",
    commands: [["mkdir", "-p", assets]],
    async check() {
      return existsSync(assets) ? { stale: false, reason: `UI disabled (${ui.reason}); ${workspace.layout.uiAssets}/ exists` } : { stale: true, reason: `UI disabled (${ui.reason})` };
    },
    async run() {
      mkdirSync(assets, { recursive: true });
      return `created empty ${workspace.layout.uiAssets}/ for a UI-less server`;
    },
  };
}

function printSummary(ctx: TaskContext<SetupLocalDevFlags>, workspace: Workspace, ui: UiMode, outcomes: StepOutcome[]): void {
  if (ctx.globals["dry-run"]) return;
  const built = outcomes.filter((o) => o.status === "built").map((o) => o.id);
  const skipped = outcomes.filter((o) => o.status === "skipped").map((o) => o.id);
  const uiEnv = ui.kind === "none" ? "NOETL_ENABLE_UI=false " : "";

  if (!ctx.globals.json) ctx.log.info("");
  ctx.log.info(`Done in ${workspace.root}: built ${built.join(", ") || "nothing"}${skipped.length ? `; up to date: ${skipped.join(", ")}` : ""}.`);
  if (!ctx.flags["no-cli"]) ctx.log.info(`  CLI:    ${join(workspace.layout.cliInstallDirs[0], workspace.layout.cliBinary)} --version`);
  ctx.log.info(`  Server: cd ${workspace.root} && ${uiEnv}python3 -m noetl.server --host 127.0.0.1 --port 8082`);
  if (ui.kind === "none") ctx.log.info(`  The server runs without its UI (${ui.reason}).`);
}

function parseLockTimeout(value: string | undefined): number {
  if (value === undefined) return 600;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw usageError(`--lock-timeout must be a number of seconds, got "${value}"`, "pass e.g. --lock-timeout 60");
  return seconds;
}

function releaseLock(lock: Lock | undefined): void {
  lock?.release();
}
