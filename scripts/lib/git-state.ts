// The git facts that image tags are computed from. In GitHub Actions the
// runner's environment says what triggered the build (a pull request's
// checkout is a detached merge commit, so git alone cannot tell).

import type { Exec } from "./exec.ts";
import type { GitState } from "./tags.ts";

export function readGitStateFromEnv(env: NodeJS.ProcessEnv): GitState | undefined {
  if (env.GITHUB_ACTIONS !== "true" || !env.GITHUB_SHA) return undefined;
  const ref = env.GITHUB_REF ?? "";
  const pr = ref.match(/^refs\/pull\/(\d+)\//);
  if (pr) return { sha: env.GITHUB_SHA, pullRequest: Number(pr[1]) };
  if (ref.startsWith("refs/tags/")) return { sha: env.GITHUB_SHA, tag: ref.slice("refs/tags/".length) };
  if (ref.startsWith("refs/heads/")) return { sha: env.GITHUB_SHA, branch: ref.slice("refs/heads/".length) };
  return { sha: env.GITHUB_SHA };
}

/** Undefined outside a git repository. */
export async function readGitState(exec: Exec, dir: string, env: NodeJS.ProcessEnv = process.env): Promise<GitState | undefined> {
  const fromCi = readGitStateFromEnv(env);
  if (fromCi) return fromCi;

  const git = (...args: string[]) => exec(["git", "-C", dir, ...args], { readOnly: true, allowFailure: true });
  const [sha, branch, tag, status] = await Promise.all([
    git("rev-parse", "HEAD"),
    git("symbolic-ref", "--quiet", "--short", "HEAD"),
    git("describe", "--tags", "--exact-match", "HEAD"),
    git("status", "--porcelain", "--", "."),
  ]);
  if (sha.code !== 0) return undefined;
  return {
    sha: sha.stdout.trim(),
    ...(status.stdout.trim() !== "" ? { dirty: true } : {}),
    ...(branch.code === 0 ? { branch: branch.stdout.trim() } : {}),
    ...(tag.code === 0 ? { tag: tag.stdout.trim() } : {}),
  };
}
