// The tools compared, each as "which argv, from which directory". Ours runs
// twice: `node --import tsx` (one Node process) and the README's `npx tsx`
// (npm's CLI, then tsx's CLI, then Node with the loader: three processes).

import { join } from "node:path";
import { GO_TASK_STATE_DIR } from "./go-taskfile.ts";
import { SEED_SCRIPT } from "./seed-script.ts";
import { LAYOUT, REPO_ROOT } from "./workspace.ts";

export type ToolId = "ours-node" | "ours-npx" | "go-task" | "seed";

export interface Invocation {
  argv: string[];
  cwd: string;
}

export interface Tool {
  id: ToolId;
  label: string;
  /** Its own fingerprint folder, relative to the workspace (what "cold" deletes). */
  stateDir?: string;
  setup(root: string): Invocation;
  list?(root: string): Invocation;
}

export const TOOL_IDS: readonly ToolId[] = ["ours-node", "ours-npx", "go-task", "seed"];

export function getTools(goTask: string): Record<ToolId, Tool> {
  const ours = (runner: string[]) => ({
    stateDir: LAYOUT.stateDir,
    setup: (root: string) => ({
      argv: [...runner, "Taskfile.ts", "setup-local-dev", "--root", root],
      cwd: REPO_ROOT,
    }),
    list: () => ({ argv: [...runner, "Taskfile.ts", "--list"], cwd: REPO_ROOT }),
  });

  return {
    "ours-node": {
      id: "ours-node",
      label: "noetl-build (`node --import tsx`)",
      ...ours(["node", "--import", "tsx"]),
    },
    "ours-npx": { id: "ours-npx", label: "noetl-build (`npx tsx`)", ...ours(["npx", "tsx"]) },
    "go-task": {
      id: "go-task",
      label: "go-task",
      stateDir: GO_TASK_STATE_DIR,
      setup: (root) => ({ argv: [goTask, "setup-local-dev"], cwd: root }),
      list: (root) => ({ argv: [goTask, "--list"], cwd: root }),
    },
    seed: {
      id: "seed",
      label: "seed script (bash)",
      setup: (root) => ({ argv: ["bash", join(root, SEED_SCRIPT)], cwd: root }),
    },
  };
}

/**
 * The environment every timed command gets: the caller's, minus what
 * `npm run bench` added (npm_* variables, node_modules/.bin on PATH), so
 * each tool starts as it would from a user's shell, plus nothing that
 * changes a build's output.
 */
export function getBenchEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      key.startsWith("npm_") ||
      key === "INIT_CWD" ||
      key === "NODE" ||
      key === "NOETL_ROOT" ||
      key === "CARGO_TARGET_DIR"
    )
      continue;
    env[key] = value;
  }
  env.PATH = (env.PATH ?? "")
    .split(":")
    .filter((dir) => !dir.includes("node_modules/.bin") && !dir.includes("node-gyp-bin"))
    .join(":");
  return { ...env, ...extra };
}
