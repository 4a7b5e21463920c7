import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { matrix } from "../../matrix.ts";
import { renderGeneratedFiles } from "../../scripts/emit/generated-files.ts";
import { getVersionCommand } from "../../scripts/emit/release-workflow.ts";
import { REPO_ROOT } from "../helpers/cli.ts";

type Step = { name: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { permissions: Record<string, string>; steps: Step[] };

const text = renderGeneratedFiles().find((f) => f.path === ".github/workflows/release.yml")!.content;
const workflow = parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const versionPr = workflow.jobs["version-pr"];
const tag = workflow.jobs.tag;
const changesets = versionPr.steps.find((s) => s.uses?.startsWith(`${matrix.actions.changesets.uses}@`))!;
const tagStep = tag.steps.find((s) => s.run?.includes("release tag"))!;

describe("release.yml", () => {
  it("runs on pushes to the default branch and by hand only", () => {
    assert.deepEqual(workflow.on, { push: { branches: [matrix.tags.defaultBranch] }, workflow_dispatch: {} });
  });

  it("lets changesets/action open the version pull request with our version command", () => {
    assert.equal(changesets.uses, `${matrix.actions.changesets.uses}@${matrix.actions.changesets.sha}`);
    assert.equal(changesets.with?.cwd, matrix.ci.workspaceRoot);
    assert.equal(changesets.with?.version, "../../node_modules/.bin/tsx ../../Taskfile.ts release version --root .");
  });

  it("points the version command at files that exist, seen from the workspace", () => {
    const [tsx, taskfile] = String(changesets.with?.version).split(" ");
    for (const path of [tsx, taskfile]) assert.ok(existsSync(join(REPO_ROOT, matrix.ci.workspaceRoot, path)), path);
    assert.equal(getVersionCommand("."), "node_modules/.bin/tsx Taskfile.ts release version --root .");
  });

  it("tags through the same task a developer runs", () => {
    assert.equal(tagStep.run, "npx tsx Taskfile.ts release tag --push");
  });

  it("keeps the job token read-only and pushes with RELEASE_TOKEN from env only", () => {
    for (const job of [versionPr, tag]) assert.deepEqual(job.permissions, { contents: "read" });
    assert.equal(changesets.env?.GITHUB_TOKEN, "${{ secrets.RELEASE_TOKEN }}");
    assert.equal(tagStep.env?.RELEASE_TOKEN, "${{ secrets.RELEASE_TOKEN }}");
    assert.doesNotMatch(text, /persist-credentials: true/);
  });

  it("checks out the full history, which the changelog and the tag need", () => {
    for (const job of [versionPr, tag]) assert.equal(job.steps[0].with?.["fetch-depth"], 0);
  });

  it("gives git the token through a credential helper in the environment", () => {
    const env = { ...process.env, ...tagStep.env, RELEASE_TOKEN: "test-token-123", GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
    const output = execFileSync("git", ["credential", "fill"], { env, input: "protocol=https\nhost=github.com\n\n", encoding: "utf8" });
    assert.match(output, /^username=x-access-token$/m);
    assert.match(output, /^password=test-token-123$/m);
  });
});
