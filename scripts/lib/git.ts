// The git operations a release needs, each one argv through the exec
// wrapper. Probes are read-only (they run under --dry-run too); messages go
// through stdin, never on the command line.

import { isAbsolute, join } from "node:path";
import { taskFailure } from "./errors.ts";
import type { Exec, ExecResult } from "./exec.ts";

export interface Git {
  /** The repository's top directory, or undefined outside a repository. */
  getTopLevel(): Promise<string | undefined>;
  /** The current branch, or undefined on a detached HEAD. */
  getBranch(): Promise<string | undefined>;
  /** HEAD's commit, or undefined in a repository without commits. */
  getHead(): Promise<string | undefined>;
  /** `git status --porcelain` lines: staged, unstaged and untracked changes. */
  listChanges(): Promise<string[]>;
  hasTag(tag: string): Promise<boolean>;
  hasRemote(remote: string): Promise<boolean>;
  /** The absolute git directory (a worktree's own, in a linked worktree). */
  getGitDir(): Promise<string>;
  /** An absolute path inside the git directory (works in worktrees). */
  getGitPath(name: string): Promise<string>;
  /** The newest commit whose diff of `path` adds or removes a line matching `regex`. */
  findCommitChanging(path: string, regex: string): Promise<string | undefined>;
  add(paths: readonly string[]): Promise<void>;
  /** Unstages `paths`: their index entries go back to HEAD's. */
  resetPaths(paths: readonly string[]): Promise<void>;
  commit(message: string): Promise<string>;
  tag(name: string, message: string, commit: string): Promise<void>;
  push(remote: string, refs: readonly string[]): Promise<void>;
}

export function createGit(exec: Exec, cwd: string): Git {
  const probe = (args: string[]) => run(exec, cwd, args, { readOnly: true, allowFailure: true });
  const change = (args: string[], input?: string) => run(exec, cwd, args, { input });

  return {
    async getTopLevel() {
      const result = await probe(["rev-parse", "--show-toplevel"]);
      return result.code === 0 ? result.stdout.trim() : undefined;
    },
    async getBranch() {
      const result = await probe(["symbolic-ref", "--quiet", "--short", "HEAD"]);
      return result.code === 0 ? result.stdout.trim() : undefined;
    },
    async getHead() {
      const result = await probe(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
      return result.code === 0 ? result.stdout.trim() : undefined;
    },
    async listChanges() {
      const result = await run(exec, cwd, ["status", "--porcelain"], { readOnly: true });
      return result.stdout.split("\n").filter((line) => line.trim() !== "");
    },
    async hasTag(tag) {
      return (await probe(["rev-parse", "--verify", "--quiet", `refs/tags/${tag}`])).code === 0;
    },
    async hasRemote(remote) {
      return (await probe(["remote", "get-url", remote])).code === 0;
    },
    async getGitDir() {
      return (await run(exec, cwd, ["rev-parse", "--absolute-git-dir"], { readOnly: true })).stdout.trim();
    },
    async getGitPath(name) {
      const path = (await run(exec, cwd, ["rev-parse", "--git-path", name], { readOnly: true })).stdout.trim();
      return isAbsolute(path) ? path : join(cwd, path);
    },
    async findCommitChanging(path, regex) {
      const result = await probe(["log", "-n", "1", "--format=%H", "-G", regex, "--", path]);
      return result.stdout.trim() || undefined;
    },
    async add(paths) {
      await change(["add", "--all", "--", ...paths]);
    },
    async resetPaths(paths) {
      await change(["reset", "--quiet", "--", ...paths]);
    },
    async commit(message) {
      await change(["commit", "--quiet", "--cleanup=verbatim", "--file", "-"], message);
      return (await run(exec, cwd, ["rev-parse", "HEAD"], { readOnly: true })).stdout.trim();
    },
    async tag(name, message, commit) {
      // verbatim: the changelog's "### Minor Changes" headings are not comments.
      await change(["tag", "--annotate", "--cleanup=verbatim", "--file", "-", name, commit], message);
    },
    async push(remote, refs) {
      // --atomic: the branch and the tag arrive together or not at all.
      await change(["push", "--atomic", remote, ...refs]);
    },
  };
}

async function run(exec: Exec, cwd: string, args: string[], options: { readOnly?: boolean; allowFailure?: boolean; input?: string }): Promise<ExecResult> {
  const result = await exec(["git", ...args], { cwd, ...options, allowFailure: true });
  if (result.code === 127) throw taskFailure("git is not installed (or not on PATH)", { hint: "install git and run the task again" });
  if (result.code !== 0 && !options.allowFailure) {
    const tail = `${result.stdout}\n${result.stderr}`.split("\n").filter((l) => l.trim() !== "").slice(-10);
    throw taskFailure(`git ${args[0]} failed with exit code ${result.code}`, { tail, hint: `see the message above; nothing after \`git ${args[0]}\` ran` });
  }
  return result;
}
