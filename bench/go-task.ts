// go-task, the peer we compare against, built from source through the Go
// module proxy (the only route to it on machines that reach nothing but
// package registries) and cached beside the harness's other tools.

import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { run } from "./exec.ts";

/** A current v3 release (v3.54.0 was the newest on the proxy when this was written). */
export const GO_TASK_VERSION = "v3.54.0";
const MODULE = "github.com/go-task/task/v3/cmd/task";

export function getHarnessCache(): string {
  return process.env.NOETL_HARNESS_CACHE ?? join(homedir(), ".cache", "noetl-harness");
}

/** Path of the `task` binary; builds it on the first call only. */
export async function ensureGoTask(
  version = GO_TASK_VERSION
): Promise<{ path: string; built: boolean; ms: number }> {
  const dir = join(getHarnessCache(), `go-task-${version}`);
  const binary = join(dir, "task");
  if (existsSync(binary)) return { path: binary, built: false, ms: 0 };

  const go = findGo();
  const staging = `${dir}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // From / so no go.mod around the caller interferes; GOTOOLCHAIN=local so
  // an older Go fails clearly instead of downloading a toolchain.
  const env = {
    ...process.env,
    GOBIN: staging,
    GOTOOLCHAIN: "local",
    CGO_ENABLED: "0",
    GOFLAGS: "-trimpath",
  };
  const result = await run([go, "install", `${MODULE}@${version}`], {
    cwd: "/",
    env,
    timeoutMs: 900_000,
  });

  // Rename last, so an interrupted build never looks cached.
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { path: binary, built: true, ms: result.ms };
}

function findGo(): string {
  const candidates = [process.env.NOETL_GO, "/usr/local/go/bin/go"].filter((c): c is string =>
    Boolean(c)
  );
  const found = candidates.find((c) => existsSync(c));
  // Else rely on PATH; the spawn error then names the missing binary.
  return found ?? "go";
}
