// doctor: what this host is, which tools are present, and for each task what
// is missing with the command that fixes it.

import type { DoctorFlags } from "../../Taskfile.ts";
import { taskFailure } from "../lib/errors.ts";
import type { Exec } from "../lib/exec.ts";
import type { Host } from "../lib/host.ts";
import { detectToolchains, type ToolName, type ToolStatus } from "../lib/toolchains.ts";
import type { TaskContext, TaskResult } from "../lib/taskdef.ts";

const NEEDS: Record<string, readonly ToolName[]> = {
  "setup-local-dev": ["node", "npm", "cargo", "rustc"],
  "docker-build": ["docker", "buildx", "git"],
  "deploy-noetl": ["kubectl", "docker"],
  release: ["git", "node", "npm"],
  generate: ["node"],
};

interface Gap {
  task: string;
  tool: string;
  fix: string;
}

export function getInstallHint(tool: ToolName, host: Pick<Host, "os">): string {
  const byOs = INSTALL_HINTS[tool];
  return byOs[host.os] ?? byOs.linux;
}

const INSTALL_HINTS: Record<ToolName, Partial<Record<Host["os"], string>> & { linux: string }> = {
  node: { linux: "install Node.js 20+ from your package manager or nodejs.org", darwin: "brew install node@20", win32: "winget install OpenJS.NodeJS.LTS" },
  npm: { linux: "npm comes with Node.js 20+: install Node.js", darwin: "brew install node@20", win32: "winget install OpenJS.NodeJS.LTS" },
  cargo: { linux: "curl --proto '=https' -sSf https://sh.rustup.rs | sh", darwin: "brew install rustup && rustup-init", win32: "winget install Rustlang.Rustup" },
  rustc: { linux: "rustup toolchain install stable", win32: "rustup toolchain install stable" },
  rustup: { linux: "curl --proto '=https' -sSf https://sh.rustup.rs | sh", darwin: "brew install rustup", win32: "winget install Rustlang.Rustup" },
  python: { linux: "install Python 3.12 (apt install python3, or uv python install 3.12)", darwin: "brew install python@3.12", win32: "winget install Python.Python.3.12" },
  uv: { linux: "pip install uv (or pipx install uv)", darwin: "brew install uv", win32: "winget install astral-sh.uv" },
  git: { linux: "apt install git (or your distribution's package)", darwin: "xcode-select --install", win32: "winget install Git.Git" },
  docker: { linux: "install Docker Engine (docs.docker.com/engine/install)", darwin: "install Docker Desktop or colima (brew install colima docker)", win32: "install Docker Desktop" },
  buildx: { linux: "install the docker-buildx-plugin package (or docker-buildx)", darwin: "brew install docker-buildx (Docker Desktop ships it)", win32: "Docker Desktop ships buildx: update it" },
  kubectl: { linux: "install kubectl (kubernetes.io/docs/tasks/tools)", darwin: "brew install kubectl", win32: "winget install Kubernetes.kubectl" },
};

export async function run(ctx: TaskContext<DoctorFlags>): Promise<TaskResult> {
  const { host } = ctx;
  const tools = await detectToolchains(ctx.exec);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const gaps: Gap[] = Object.entries(NEEDS).flatMap(([task, needs]) =>
    needs.filter((name) => !byName.get(name)?.present).map((name) => ({ task, tool: name, fix: getInstallHint(name, host) })),
  );
  const daemon = byName.get("docker")?.present ? await probeDaemon(ctx.exec) : undefined;
  if (daemon && !daemon.reachable) {
    gaps.push({ task: "docker-build", tool: "docker daemon", fix: "start Docker (Docker Desktop, colima start, or sudo systemctl start docker), or point DOCKER_HOST at a running one; a remote buildx builder can push without it" });
  }

  // The report is this task's result, so it goes to stdout like --json would.
  if (!ctx.globals.json) printReport((line) => process.stdout.write(`${line}\n`), host, tools, gaps, daemon);
  if (ctx.flags.strict && gaps.length > 0) throw taskFailure(`${gaps.length} missing tool(s) for some tasks`, { hint: gaps[0].fix });
  return { host, tools, daemon, gaps };
}

async function probeDaemon(exec: Exec): Promise<{ reachable: boolean; version?: string }> {
  const result = await exec(["docker", "version", "--format", "{{.Server.Version}}"], { readOnly: true, allowFailure: true, timeoutMs: 15_000 });
  const version = result.stdout.trim();
  return result.code === 0 && version ? { reachable: true, version } : { reachable: false };
}

function printReport(print: (line: string) => void, host: Host, tools: ToolStatus[], gaps: Gap[], daemon?: { reachable: boolean; version?: string }): void {
  const emulated = host.translation === "none" ? "native" : `EMULATED (${host.translation}; the CPU is ${host.nativeArch}: install a ${host.nativeArch} Node.js for native builds)`;
  print(`Host: ${host.os} ${host.arch} (${emulated})${host.libc ? `, ${host.libc}` : ""}${host.wsl ? ", WSL" : ""}${host.ci ? `, CI: ${host.ci}` : ""}`);
  print(`  Rust target:     ${host.rustTriple}`);
  print(`  Docker platform: ${host.dockerPlatform}`);
  print("");
  print("Tools:");
  for (const tool of tools) print(`  ${tool.name.padEnd(8)} ${tool.present ? `${tool.version}  (${tool.path})` : "missing"}`);
  if (daemon) print(`  ${"dockerd".padEnd(8)} ${daemon.reachable ? `${daemon.version} (reachable${process.env.DOCKER_HOST ? ` at ${process.env.DOCKER_HOST}` : ""})` : "not reachable"}`);
  print("");
  if (gaps.length === 0) {
    print("Every task has what it needs.");
    return;
  }
  print("Missing, by task:");
  for (const gap of gaps) print(`  ${gap.task}: ${gap.tool} — fix: ${gap.fix}`);
}
