// Image builds on the Docker harness: our `docker-build` for amd64 alone and
// for amd64+arm64 (no RUN under emulation), against the seed's way
// (bench/seed.Dockerfile: everything compiled inside the emulated arm64
// stage). Few runs, all with --no-cache: each takes minutes.

import { join } from "node:path";
import type { BenchContext, Section } from "./context.ts";
import { checkHarness, getHarnessEnv, setBinfmt } from "./docker-harness.ts";
import { run, type RunResult } from "./exec.ts";
import { measureRoundRobin } from "./measure.ts";
import { parseBuildSteps, summarizeEmulatedSteps } from "./plain-progress.ts";
import { ratio } from "./stats.ts";
import { textCell, timeCell, type Row } from "./table.ts";
import { copyWorkspace, EXAMPLE, REPO_ROOT } from "./workspace.ts";

const REGISTRY_PATH = "bench";
const SEED_DOCKERFILE = join(REPO_ROOT, "bench", "seed.Dockerfile");
const COMPILE_STAGES = ["ui", "cli", "python-venv", "runtime"];

export async function measureImageRows(ctx: BenchContext): Promise<Section> {
  const problem = await checkHarness(ctx.env);
  if (problem) return { rows: [], notes: [`Image rows skipped: ${problem}.`] };

  const env = await getHarnessEnv(ctx.env);
  const root = await createGitWorkspace(join(ctx.scratch, "image"), env);
  const registry = `${env.NOETL_E2E_REGISTRY}/${REGISTRY_PATH}`;
  // The seed's way compiles under QEMU, which needs the handler; ours must not care.
  await setBinfmt("on", env);

  const outputs: Record<string, RunResult[]> = { amd64: [], both: [], seed: [], compile: [] };
  const keep = (key: string) => (_id: string, _i: number, result: RunResult) =>
    void outputs[key].push(result);
  const ours = (platforms: string) => [
    "node",
    "--import",
    "tsx",
    "Taskfile.ts",
    "docker-build",
    "--root",
    root,
    "--platforms",
    platforms,
    "--registry",
    registry,
    "--push",
    "--no-cache",
    "--plain",
    ...getBaseImageArgs(env),
  ];

  // Both of ours in one rotation (amd64, both, amd64, both): the first build
  // after a pause is slower, and that must not land on one row only.
  const platforms = { amd64: "linux/amd64", both: "linux/amd64,linux/arm64" } as const;
  const oursRuns = await measureRoundRobin(
    ["amd64", "both"] as const,
    ctx.runs.image,
    {
      invoke: (id) => ({ argv: ours(platforms[id]), cwd: REPO_ROOT }),
      after: (id, i, result) => keep(id)(id, i, result),
    },
    { env, label: "image ours amd64 / amd64+arm64" }
  );
  const amd64 = { ours: oursRuns.amd64 };
  const both = { ours: oursRuns.both };
  const seedArgv = [
    env.DOCKER ?? "docker",
    "buildx",
    "build",
    "-f",
    SEED_DOCKERFILE,
    "--platform",
    "linux/amd64,linux/arm64",
    "--build-arg",
    `RUNTIME_BASE=${env.NOETL_E2E_RUNTIME_IMAGE}`,
    "--no-cache",
    "--push",
    "-t",
    `${registry}/noetl-seedway:latest`,
    "--progress",
    "plain",
    root,
  ];
  const seed = await measureRoundRobin(
    ["seed"],
    1,
    { invoke: () => ({ argv: seedArgv, cwd: REPO_ROOT }), after: keep("seed") },
    { env, label: "image seed-way amd64+arm64" }
  );
  // The toolchain stage stands in for a base image a user would pull (the
  // harness has no arm64 Node/Rust image): kept from the run above, everything
  // else rebuilt, so this row is compiling under QEMU alone.
  const compileArgv = seedArgv.flatMap((arg) =>
    arg === "--no-cache" ? COMPILE_STAGES.map((stage) => `--no-cache-filter=${stage}`) : [arg]
  );
  const compile = await measureRoundRobin(
    ["seed"],
    ctx.runs.image,
    { invoke: () => ({ argv: compileArgv, cwd: REPO_ROOT }), after: keep("compile") },
    { env, label: "image seed-way, toolchain cached" }
  );

  const emulated = (results: RunResult[]) =>
    results.map(
      (r) => parseBuildSteps(r.stdout + r.stderr).filter((s) => s.emulated && s.isRun).length
    );
  const verified = outputs.both.every((r) =>
    /verified: linux\/amd64 noetl is amd64; linux\/arm64 noetl is arm64/.test(r.stderr + r.stdout)
  );
  const rows: Row[] = [
    {
      label: "g. image: `docker-build --platforms linux/amd64 --push --no-cache`",
      cells: { "ours-node": timeCell(amd64.ours) },
    },
    {
      label:
        "g. image: linux/amd64 + linux/arm64, --push --no-cache (seed: bench/seed.Dockerfile, arm64 stages under QEMU)",
      cells: { "ours-node": timeCell(both.ours), seed: timeCell(seed.seed) },
      goal: `ours: adding arm64 costs ${ratio(both.ours, amd64.ours)} the amd64-only build`,
    },
    {
      label:
        "g. same, but the seed's apt toolchain stage cached (stands in for a pulled arm64 node/rust image): compiling under QEMU only",
      cells: {
        "ours-node": timeCell(both.ours, "same run as above"),
        seed: timeCell(compile.seed),
      },
    },
    {
      label: "g. CORRECTNESS: RUN steps executed under QEMU (per build)",
      cells: {
        "ours-node": textCell(emulated(outputs.both).join(", ")),
        seed: textCell([...emulated(outputs.seed), ...emulated(outputs.compile)].join(", ")),
      },
    },
    {
      label: "g. CORRECTNESS: ours verified both pushed binaries' architectures",
      cells: { "ours-node": textCell(verified ? "yes" : "**NO**") },
    },
  ];
  const notes = [
    `Image rows: ${ctx.runs.image} run(s) of ours per row and 1 of the seed's way, all with --no-cache (BuildKit cache mounts for npm/cargo stay warm, as on a developer machine); binfmt (QEMU) on; pushed to ${registry} on loopback; the builder is the harness's BuildKit (remote driver). ours = \`node --import tsx Taskfile.ts docker-build\`, wall time including its preflight and post-push verification.`,
    `Seed's way, slowest steps (--no-cache): ${summarizeEmulatedSteps(
      parseBuildSteps(outputs.seed[0].stdout + outputs.seed[0].stderr)
    )}.`,
    `Seed's way, slowest steps (toolchain cached): ${summarizeEmulatedSteps(
      parseBuildSteps(outputs.compile[0].stdout + outputs.compile[0].stderr)
    )}.`,
  ];
  return { rows, notes };
}

function getBaseImageArgs(env: NodeJS.ProcessEnv): string[] {
  const builder = env.NOETL_E2E_BUILDER_IMAGE ?? "";
  const bases = [
    `UI_BASE=${builder}`,
    `RUST_BASE=${builder}`,
    `PYTHON_BASE=${builder}`,
    `RUNTIME_BASE=${env.NOETL_E2E_RUNTIME_IMAGE ?? ""}`,
  ];
  return bases.flatMap((arg) => ["--build-arg", arg]);
}

/** Tags come from git (sha-XXXXXXX, the branch): the copy becomes a repository. */
async function createGitWorkspace(dest: string, env: NodeJS.ProcessEnv): Promise<string> {
  const root = copyWorkspace(EXAMPLE, dest);
  const identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"];
  for (const args of [
    ["init", "-q", "-b", "main"],
    ["add", "-A"],
    [...identity, "commit", "-qm", "bench"],
  ]) {
    await run(["git", "-C", root, ...args], { env });
  }
  return root;
}
