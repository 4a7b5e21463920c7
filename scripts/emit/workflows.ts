// The generated workflows, rendered from the matrix alone.

import { matrix } from "../../matrix.ts";
import type { Job, Workflow } from "./workflow-model.ts";
import { checkoutStep, registryLoginStep, setupNodeSteps, taskCommand } from "./workflow-steps.ts";

const NOT_PR = "github.event_name != 'pull_request'";
const DIGESTS = "${{ runner.temp }}/digests";

function getCommonTriggers() {
  const branches = [matrix.tags.defaultBranch];
  return { push: { branches }, pull_request: { branches }, workflow_dispatch: {} } as const;
}

export function renderImagesWorkflow(): Workflow {
  const triggers = getCommonTriggers();
  const include = Object.entries(matrix.platforms).map(([platform, entry]) => ({ platform, runner: entry.runner, slug: platform.replaceAll("/", "-") }));

  const build: Job = {
    name: "build ${{ matrix.platform }}",
    "runs-on": "${{ matrix.runner }}",
    "timeout-minutes": matrix.ci.jobTimeoutMinutes,
    permissions: {
      contents: { level: "read", reason: "check out the repository" },
      packages: { level: "write", reason: "push the image by digest and the build cache (not on pull requests)" },
    },
    strategy: { "fail-fast": false, matrix: { include } },
    steps: [
      checkoutStep(),
      ...setupNodeSteps(),
      { name: "Set up Docker Buildx", uses: matrix.actions.setupBuildx },
      registryLoginStep(NOT_PR),
      {
        name: "Build (pull request: not pushed, no cache written)",
        if: "github.event_name == 'pull_request'",
        env: { PLATFORM: "${{ matrix.platform }}" },
        run: taskCommand("docker-build", '--platforms "$PLATFORM"'),
      },
      {
        name: "Build and push by digest",
        if: NOT_PR,
        env: { PLATFORM: "${{ matrix.platform }}", DIGEST_DIR: DIGESTS },
        run: taskCommand("docker-build", '--platforms "$PLATFORM"', "--push-by-digest", '--digest-dir "$DIGEST_DIR"'),
      },
      {
        name: "Upload the digest",
        if: NOT_PR,
        uses: matrix.actions.uploadArtifact,
        with: { name: "digests-${{ matrix.slug }}", path: `${DIGESTS}/*`, "if-no-files-found": "error", "retention-days": 1 },
      },
    ],
  };

  const merge: Job = {
    "runs-on": matrix.platforms["linux/amd64"].runner,
    needs: ["build"],
    if: NOT_PR,
    "timeout-minutes": 15,
    permissions: {
      contents: { level: "read", reason: "check out the repository (tags are computed from git)" },
      packages: { level: "write", reason: "publish the manifest list under the release tags" },
    },
    steps: [
      checkoutStep(),
      ...setupNodeSteps(),
      { name: "Download the digests", uses: matrix.actions.downloadArtifact, with: { path: DIGESTS, pattern: "digests-*", "merge-multiple": true } },
      { name: "Set up Docker Buildx", uses: matrix.actions.setupBuildx },
      registryLoginStep(),
      {
        name: "Publish and inspect the manifest list",
        env: { DIGEST_DIR: DIGESTS },
        run: taskCommand("docker-build", '--merge-digests "$DIGEST_DIR"'),
      },
    ],
  };

  return {
    name: "images",
    on: { ...triggers, push: { ...triggers.push, tags: [matrix.ci.releaseTagPattern] } },
    concurrency: { group: "images-${{ github.ref }}", "cancel-in-progress": "${{ github.event_name == 'pull_request' }}" },
    env: { NOETL_ROOT: matrix.ci.workspaceRoot },
    jobs: { build, merge },
  };
}

export function renderCiWorkflow(): Workflow {
  const test: Job = {
    "runs-on": "ubuntu-24.04",
    "timeout-minutes": matrix.ci.jobTimeoutMinutes,
    permissions: { contents: { level: "read", reason: "check out the repository" } },
    steps: [
      checkoutStep(),
      ...setupNodeSteps(),
      { name: "Type-check", run: "npm run typecheck" },
      { name: "Generated files are up to date", run: taskCommand("generate", "--check") },
      { name: "Tests", run: "npm test" },
    ],
  };

  const setupLocalDev: Job = {
    name: "setup-local-dev (${{ matrix.target }})",
    "runs-on": "${{ matrix.runner }}",
    "timeout-minutes": matrix.ci.jobTimeoutMinutes,
    permissions: { contents: { level: "read", reason: "check out the repository" } },
    strategy: { "fail-fast": false, matrix: { include: matrix.cliTargets.map((t) => ({ target: t.rustTriple, runner: t.runner })) } },
    steps: [
      checkoutStep(),
      ...setupNodeSteps(),
      { name: "Build the UI and the CLI", shell: "bash", run: taskCommand("setup-local-dev") },
      { name: "A second run does nothing", shell: "bash", run: taskCommand("setup-local-dev") },
      { name: "The CLI runs", shell: "bash", run: '"$NOETL_ROOT/bin/noetl" --version' },
    ],
  };

  return {
    name: "ci",
    on: getCommonTriggers(),
    concurrency: { group: "ci-${{ github.ref }}", "cancel-in-progress": true },
    env: { NOETL_ROOT: matrix.ci.workspaceRoot },
    jobs: { test, "setup-local-dev": setupLocalDev },
  };
}
