// The UI step: npm ci when the lock file changed, npm run build, then an
// atomic install of ui-src/dist into noetl/core/ui.

import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { globby } from "globby";
import { taskFailure } from "../../lib/errors.ts";
import type { Exec } from "../../lib/exec.ts";
import { compareRecord, hashBytes, type FingerprintStore } from "../../lib/fingerprint.ts";
import { installTreeAtomic, listFiles } from "../../lib/install-tree.ts";
import type { Step } from "../../lib/plan.ts";
import type { Workspace } from "../../lib/workspace.ts";

const NPM_CI = ["npm", "ci", "--no-audit", "--no-fund"] as const;
const NPM_BUILD = ["npm", "run", "build"] as const;

export function createUiStep(workspace: Workspace, store: FingerprintStore, exec: Exec, logDir: string): Step {
  const { uiSource, uiDist, uiInstall } = workspace.layout;
  const sourceDir = workspace.path(uiSource);
  const logFile = join(logDir, "ui.log");
  let inputs: { files: Record<string, string>; extra: Record<string, string> } | undefined;

  return {
    id: "ui",
    commands: [NPM_CI, NPM_BUILD],
    async check() {
      inputs = await readUiInputs(sourceDir, store);
      const previous = store.getRecord("ui");
      const outputs = await store.hashFiles(workspace.root, Object.keys(previous?.outputs ?? {}));
      return compareRecord(previous, inputs.files, inputs.extra, outputs);
    },
    async run() {
      rmSync(logFile, { force: true });
      if (needsNpmCi(sourceDir, store)) {
        await exec(NPM_CI, { cwd: sourceDir, logFile, hint: `read ${logFile}; \`npm ci\` needs package-lock.json to match package.json` });
        store.setRecord("ui-deps", { files: { "package-lock.json": hashLock(sourceDir) }, extra: {}, outputs: {}, finishedAt: new Date().toISOString() });
      }
      await exec(NPM_BUILD, { cwd: sourceDir, logFile });

      const dist = workspace.path(uiDist);
      if (listFiles(dist).length === 0) throw taskFailure(`\`npm run build\` wrote nothing to ${uiDist}`, { hint: `check the build script in ${uiSource}/package.json`, logPath: logFile });

      const previous = store.getRecord("ui");
      const prefix = `${uiInstall}/`;
      const owned = Object.keys(previous?.outputs ?? {}).map((file) => file.slice(prefix.length));
      const installed = await installTreeAtomic(dist, workspace.path(uiInstall), owned);

      const outputs = await store.hashFiles(workspace.root, installed.written.map((file) => prefix + file));
      store.setRecord("ui", { files: inputs?.files ?? {}, extra: inputs?.extra ?? {}, outputs, finishedAt: new Date().toISOString() });
      store.save();
      const kept = installed.preserved.length ? `, kept ${installed.preserved.join(", ")}` : "";
      return `${installed.written.length} files in ${uiInstall}${kept}`;
    },
  };
}

async function readUiInputs(sourceDir: string, store: FingerprintStore) {
  const files = await globby(["**"], { cwd: sourceDir, dot: true, ignore: ["**/node_modules/**", "dist/**", ".git/**"] });
  const extra: Record<string, string> = { node: process.version };
  // Vite bakes every VITE_* variable into the bundle.
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("VITE_") || key === "NODE_ENV") extra[`env ${key}`] = value ?? "";
  }
  return { files: await store.hashFiles(sourceDir, files), extra: sortRecord(extra) };
}

function needsNpmCi(sourceDir: string, store: FingerprintStore): boolean {
  // A lock without dependencies has nothing to install.
  if (!lockHasDependencies(sourceDir)) return false;
  const recorded = store.getRecord("ui-deps")?.files["package-lock.json"];
  return recorded !== hashLock(sourceDir) || !existsSync(join(sourceDir, "node_modules"));
}

function hashLock(sourceDir: string): string {
  return hashBytes(readFileSync(join(sourceDir, "package-lock.json")));
}

function lockHasDependencies(sourceDir: string): boolean {
  const lock = JSON.parse(readFileSync(join(sourceDir, "package-lock.json"), "utf8")) as { packages?: Record<string, unknown> };
  return Object.keys(lock.packages ?? {}).some((key) => key !== "");
}

function sortRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
