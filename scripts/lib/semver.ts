// The subset of semver a release needs: parse X.Y.Z[-pre][+build], order
// versions by precedence, and bump by a changeset's type.

export interface Semver {
  major: number;
  minor: number;
  patch: number;
  prerelease: readonly string[];
}

export type BumpType = "major" | "minor" | "patch";

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseSemver(text: string): Semver | undefined {
  const match = SEMVER.exec(text.trim());
  if (!match) return undefined;

  const [, major, minor, patch, pre] = match;
  return { major: Number(major), minor: Number(minor), patch: Number(patch), prerelease: pre ? pre.split(".") : [] };
}

export function isSemver(text: string): boolean {
  return parseSemver(text) !== undefined;
}

/** Semver precedence: negative when a < b. Build metadata is ignored. */
export function compareSemver(a: string, b: string): number {
  const left = parseSemver(a);
  const right = parseSemver(b);
  if (!left || !right) throw new Error(`compareSemver needs X.Y.Z versions, got "${a}" and "${b}"`);

  const core = left.major - right.major || left.minor - right.minor || left.patch - right.patch;
  if (core !== 0) return Math.sign(core);
  return comparePrerelease(left.prerelease, right.prerelease);
}

/** The highest of the versions that parse; undefined when none does. */
export function findHighestSemver(versions: readonly string[]): string | undefined {
  const valid = versions.filter(isSemver);
  return valid.reduce<string | undefined>((best, v) => (best === undefined || compareSemver(v, best) > 0 ? v : best), undefined);
}

/** What `changeset version` computes outside pre mode. */
export function bumpSemver(version: string, type: BumpType): string {
  const v = parseSemver(version);
  if (!v) throw new Error(`bumpSemver needs an X.Y.Z version, got "${version}"`);

  // Like semver.inc: a pre-release of 2.5.0 bumped by minor (or patch)
  // releases 2.5.0 itself, since 2.5.0 already holds that change.
  const pre = v.prerelease.length > 0;
  if (type === "major") return pre && v.minor === 0 && v.patch === 0 ? `${v.major}.0.0` : `${v.major + 1}.0.0`;
  if (type === "minor") return pre && v.patch === 0 ? `${v.major}.${v.minor}.0` : `${v.major}.${v.minor + 1}.0`;
  return pre ? `${v.major}.${v.minor}.${v.patch}` : `${v.major}.${v.minor}.${v.patch + 1}`;
}

function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  // A release ranks above its pre-releases: 2.5.0 > 2.5.0-beta.1.
  if (a.length === 0 || b.length === 0) return Math.sign(b.length - a.length);

  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareIdentifier(a[i], b[i]);
    if (order !== 0) return order;
  }
  return Math.sign(a.length - b.length);
}

function compareIdentifier(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return Math.sign(Number(a) - Number(b));
  if (numeric.test(a) !== numeric.test(b)) return numeric.test(a) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
