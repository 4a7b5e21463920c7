// The release workflow. On every push to the default branch:
//
// - version-pr: changesets/action opens (or updates) the version pull
//   request while changesets are pending. Its version command is our
//   `release version`, which writes every NoETL version file and the
//   changelog; the action commits and pushes the branch itself.
// - tag: `release tag --push` tags the commit that set the current version,
//   once. After the version pull request is merged that creates vX.Y.Z, and
//   the tag starts images.yml; on every other push the tag exists already.
//
// Both push with RELEASE_TOKEN (a GitHub App installation token or a
// fine-grained personal access token with contents and pull-requests write
// on this repository), not with the job's GITHUB_TOKEN, because GitHub starts
// no workflow for events made with GITHUB_TOKEN: a tag it pushes would never
// build images, and CI would not run on the version pull request. So the job
// token only reads, and no checkout persists credentials: the one step that
// pushes gets the token through a credential helper in its environment, and
// changesets/action sets up its own.

import { posix } from "node:path";
import { matrix } from "../../matrix.ts";
import type { Job, Step, Workflow } from "./workflow-model.ts";
import { checkoutStep, setupNodeSteps, taskCommand } from "./workflow-steps.ts";

const TOKEN = "${{ secrets.RELEASE_TOKEN }}";
const BOT = { name: "github-actions[bot]", email: "41898282+github-actions[bot]@users.noreply.github.com" };

export function renderReleaseWorkflow(): Workflow {
  const versionPr: Job = {
    "runs-on": "ubuntu-24.04",
    "timeout-minutes": 15,
    permissions: { contents: { level: "read", reason: "check out the repository; the version branch and pull request are written with RELEASE_TOKEN" } },
    steps: [fullHistoryCheckout(), ...setupNodeSteps(), tokenCheckStep(), {
      name: "Open or update the version pull request",
      uses: matrix.actions.changesets,
      with: { cwd: matrix.ci.workspaceRoot, version: getVersionCommand(), title: "Release NoETL", commit: "Release NoETL", createGithubReleases: false },
      env: { GITHUB_TOKEN: TOKEN },
    }],
  };

  const tag: Job = {
    "runs-on": "ubuntu-24.04",
    "timeout-minutes": 15,
    permissions: { contents: { level: "read", reason: "check out the repository; the tag is pushed with RELEASE_TOKEN so that it starts images.yml" } },
    steps: [fullHistoryCheckout(), ...setupNodeSteps(), tokenCheckStep(), {
      name: "Tag the release once and push the tag",
      env: { RELEASE_TOKEN: TOKEN, GIT_COMMITTER_NAME: BOT.name, GIT_COMMITTER_EMAIL: BOT.email, ...credentialHelperEnv() },
      run: taskCommand("release", "tag", "--push"),
    }],
  };

  return {
    name: "release",
    on: { push: { branches: [matrix.tags.defaultBranch] }, workflow_dispatch: {} },
    // Never cancel a release half-way; a later push waits its turn.
    concurrency: { group: "release", "cancel-in-progress": false },
    env: { NOETL_ROOT: matrix.ci.workspaceRoot },
    jobs: { "version-pr": versionPr, tag },
  };
}

/**
 * changesets/action runs the version command in `cwd` (the workspace) and
 * splits it on spaces, without a shell: so the tool is addressed by relative
 * paths, and --root . overrides the relative NOETL_ROOT.
 */
export function getVersionCommand(workspaceRoot: string = matrix.ci.workspaceRoot): string {
  const tool = posix.relative(workspaceRoot, ".");
  return [posix.join(tool, "node_modules/.bin/tsx"), posix.join(tool, "Taskfile.ts"), "release", "version", "--root", "."].join(" ");
}

function fullHistoryCheckout(): Step {
  // Full history and tags: changesets names the commit of each change, and
  // `release tag` finds the commit that set the version and sees old tags.
  const step = checkoutStep();
  return { ...step, with: { ...step.with, "fetch-depth": 0 } };
}

function tokenCheckStep(): Step {
  return {
    name: "Check that RELEASE_TOKEN is set",
    env: { RELEASE_TOKEN: TOKEN },
    run: [
      'if [ -z "$RELEASE_TOKEN" ]; then',
      '  echo "::error::add a RELEASE_TOKEN secret (GitHub App or fine-grained token with contents and pull-requests write); see docs/RELEASE.md"',
      "  exit 1",
      "fi",
    ].join("\n"),
  };
}

/**
 * git reads this helper from the environment (GIT_CONFIG_COUNT, git 2.31+):
 * the token reaches git on stdin for this one step, never a command line,
 * .git/config or a later step.
 */
function credentialHelperEnv(): Record<string, string> {
  return {
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "credential.helper",
    GIT_CONFIG_VALUE_0: `!f() { test "$1" = get && printf 'username=x-access-token\\npassword=%s\\n' "$RELEASE_TOKEN"; }; f`,
  };
}
