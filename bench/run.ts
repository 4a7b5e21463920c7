// `npm run bench`: noetl-build against go-task and the seed's bash script
// on identical throwaway workspaces, then images on the Docker harness.
// Prints one markdown table and writes it, with its context, to
// bench/results.md.
//
//   npm run bench                      everything (10-25 minutes on 2 cores)
//   npm run bench -- --quick           fewer runs, no synthetic rows, no images
//   npm run bench -- --no-images       skip the Docker rows (also --no-synthetic)
//   npm run bench -- --keep            keep the scratch directory
//   BENCH_VERBOSE=1 npm run bench      print every command

import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measureBuildRows } from "./build-rows.ts";
import type { BenchContext, RunCounts, Section } from "./context.ts";
import { attachGoals } from "./goals.ts";
import { ensureGoTask } from "./go-task.ts";
import { measureImageRows } from "./image-rows.ts";
import { describeMachine, readLoad, readProductVersion } from "./machine.ts";
import { getMethodNotes } from "./method-notes.ts";
import { measureImportCosts, profileNoop } from "./profile.ts";
import { renderResults, type Results } from "./results.ts";
import { measureSetupRows } from "./setup-rows.ts";
import { measureStartupRows } from "./startup-rows.ts";
import { formatMs } from "./stats.ts";
import { measureSyntheticRows } from "./synthetic-rows.ts";
import { renderTable } from "./table.ts";
import { getBenchEnv, getTools } from "./tools.ts";
import { createScratchDir, REPO_ROOT } from "./workspace.ts";

const OPTIONS = {
  quick: { type: "boolean" },
  "no-images": { type: "boolean" },
  "no-synthetic": { type: "boolean" },
  keep: { type: "boolean" },
} as const;

async function main(argv: string[]): Promise<void> {
  const { values: flags } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  const begin = performance.now();
  const loads = [{ at: "start", load: readLoad() }];

  const goTask = await ensureGoTask();
  log(
    goTask.built
      ? `go-task built in ${formatMs(goTask.ms)}: ${goTask.path}`
      : `go-task (cached): ${goTask.path}`
  );
  const env = getBenchEnv();
  const runs: RunCounts = flags.quick
    ? { slow: 2, fast: 3, image: 1 }
    : { slow: 5, fast: 7, image: 2 };
  const ctx: BenchContext = {
    scratch: createScratchDir(),
    env,
    tools: getTools(goTask.path),
    goTask: goTask.path,
    runs,
  };
  log(`scratch: ${ctx.scratch}; load ${loads[0].load}`);

  try {
    const machine = await describeMachine(goTask.path, env);
    const productAtStart = await readProductVersion(env);
    const setup = await measureSetupRows(ctx);
    const startup = await measureStartupRows(ctx);
    const builds = await measureBuildRows(ctx);
    attachGoals(setup.goalRows, setup.figures, startup.figures, builds.figures);
    loads.push({ at: "after local rows", load: readLoad() });

    const synthetic =
      flags.quick || flags["no-synthetic"] ? undefined : await measureSyntheticRows(ctx);
    const profiles = await profileOurNoop(ctx, synthetic !== undefined);
    const importCosts = await measureImportCosts(runs.fast, env);
    loads.push({ at: "after synthetic rows and profiles", load: readLoad() });

    const images =
      flags.quick || flags["no-images"]
        ? undefined
        : await measureImageRows(ctx).catch(reportImageFailure);
    loads.push({ at: "end", load: readLoad() });
    const productAtEnd = await readProductVersion(env);
    const product =
      productAtStart === productAtEnd
        ? productAtStart
        : `${productAtStart} at the start, ${productAtEnd} at the end (it changed during the run: rows mix versions)`;

    const sections = [setup, startup, builds, images, synthetic].filter(
      (s): s is Section => s !== undefined
    );
    const npxCost =
      startup.figures.floor["ours-npx"].median - startup.figures.floor["ours-node"].median;
    const results: Results = {
      date: new Date(),
      machine,
      product,
      loads,
      durationMs: performance.now() - begin,
      rows: sections.flatMap((s) => s.rows),
      notes: [...getMethodNotes(npxCost), ...sections.flatMap((s) => s.notes)],
      profiles,
      importCosts,
      argv,
    };
    process.stdout.write(`${renderTable(results.rows)}\n`);
    writeFileSync(join(REPO_ROOT, "bench", "results.md"), `${renderResults(results)}\n`);
    log(
      `\nwrote bench/results.md in ${(results.durationMs / 60_000).toFixed(1)} min; load ${loads
        .map((l) => `${l.at} ${l.load}`)
        .join(", ")}`
    );
  } finally {
    if (!flags.keep) rmSync(ctx.scratch, { recursive: true, force: true });
  }
}

/** Profiles of ours on the copies the rows above left built (so the run is a no-op). */
async function profileOurNoop(
  ctx: BenchContext,
  withSynthetic: boolean
): Promise<Results["profiles"]> {
  const targets = [
    {
      label: "no-op rerun on the example workspace",
      root: join(ctx.scratch, "example", "ours-node"),
    },
  ];
  if (withSynthetic)
    targets.push({
      label: "no-op rerun on the large synthetic workspace",
      root: join(ctx.scratch, "synthetic", "large", "ours-node"),
    });

  const profiles: Results["profiles"] = [];
  for (const [i, target] of targets.entries()) {
    profiles.push({
      label: target.label,
      summary: await profileNoop(target.root, join(ctx.scratch, `profile-${i}`), ctx.env),
    });
  }
  return profiles;
}

/** An image build that fails (a harness toggled by another job, say) must not cost the local rows. */
function reportImageFailure(error: unknown): Section {
  const message = error instanceof Error ? error.message : String(error);
  log(`\nimage rows failed: ${message}`);
  return {
    rows: [],
    notes: [`Image rows FAILED: ${message.split("\n").slice(0, 12).join(" / ")}`],
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  log(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
