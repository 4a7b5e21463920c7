// --merge-digests DIR: the CI merge job. Every platform job pushed its image
// by digest and left the digest as a file name in DIR; this publishes one
// manifest list under the tag rules' tags and shows it.

import { readdirSync, existsSync } from "node:fs";
import { usageError, taskFailure } from "../../lib/errors.ts";
import { BUILDX } from "../../lib/buildx.ts";
import type { Exec } from "../../lib/exec.ts";
import type { Logger } from "../../lib/log.ts";
import type { TagPlan } from "../../lib/tags.ts";
import { listPlatforms } from "./verify.ts";

export function readDigestDir(dir: string): string[] {
  if (!existsSync(dir)) throw usageError(`--merge-digests ${dir} does not exist`, "pass the folder the platform jobs wrote their digests to");
  const digests = readdirSync(dir).filter((name) => /^[a-f0-9]{64}$/.test(name));
  if (digests.length === 0) throw taskFailure(`no digest files in ${dir}`, { hint: "the platform jobs must run docker-build --push-by-digest --digest-dir DIR first" });
  return digests.map((hex) => `sha256:${hex}`);
}

export async function mergeDigests(exec: Exec, log: Logger, repository: string, digests: string[], tags: TagPlan) {
  if (!tags.publishable) throw usageError("pull request builds are never published", "merge only on pushes to the default branch or release tags");
  const references = tags.tags.map((tag) => `${repository}:${tag}`);

  await exec([...BUILDX, "imagetools", "create", ...references.flatMap((r) => ["--tag", r]), ...digests.map((d) => `${repository}@${d}`)], {
    hint: "check the registry login and that every digest was pushed to the same repository",
  });
  const inspect = await exec([...BUILDX, "imagetools", "inspect", references[0]], { readOnly: true });
  log.info(inspect.stdout.trim());
  const platforms = (await listPlatforms(exec, references[0], log)).map((e) => e.platform);
  return { references, platforms };
}
