// `release init`: set a NoETL checkout up for changesets. It creates what is
// missing and nothing else: .changeset/config.json and README.md, the release
// package (a private package.json at the root, holding the release version)
// and CHANGELOG.md. It changes no existing file; `release sync` aligns the
// other version files afterwards.

import { createRequire } from "node:module";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { matrix } from "../../../matrix.ts";
import type { ReleaseFlags } from "../../../Taskfile.ts";
import { taskFailure } from "../../lib/errors.ts";
import { applyFileChanges } from "../../lib/file-transaction.ts";
import { CHANGESET_CONFIG, CHANGESET_DIR } from "../../lib/pending-changesets.ts";
import type { TaskContext, TaskResult } from "../../lib/taskdef.ts";
import { readTomlString, RELEASE_PACKAGE } from "../../lib/version-sources.ts";
import { CHANGELOG, toFileChanges, type PlannedFile } from "./plan.ts";
import { printFiles } from "./report.ts";
import type { CommandHint, ReleaseState } from "./state.ts";

export async function initReleases(ctx: TaskContext<ReleaseFlags>, state: ReleaseState, hint: CommandHint): Promise<TaskResult> {
  const version = ctx.flags.to ?? state.summary.highest;
  if (!version) throw taskFailure("no version file holds an X.Y.Z version to start from", { hint: `pass the first version: ${hint("init --to X.Y.Z")}` });

  const pyproject = state.sources.find((s) => s.file.format === "pyproject")?.text ?? "";
  const name = state.packageName ?? readTomlString(pyproject, "project", "name") ?? "noetl";
  const files = planInit(state.root, name, version);
  if (files.length === 0) {
    ctx.log.info(`${state.root} is already set up for releases`);
    return { created: [] };
  }

  ctx.log.info(`${ctx.globals["dry-run"] ? "Would set up" : "Setting up"} releases in ${state.root} (release package "${name}" at ${version})`);
  printFiles(ctx.log, files);
  if (ctx.globals["dry-run"]) return { created: files.map((f) => f.path), version, dryRun: true };

  (await applyFileChanges(toFileChanges(state.root, files))).keep();
  ctx.log.info(`Next: commit ${files.map((f) => f.path).join(", ")}.`);
  const aligned = state.summary.fields.every((f) => f.version === version);
  if (!aligned) ctx.log.info(`The version files do not all say ${version} yet: run \`${hint(ctx.flags.to ? `sync --to ${version}` : "sync")}\` and commit that too.`);
  return { created: files.map((f) => f.path), version };
}

function planInit(root: string, name: string, version: string): PlannedFile[] {
  const wanted: [string, () => string][] = [
    [CHANGESET_CONFIG, renderChangesetConfig],
    [`${CHANGESET_DIR}/README.md`, () => renderChangesetReadme(name)],
    [RELEASE_PACKAGE, () => renderReleasePackage(name, version)],
    // changesets inserts each entry under this title line.
    [CHANGELOG, () => `# ${name}\n`],
  ];
  return wanted.filter(([path]) => !existsSync(join(root, path))).map(([path, render]) => ({ path, before: null, after: render(), role: "setup" }));
}

export function renderChangesetConfig(): string {
  const config = {
    ...getSchema(),
    changelog: "@changesets/cli/changelog",
    // The release task commits (or changesets/action does, in CI).
    commit: false,
    fixed: [],
    linked: [],
    access: "restricted",
    baseBranch: matrix.tags.defaultBranch,
    updateInternalDependencies: "patch",
    ignore: [],
    // The release package is private: version it, never publish or tag it
    // the npm way (name@version); the release task tags vX.Y.Z.
    privatePackages: { version: true, tag: false },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export function renderReleasePackage(name: string, version: string): string {
  const description = "NoETL's release version. `changeset version` bumps it; `npx tsx Taskfile.ts release` copies it into every other version file.";
  return `${JSON.stringify({ name, version, private: true, description }, null, 2)}\n`;
}

export function renderChangesetReadme(name: string): string {
  const layout = matrix.layout;
  return `# Changesets

Each Markdown file in this folder, other than this one, is a change note
waiting for the next NoETL release. Add one with every pull request that
users would notice:

\`\`\`md
---
"${name}": minor
---

One or two sentences for the changelog.
\`\`\`

Use \`patch\` for fixes, \`minor\` for new features and \`major\` for changes
that break existing users. \`npx @changesets/cli add\`, run in this folder's
parent, asks the same questions and writes the file.

\`npx tsx Taskfile.ts release\` (from noetl-build) applies the notes: it
bumps \`${RELEASE_PACKAGE}\`, adds the entry to \`${CHANGELOG}\`, writes the new
version into \`${layout.pyproject}\`, \`${layout.cliCrate}/Cargo.toml\` (and \`Cargo.lock\`)
and \`${layout.uiSource}/package.json\` (and \`package-lock.json\`), then commits and
tags \`vX.Y.Z\`. In CI the release workflow opens a version pull request instead.
`;
}

function getSchema(): { $schema?: string } {
  try {
    const pkg = createRequire(import.meta.url)("@changesets/config/package.json") as { version: string };
    return { $schema: `https://unpkg.com/@changesets/config@${pkg.version}/schema.json` };
  } catch {
    return {};
  }
}
