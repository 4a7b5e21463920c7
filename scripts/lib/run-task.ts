// Runs one task: builds its context (logger, exec wrapper, host, workspace),
// installs the interruption handlers, and prints the --json result.

import { isNoetlError } from "./errors.ts";
import { createExec } from "./exec.ts";
import { getHost } from "./host.ts";
import type { Logger } from "./log.ts";
import { runCleanups, setInterruptReport } from "./signals.ts";
import type { FlagSpecs, FlagValues, GlobalFlags, TaskContext, TaskDefinition } from "./taskdef.ts";
import { resolveWorkspace, type Workspace } from "./workspace.ts";

export async function runTask(task: TaskDefinition<FlagSpecs>, flags: Record<string, unknown>, positionals: string[], globals: GlobalFlags, log: Logger): Promise<number> {
  setInterruptReport((signal) => log.warn(`${task.name} interrupted by ${signal}: stopped its commands; previous outputs are intact`));

  let workspace: Workspace | undefined;
  const context: TaskContext<FlagSpecs> = {
    task: task.name,
    flags: flags as FlagValues<FlagSpecs>,
    positionals,
    globals,
    log,
    exec: createExec(log, globals["dry-run"]),
    host: getHost(),
    workspace: () => (workspace ??= resolveWorkspace(globals.root)),
  };

  try {
    const module = await task.load();
    const result = await module.run(context);
    if (globals.json) process.stdout.write(`${JSON.stringify({ task: task.name, ok: true, ...(result ?? {}) }, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (globals.json && isNoetlError(error)) {
      process.stdout.write(`${JSON.stringify({ task: task.name, ok: false, exitCode: error.code, error: error.message, hint: error.hint, logPath: error.logPath }, null, 2)}\n`);
    }
    throw error;
  } finally {
    runCleanups();
  }
}
