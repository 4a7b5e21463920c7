// The environment the engine-backed tests run in, as the harness scripts
// export it (`docker.sh env`, `kube.sh env`). Under CI=true a harness that
// is not running is a failure, never a skip.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./cli.ts";

export function readHarnessEnv(script: "docker.sh" | "kube.sh"): Record<string, string> {
  const path = join(REPO_ROOT, "test", "harness", script);
  const status = spawnSync("bash", [path, "status"], { encoding: "utf8" });
  assert.equal(status.status, 0, `the ${script} harness is not running; start it with \`bash ${path} start\` (npm run e2e does):\n${status.stdout}${status.stderr}`);

  const printed = spawnSync("bash", ["-c", `eval "$(bash '${path}' env)" && env -0`], { encoding: "utf8" });
  assert.equal(printed.status, 0, printed.stderr);
  const env: Record<string, string> = {};
  for (const entry of printed.stdout.split("\0").filter(Boolean)) {
    const eq = entry.indexOf("=");
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

export function harness(script: "docker.sh" | "kube.sh", ...args: string[]): string {
  const result = spawnSync("bash", [join(REPO_ROOT, "test", "harness", script), ...args], { encoding: "utf8" });
  assert.equal(result.status, 0, `${script} ${args.join(" ")} failed:\n${result.stderr}`);
  return result.stdout;
}
