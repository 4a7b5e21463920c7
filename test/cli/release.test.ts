// release on throwaway git repositories made from the example workspace,
// with the real git and the real `changeset version`.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { runCli, startCli } from "../helpers/cli.ts";
import { copyExample, removeWorkspace, snapshotTree } from "../helpers/workspace.ts";

const git = (root: string, ...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const release = (root: string, ...args: string[]) => runCli(["release", ...args, "--root", root]);
const read = (root: string, path: string) => readFileSync(join(root, path), "utf8");
const json = (root: string, path: string) => JSON.parse(read(root, path)) as Record<string, unknown> & { packages?: Record<string, { version: string }> };

/** A committed copy of the example; `synced` aligns its versions first (2.4.0). */
function makeRepo(name: string, synced = true): string {
  const root = copyExample(name);
  git(root, "init", "-q", "-b", "main");
  for (const [key, value] of [["user.name", "Test"], ["user.email", "test@example.com"], ["commit.gpgsign", "false"], ["tag.gpgsign", "false"], ["core.hooksPath", ".git/hooks"]]) git(root, "config", key, value);
  if (synced) assert.equal(release(root, "sync").code, 0);
  commitAll(root, "Initial commit");
  return root;
}

/** A release-ready repository with one pending minor changeset and a bare origin. */
function makeRepoWithRemote(name: string): { root: string; remote: string } {
  const root = makeRepo(name);
  const remote = mkdtempSync(join(tmpdir(), "noetl-remote-"));
  execFileSync("git", ["init", "-q", "--bare", remote]);
  git(root, "remote", "add", "origin", remote);
  addChangeset(root, "cool-cats", "minor", "Add the release task");
  return { root, remote };
}

function commitAll(root: string, message: string): void {
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", message);
}

function addChangeset(root: string, id: string, bump: string, summary: string): void {
  writeFileSync(join(root, `.changeset/${id}.md`), `---\n"noetl": ${bump}\n---\n\n${summary}\n`);
  commitAll(root, `Add changeset ${id}`);
}

/** Every file outside .git, git's view of the tree, HEAD and the tags. */
function captureState(root: string) {
  const files = Object.fromEntries(Object.entries(snapshotTree(root)).filter(([path]) => !/^\.git([\\/]|$)/.test(path)));
  const has = existsSync(join(root, ".git"));
  return { files, status: has ? git(root, "status", "--porcelain") : "", head: has ? git(root, "rev-parse", "HEAD") : "", tags: has ? git(root, "tag") : "" };
}

function versionsOf(root: string): Record<string, string> {
  const lock = json(root, "ui-src/package-lock.json");
  return {
    "package.json": json(root, "package.json").version as string,
    "pyproject.toml": /^version = "([^"]+)"/m.exec(read(root, "pyproject.toml"))![1],
    "noetlctl/Cargo.toml": /^version = "([^"]+)"/m.exec(read(root, "noetlctl/Cargo.toml"))![1],
    "noetlctl/Cargo.lock": /name = "noetl"\nversion = "([^"]+)"/.exec(read(root, "noetlctl/Cargo.lock"))![1],
    "ui-src/package.json": json(root, "ui-src/package.json").version as string,
    "ui-src/package-lock.json": `${lock.version as string} ${lock.packages![""].version}`,
  };
}

const allAt = (version: string) => ({
  "package.json": version,
  "pyproject.toml": version,
  "noetlctl/Cargo.toml": version,
  "noetlctl/Cargo.lock": version,
  "ui-src/package.json": version,
  "ui-src/package-lock.json": `${version} ${version}`,
});

