// The Docker harness (test/harness/docker.sh) as the image rows use it: its
// status, its environment, and the QEMU switch.

import { join } from "node:path";
import { run } from "./exec.ts";
import { REPO_ROOT } from "./workspace.ts";

const SCRIPT = join(REPO_ROOT, "test", "harness", "docker.sh");

/** Why the harness cannot be used, or undefined when it is running. */
export async function checkHarness(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const status = await run(["bash", SCRIPT, "status"], { env, allowFailure: true });
  if (status.code === 0) return undefined;
  return `the Docker harness is not running (start it with \`bash test/harness/docker.sh start\`): ${status.stdout
    .trim()
    .split("\n")
    .at(-1)}`;
}

/** `env` plus what `docker.sh env` exports (DOCKER_HOST, BUILDX_BUILDER, the base images...). */
export async function getHarnessEnv(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  // Evaluated by bash itself: the PATH line appends "$PATH", which only a shell expands.
  const printed = await run(["bash", "-c", `eval "$(bash '${SCRIPT}' env)" && env -0`], { env });
  const result: NodeJS.ProcessEnv = {};
  for (const entry of printed.stdout.split("\0").filter(Boolean)) {
    const eq = entry.indexOf("=");
    result[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return result;
}

export async function setBinfmt(state: "on" | "off", env: NodeJS.ProcessEnv): Promise<void> {
  await run(["bash", SCRIPT, "binfmt", state], { env });
}
