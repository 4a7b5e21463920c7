// What docker-build checks before building, each failure with its fix.

import type { DockerPlatform } from "../../lib/arch.ts";
import { BUILDX, parseBuilderInspect, type BuilderInfo } from "../../lib/buildx.ts";
import { taskFailure } from "../../lib/errors.ts";
import type { Exec } from "../../lib/exec.ts";
import type { Host } from "../../lib/host.ts";
import type { Logger } from "../../lib/log.ts";
import { findExecutable } from "../../lib/which.ts";
import type { BuildOptions } from "./options.ts";

export type BuildMode = { kind: "bake"; builder: BuilderInfo } | { kind: "docker-build" };

const DAEMON_DOWN = /Cannot connect to the Docker daemon|failed to connect to the docker API|error during connect|connection refused|no such file or directory.*docker\.sock|Is the docker daemon running/i;

export async function runPreflight(exec: Exec, options: BuildOptions, host: Host, log: Logger): Promise<BuildMode> {
  if (!findExecutable("docker")) {
    throw taskFailure("docker is not installed", { hint: "install Docker Desktop (macOS, Windows) or Docker Engine with the buildx plugin (Linux)" });
  }

  const buildx = await exec([...BUILDX, "version"], { readOnly: true, allowFailure: true });
  if (buildx.code !== 0) {
    if (needsBuildx(options, host)) {
      throw taskFailure("docker buildx is not installed, and this build needs it (several or foreign platforms, --push-by-digest or --oci-archive)", { hint: "install the buildx plugin (docker-buildx-plugin package, or Docker Desktop)" });
    }
    await checkDaemon(exec);
    log.warn("docker buildx is not installed: building the host platform with `docker build` (install buildx for multi-platform builds)");
    return { kind: "docker-build" };
  }

  const builder = await inspectBuilder(exec, options.builder);
  if (builder.driver === "docker" && options.platforms.length > 1) {
    throw taskFailure(`builder "${builder.name}" uses the docker driver, which cannot build several platforms at once`, {
      hint: "create a capable builder: docker buildx create --name noetl --driver docker-container --use (or pass --builder NAME)",
    });
  }
  if (options.output.kind === "load" || builder.driver === "docker") await checkDaemon(exec);

  for (const platform of options.platforms) warnIfNotRunnable(builder, platform, log);
  return { kind: "bake", builder };
}

function needsBuildx(options: BuildOptions, host: Host): boolean {
  return options.useBuildx || options.platforms.length > 1 || options.platforms[0] !== host.dockerPlatform || options.output.kind === "push-by-digest" || options.output.kind === "oci" || options.print;
}

async function inspectBuilder(exec: Exec, name: string | undefined): Promise<BuilderInfo> {
  const result = await exec([...BUILDX, "inspect", ...(name ? [name] : [])], { readOnly: true, allowFailure: true, timeoutMs: 60_000 });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.code !== 0) {
    if (DAEMON_DOWN.test(output)) throw daemonDown(output);
    throw taskFailure(`buildx builder ${name ? `"${name}" ` : ""}is not available: ${lastLine(output)}`, { hint: "list builders with `docker buildx ls`; create one with `docker buildx create --name noetl --driver docker-container --use`" });
  }
  const info = parseBuilderInspect(result.stdout);
  if (info.error) {
    if (DAEMON_DOWN.test(info.error)) throw daemonDown(info.error);
    throw taskFailure(`buildx builder "${info.name}" is not usable: ${info.error}`, { hint: "check it with `docker buildx inspect --bootstrap`, or pick another with --builder" });
  }
  if (info.status && info.status !== "running" && info.status !== "inactive") {
    throw taskFailure(`buildx builder "${info.name}" is ${info.status}`, { hint: `restart it (docker buildx inspect --bootstrap ${info.name}) or pick another with --builder` });
  }
  return info;
}

async function checkDaemon(exec: Exec): Promise<void> {
  const result = await exec(["docker", "version", "--format", "{{.Server.Version}}"], { readOnly: true, allowFailure: true, timeoutMs: 30_000 });
  if (result.code !== 0 || !result.stdout.trim()) throw daemonDown(`${result.stdout}\n${result.stderr}`);
}

function daemonDown(output: string): Error {
  const where = process.env.DOCKER_HOST ? ` at ${process.env.DOCKER_HOST}` : "";
  return taskFailure(`cannot reach the Docker daemon${where} (${lastLine(output)})`, { hint: "start Docker (Docker Desktop, colima start, or sudo systemctl start docker) or fix DOCKER_HOST / the docker context" });
}

/**
 * Every stage of the NoETL Dockerfile that RUNs anything runs on the build
 * platform, so a builder without QEMU still builds a foreign platform. Only
 * a Dockerfile changed to RUN in the target stage would need an emulator.
 */
function warnIfNotRunnable(builder: BuilderInfo, platform: DockerPlatform, log: Logger): void {
  if (builder.platforms.length === 0 || builder.platforms.some((p) => p.replace("/v8", "") === platform)) return;
  log.warn(`builder "${builder.name}" cannot run ${platform} programs (no emulator); fine for this Dockerfile, which cross-compiles. A Dockerfile that RUNs in the ${platform} stage would need binfmt: docker run --privileged --rm tonistiigi/binfmt --install ${platform.split("/")[1]}`);
}

function lastLine(text: string): string {
  return text.trim().split("\n").filter(Boolean).at(-1)?.replace(/^(ERROR|error):\s*/, "") ?? "no output";
}