describe("release on a workspace whose versions disagree (like NoETL's)", () => {
  let root: string;
  before(() => {
    root = makeRepo("disagree", false);
    addChangeset(root, "cool-cats", "minor", "Add the release task");
  });
  after(() => removeWorkspace(root));

  it("status lists every version file and the pending changeset (--json)", () => {
    const result = release(root, "status", "--json");
    assert.equal(result.code, 0, result.stderr);
    const status = JSON.parse(result.stdout) as { agree: boolean; highest: string; initialized: boolean; sources: { path: string; version: string }[]; pending: { file: string; bump: string }[] };
    assert.equal(status.agree, false);
    assert.equal(status.highest, "2.4.0");
    assert.equal(status.initialized, true);
    assert.deepEqual(status.sources.map((s) => `${s.path} ${s.version}`), ["package.json 2.4.0", "pyproject.toml 2.4.0", "noetlctl/Cargo.toml 2.1.2", "noetlctl/Cargo.lock 2.1.2", "ui-src/package.json 1.4.0", "ui-src/package-lock.json 1.4.0", "ui-src/package-lock.json 1.4.0"]);
    assert.deepEqual(status.pending, [{ file: ".changeset/cool-cats.md", bump: "minor", summary: "Add the release task" }]);
  });

  it("refuses to release and names release sync", () => {
    const before = captureState(root);
    const result = release(root);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: version sources disagree: 2\.4\.0 in package\.json, pyproject\.toml; 2\.1\.2 in noetlctl\/Cargo\.toml, noetlctl\/Cargo\.lock; 1\.4\.0 in ui-src\/package\.json, ui-src\/package-lock\.json \(fix: run `npx tsx Taskfile\.ts release sync --root \S+` \(aligns them to 2\.4\.0, the highest\)/m);
    assert.deepEqual(captureState(root), before);
  });

  it("sync refuses a version lower than the highest, or one that is not X.Y.Z", () => {
    assert.match(release(root, "sync", "--to", "2.1.0").stderr, /--to 2\.1\.0 is lower than 2\.4\.0/);
    assert.equal(release(root, "sync", "--to", "2.1.0").code, 2);
    assert.equal(release(root, "sync", "--to", "v2.5").code, 2);
  });

  it("sync aligns every version file to the highest and commits nothing", () => {
    const head = git(root, "rev-parse", "HEAD");
    const result = release(root, "sync");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /noetlctl\/Cargo\.toml:3 {2}version = "2\.1\.2" {2}-> {2}version = "2\.4\.0"/);
    assert.deepEqual(versionsOf(root), allAt("2.4.0"));
    assert.equal(git(root, "rev-parse", "HEAD"), head);
    assert.match(release(root, "sync").stderr, /Every version file is at 2\.4\.0 already/);
  });
});

describe("release init", () => {
  let root: string;
  before(() => {
    root = copyExample("init");
    for (const path of [".changeset", "package.json", "CHANGELOG.md"]) rmSync(join(root, path), { recursive: true, force: true });
  });
  after(() => removeWorkspace(root));

  it("--dry-run lists the files and creates none", () => {
    const result = release(root, "init", "--dry-run");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /\.changeset\/config\.json: created/);
    assert.ok(!existsSync(join(root, ".changeset")));
  });

  it("creates the changeset folder, the release package and the changelog, without git", () => {
    const result = release(root, "init");
    assert.equal(result.code, 0, result.stderr);
    const config = json(root, ".changeset/config.json");
    assert.deepEqual([config.baseBranch, config.commit, config.changelog, config.privatePackages], ["main", false, "@changesets/cli/changelog", { version: true, tag: false }]);
    assert.deepEqual([json(root, "package.json").name, json(root, "package.json").version, json(root, "package.json").private], ["noetl", "2.4.0", true]);
    assert.equal(read(root, "CHANGELOG.md"), "# noetl\n");
    assert.match(read(root, ".changeset/README.md"), /"noetl": minor/);
    assert.match(result.stderr, /run `npx tsx Taskfile\.ts release sync --root \S+`/);
  });

  it("changes nothing the second time", () => {
    const before = snapshotTree(root);
    assert.match(release(root, "init").stderr, /already set up for releases/);
    assert.deepEqual(snapshotTree(root), before);
  });
});

