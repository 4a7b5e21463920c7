// Image tag rules (docker/metadata-action's conventions, which users know):
// sha-<7> on every build, the branch name on branch pushes, `latest` only on
// the default branch, X.Y.Z / X.Y / X on release tags (a pre-release gets
// only its full version), pr-N for pull requests, which are never pushed;
// sha-<7>-dirty alone for a working tree with uncommitted changes.

import { matrix } from "../../matrix.ts";

export interface GitState {
  sha: string;
  branch?: string;
  /** A tag pointing at HEAD, e.g. v2.4.1. */
  tag?: string;
  pullRequest?: number;
  /** Uncommitted changes under the workspace: the commit does not describe the image. */
  dirty?: boolean;
}

export interface TagPlan {
  /** Tags without the repository, e.g. ["sha-1a2b3c4", "latest"]. */
  tags: string[];
  /** False for pull requests: their images are built, never published. */
  publishable: boolean;
  /** The image version for the OCI label. */
  version: string;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function computeTags(state: GitState, rules: typeof matrix.tags = matrix.tags): TagPlan {
  const shaTag = `${rules.shaPrefix}${state.sha.slice(0, rules.shaLength)}`;
  // An image of uncommitted work gets only a tag that says so: it must not
  // overwrite the commit's tag, the branch's or latest.
  if (state.dirty) return { tags: [`${shaTag}-dirty`], publishable: true, version: `${shaTag}-dirty` };
  if (state.pullRequest !== undefined) {
    return { tags: [`${rules.pullRequestPrefix}${state.pullRequest}`, shaTag], publishable: false, version: `pr-${state.pullRequest}` };
  }

  const semver = state.tag?.match(SEMVER);
  if (semver) {
    const [, major, minor, patch, pre] = semver;
    const full = `${major}.${minor}.${patch}${pre ? `-${pre}` : ""}`;
    const tags = pre ? [full] : [full, `${major}.${minor}`, major];
    return { tags: [...tags, shaTag], publishable: true, version: full };
  }

  const tags = [shaTag];
  if (state.branch) {
    tags.unshift(sanitizeTag(state.branch));
    if (state.branch === rules.defaultBranch) tags.unshift("latest");
  }
  return { tags: dedupe(tags), publishable: true, version: shaTag };
}

/** Docker tags: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. Branch names may hold "/" and more. */
export function sanitizeTag(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-").replace(/^[.-]+/, "");
  return (cleaned || "branch").slice(0, 128);
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
