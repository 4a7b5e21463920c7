// BuildKit's `--progress plain` output as data: one entry per vertex with
// its platform, stage, command and duration. "[linux/arm64 ...]" runs on
// the target platform (under QEMU on an amd64 host); "[linux/amd64->arm64
// ...]" runs natively for another target.

export interface BuildStep {
  id: number;
  platform: string;
  name: string;
  command: string;
  seconds?: number;
  isRun: boolean;
  emulated: boolean;
}

const HEADER = /^#(\d+) \[(linux\/[\w/]+(?:->[\w/]+)?) ([^\]]*)\] (.*)$/;
const DONE = /^#(\d+) DONE ([\d.]+)s$/;

export function parseBuildSteps(log: string, hostArch = "amd64"): BuildStep[] {
  const steps = new Map<number, BuildStep>();

  for (const line of log.split("\n")) {
    const header = HEADER.exec(line);
    if (header && !steps.has(Number(header[1]))) {
      const [, id, platform, name, command] = header;
      const emulated = !platform.includes("->") && !platform.endsWith(`/${hostArch}`);
      steps.set(Number(id), {
        id: Number(id),
        platform,
        name,
        command,
        isRun: command.startsWith("RUN "),
        emulated,
      });
      continue;
    }
    const done = DONE.exec(line);
    const step = done ? steps.get(Number(done[1])) : undefined;
    if (step && done) step.seconds = Number(done[2]);
  }
  return [...steps.values()];
}

/** "apt-get ... (linux/arm64) 312 s; cargo build ... 95 s": the longest RUN steps. */
export function summarizeEmulatedSteps(steps: readonly BuildStep[], count = 5): string {
  const runs = steps
    .filter((s) => s.isRun && s.seconds !== undefined)
    .sort((a, b) => (b.seconds ?? 0) - (a.seconds ?? 0));
  return runs
    .slice(0, count)
    .map(
      (s) =>
        `\`${s.command.slice(4, 40).trim()}…\` (${s.platform}${
          s.emulated ? ", QEMU" : ""
        }) ${s.seconds?.toFixed(0)} s`
    )
    .join("; ");
}