describe("release", () => {
  let root: string;
  let remote: string;
  before(() => {
    ({ root, remote } = makeRepoWithRemote("release"));
  });
  after(() => {
    removeWorkspace(root);
    rmSync(remote, { recursive: true, force: true });
  });

  it("--dry-run shows the version, each file and line, the changelog entry and the tag, and changes nothing", () => {
    const before = captureState(root);
    const result = release(root, "--dry-run");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Would release v2\.5\.0: 2\.4\.0 -> 2\.5\.0 \(from 1 changeset\)$/m);
    for (const line of ['pyproject.toml:7  version = "2.4.0"  ->  version = "2.5.0"', 'noetlctl/Cargo.lock:7  version = "2.4.0"  ->  version = "2.5.0"', 'ui-src/package-lock.json:9  "version": "2.4.0"  ->  "version": "2.5.0"', ".changeset/cool-cats.md: deleted (changeset applied)"]) {
      assert.ok(result.stderr.includes(line), line);
    }
    assert.match(result.stderr, /Changelog entry:\n {2}## 2\.5\.0\n\n {2}### Minor Changes\n\n {2}- [0-9a-f]{7}: Add the release task/);
    assert.match(result.stderr, /^Tag: v2\.5\.0$/m);
    assert.deepEqual(captureState(root), before);
    assert.equal(before.status, "");
  });

  it("bumps every version file, writes the changelog, commits and tags", () => {
    const parent = git(root, "rev-parse", "HEAD");
    const result = release(root);
    assert.equal(result.code, 0, result.stderr);

    assert.deepEqual(versionsOf(root), allAt("2.5.0"));
    const changesetCommit = git(root, "log", "-n1", "--diff-filter=A", "--format=%h", "--", ".changeset/cool-cats.md").slice(0, 7);
    assert.match(read(root, "CHANGELOG.md"), new RegExp(`^# noetl\\n\\n## 2\\.5\\.0\\n\\n### Minor Changes\\n\\n- ${changesetCommit}[0-9a-f]*: Add the release task\\n`));
    assert.ok(!existsSync(join(root, ".changeset/cool-cats.md")));
    assert.ok(existsSync(join(root, ".changeset/config.json")));

    assert.equal(git(root, "log", "-1", "--format=%s"), "Release v2.5.0");
    assert.equal(git(root, "rev-parse", "HEAD^"), parent);
    assert.equal(git(root, "rev-parse", "v2.5.0^{commit}"), git(root, "rev-parse", "HEAD"));
    assert.match(git(root, "tag", "-l", "--format=%(contents)", "v2.5.0"), /^v2\.5\.0\n\n### Minor Changes\n\n- [0-9a-f]+: Add the release task/);
    assert.equal(git(root, "status", "--porcelain"), "");
  });

  it("refuses a second release without a new changeset", () => {
    const result = release(root);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: no pending changesets: nothing to release \(fix: add one: run `npx @changesets\/cli add`/m);
  });

  it("--push sends the release commit and its tag to the remote", () => {
    addChangeset(root, "quick-fix", "patch", "Fix the quick thing");
    const result = release(root, "--push");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(git(remote, "rev-parse", "main"), git(root, "rev-parse", "HEAD"));
    assert.equal(git(remote, "rev-parse", "v2.5.1^{commit}"), git(root, "rev-parse", "HEAD"));
    assert.deepEqual(versionsOf(root), allAt("2.5.1"));
  });
});

describe("release refusals name the fix and change nothing", () => {
  let base: string;
  before(() => {
    base = makeRepo("refusal-base");
    addChangeset(base, "cool-cats", "minor", "Add the release task");
  });
  after(() => removeWorkspace(base));

  const cases: [string, (root: string) => void, string[], RegExp][] = [
    ["a dirty working tree", (root) => appendFileSync(join(root, "pyproject.toml"), "\n"), [], /uncommitted changes \(pyproject\.toml\) \(fix: commit or stash them/],
    ["no pending changeset", (root) => (rmSync(join(root, ".changeset/cool-cats.md")), commitAll(root, "Drop it")), [], /no pending changesets: nothing to release \(fix: add one/],
    ["an existing tag", (root) => git(root, "tag", "v2.5.0"), [], /tag v2\.5\.0 already exists: that version was released \(fix: add a changeset for the next version/],
    ["a detached HEAD", (root) => git(root, "checkout", "-q", "--detach"), [], /HEAD is detached: there is no branch to commit the release on \(fix: switch to the branch/],
    ["no git repository", (root) => rmSync(join(root, ".git"), { recursive: true }), [], /not a git repository: a release is a commit and a tag \(fix: run the release inside the NoETL git checkout/],
    ["an unknown remote", () => {}, ["--push", "--remote", "upstream"], /no git remote named "upstream" \(fix: pass --remote NAME/],
  ];

  for (const [title, arrange, flags, message] of cases) {
    it(`refuses ${title}`, () => {
      const root = join(mkdtempSync(join(tmpdir(), "noetl-refusal-")), "ws");
      cpSync(base, root, { recursive: true });
      try {
        arrange(root);
        const before = captureState(root);
        const result = release(root, ...flags);
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, message);
        assert.equal(result.stderr.trim().split("\n").length, 1, "one line");
        assert.deepEqual(captureState(root), before);
      } finally {
        removeWorkspace(root);
      }
    });
  }

  it("rejects flags that do not apply, before touching anything", () => {
    for (const args of [["status", "--push"], ["--remote", "origin"], ["--to", "3.0.0"], ["version", "--push"]]) {
      const result = release(base, ...args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    }
    assert.match(release(base, "publish").stderr, /unexpected argument "publish" for release/);
  });
});

describe("a failing or interrupted release leaves every file as it was", () => {
  let root: string;
  before(() => {
    root = makeRepo("atomic");
    addChangeset(root, "cool-cats", "minor", "Add the release task");
  });
  after(() => removeWorkspace(root));

  const hook = (script: string) => {
    mkdirSync(join(root, ".git/hooks"), { recursive: true });
    writeFileSync(join(root, ".git/hooks/pre-commit"), `#!/bin/sh\n${script}\n`);
    chmodSync(join(root, ".git/hooks/pre-commit"), 0o755);
  };

  it("puts back every file and the index when git commit fails (a rejecting hook)", () => {
    hook('echo "pre-commit: rejected" >&2; exit 1');
    const before = captureState(root);
    const result = release(root);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: git commit failed; every file was put back as it was/m);
    assert.match(result.stderr, /pre-commit: rejected/);
    assert.deepEqual(captureState(root), before);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`puts back every file and the index after ${signal} during the commit`, async () => {
      const marker = join(root, ".git/hook-started");
      hook(`touch "${marker}"; sleep 30`);
      const before = captureState(root);
      const run = startCli(["release", "--root", root]);
      for (let i = 0; i < 300 && !existsSync(marker); i++) await sleep(50);
      assert.ok(existsSync(marker), `the hook never started: ${run.output()}`);
      rmSync(marker);

      run.child.kill(signal);
      const result = await run.done;
      assert.equal(result.code, signal === "SIGINT" ? 130 : 143, result.stderr);
      assert.deepEqual(captureState(root), before);
    });
  }

  it("fails before writing when a version file is a directory", () => {
    rmSync(join(root, ".git/hooks/pre-commit"));
    rmSync(join(root, "ui-src/package-lock.json"));
    mkdirSync(join(root, "ui-src/package-lock.json"));
    writeFileSync(join(root, "ui-src/package-lock.json/keep"), "");
    const before = captureState(root);
    const result = release(root, "version");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ui-src\/package-lock\.json is a directory, not a file \(fix: restore it with git checkout -- ui-src\/package-lock\.json\)/);
    assert.deepEqual(captureState(root), before);
  });
});

describe("release version and release tag (the CI workflow's two halves)", () => {
  let root: string;
  let remote: string;
  let versionCommit: string;
  before(() => {
    ({ root, remote } = makeRepoWithRemote("ci"));
  });
  after(() => {
    removeWorkspace(root);
    rmSync(remote, { recursive: true, force: true });
  });

  it("version applies the changesets and commits nothing (changesets/action commits)", () => {
    const head = git(root, "rev-parse", "HEAD");
    const result = release(root, "version");
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(versionsOf(root), allAt("2.5.0"));
    assert.equal(git(root, "rev-parse", "HEAD"), head);
    assert.match(git(root, "status", "--porcelain"), /D \.changeset\/cool-cats\.md/);
  });

  it("tag tags the commit that set the version, not a later one, and pushes the tag", () => {
    commitAll(root, "Release NoETL");
    versionCommit = git(root, "rev-parse", "HEAD");
    writeFileSync(join(root, "noetl/later.py"), "# merged after the version pull request\n");
    commitAll(root, "A later change");

    assert.equal(release(root, "tag", "--dry-run").code, 0);
    assert.equal(git(root, "tag"), "");
    const result = release(root, "tag", "--push");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(git(root, "rev-parse", "v2.5.0^{commit}"), versionCommit);
    assert.equal(git(remote, "rev-parse", "v2.5.0^{commit}"), versionCommit);
  });

  it("tag does nothing once the version is tagged", () => {
    const result = release(root, "tag", "--push");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /v2\.5\.0 is already tagged: nothing new to release/);
    assert.equal(git(root, "tag"), "v2.5.0");
  });
});
