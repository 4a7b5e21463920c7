// Where our no-op rerun spends its time: a V8 CPU profile (`node --cpu-prof`)
// of one run, grouped by npm package or source file (self time, and time
// with the group anywhere on the stack), the child processes the run starts
// (from --verbose, which logs every argv), and what importing each runtime
// dependency costs on its own.

import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./exec.ts";
import { measureRoundRobin } from "./measure.ts";
import type { Summary } from "./stats.ts";
import { REPO_ROOT } from "./workspace.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface GroupTime {
  name: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  wallMs: number;
  /** Sampled time of the main thread. */
  profiledMs: number;
  groups: GroupTime[];
  /** Single functions (ours and node_modules'), "name (file:line)". */
  functions: GroupTime[];
  children: string[];
}

export async function profileNoop(
  root: string,
  outDir: string,
  env: NodeJS.ProcessEnv
): Promise<ProfileSummary> {
  mkdirSync(outDir, { recursive: true });
  const args = ["Taskfile.ts", "setup-local-dev", "--root", root];
  const profiled = await run(
    ["node", "--cpu-prof", "--cpu-prof-dir", outDir, "--import", "tsx", ...args],
    { cwd: REPO_ROOT, env }
  );
  const verbose = await run(["node", "--import", "tsx", ...args, "--verbose"], {
    cwd: REPO_ROOT,
    env,
  });

  // One file per thread: the main one, and the thread tsx's loader hooks run on
  // (module.register), which the main thread waits for while importing.
  const profiles = readdirSync(outDir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => JSON.parse(readFileSync(join(outDir, f), "utf8")) as CpuProfile);
  const main = profiles.sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime))[0];

  return {
    wallMs: profiled.ms,
    profiledMs: (main.endTime - main.startTime) / 1000,
    groups: groupTimes(main, (frame) => getGroup(frame)),
    functions: groupTimes(main, getFunction).filter((f) => !f.name.startsWith("(")),
    children: verbose.stderr
      .split("\n")
      .filter((line) => line.trimStart().startsWith("$ "))
      .map((line) => line.trim().replace(/^\$ /, "")),
  };
}

/** Import cost of each runtime dependency, and of tsx's loader, against bare `node`. */
export async function measureImportCosts(
  runs: number,
  env: NodeJS.ProcessEnv
): Promise<Record<string, Summary>> {
  const probes: Record<string, string[]> = {
    "node (ESM, nothing imported)": ["node", "--input-type=module", "-e", "0"],
    "+ `--import tsx` (registering the loader)": [
      "node",
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      "0",
    ],
    "+ `import('zx')`": ["node", "--input-type=module", "-e", "await import('zx')"],
    "+ `import('globby')`": ["node", "--input-type=module", "-e", "await import('globby')"],
  };
  const ids = Object.keys(probes);
  return measureRoundRobin(
    ids,
    runs,
    { invoke: (id) => ({ argv: probes[id], cwd: REPO_ROOT }) },
    { env, label: "import costs" }
  );
}

type Classifier = (frame: ProfileNode["callFrame"]) => string;

function groupTimes(profile: CpuProfile, classify: Classifier): GroupTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();

  profile.samples.forEach((id, i) => {
    const ms = profile.timeDeltas[i] / 1000;
    const leaf = byId.get(id);
    if (!leaf) return;
    add(self, classify(leaf.callFrame), ms);

    // Each group once per sample, however often it recurs on the stack.
    const seen = new Set<string>();
    for (
      let current: number | undefined = id;
      current !== undefined;
      current = parents.get(current)
    ) {
      const node = byId.get(current);
      if (node) seen.add(classify(node.callFrame));
    }
    for (const group of seen) add(total, group, ms);
  });

  return [...total]
    .map(([name, totalMs]) => ({ name, selfMs: self.get(name) ?? 0, totalMs }))
    .sort((a, b) => b.totalMs - a.totalMs);
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

/**
 * One function of this repository or its node_modules; "(other)" for the
 * rest. No line numbers: tsx's transformed TypeScript reports meaningless ones.
 */
function getFunction(frame: ProfileNode["callFrame"]): string {
  const path = frame.url.startsWith("file://") ? fileURLToPath(frame.url) : frame.url;
  if (!path.startsWith(REPO_ROOT)) return "(other)";
  return `${frame.functionName || "(top level)"} (${relative(REPO_ROOT, path).replace(
    /^node_modules\//,
    ""
  )})`;
}

/** A package, a file of ours, a Node subsystem, or V8's own buckets. */
export function getGroup(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native / V8 builtins)";

  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const parts = url.slice(modules + "/node_modules/".length).split("/");
    return `npm ${parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (url.startsWith("node:")) return url.split("/").slice(0, 3).join("/");
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  return path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path) : path;
}
