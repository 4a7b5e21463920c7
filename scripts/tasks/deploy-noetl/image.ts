// Which image to deploy, which architectures it has, and where its pods may
// therefore run.

import { toDockerArch, type DockerArch } from "../../lib/arch.ts";
import { BUILDX } from "../../lib/buildx.ts";
import { taskFailure, usageError } from "../../lib/errors.ts";
import type { Exec } from "../../lib/exec.ts";
import { parseImageReference } from "../../lib/image-ref.ts";
import { parseImagePlatforms } from "../../lib/kube.ts";
import { getLastBuildPath, readLastBuild } from "../../lib/last-build.ts";
import type { Workspace } from "../../lib/workspace.ts";

export function resolveImage(flag: string | undefined, workspace: () => Workspace): string {
  if (flag !== undefined) {
    parseImageReference(flag);
    return flag;
  }
  const ws = workspace();
  const last = readLastBuild(ws);
  if (!last?.references[0]) throw usageError(`no --image given and no image recorded in ${getLastBuildPath(ws)}`, "pass --image REPO:TAG, or build and push one first: docker-build --push --registry R");
  if (!last.pushed) throw usageError(`the last image built (${last.references[0]}) was not pushed, so no cluster can pull it`, "push it (docker-build --push --registry R) or pass --image");
  // The digest pins exactly what was pushed: a rebuilt image under the same
  // tag then changes the manifests, so Kubernetes rolls it out.
  return last.digest ? `${last.references[0]}@${last.digest}` : last.references[0];
}

export async function readImageArchs(exec: Exec, image: string): Promise<DockerArch[]> {
  const result = await exec([...BUILDX, "imagetools", "inspect", "--format", "{{json .Image}}", image], { readOnly: true, allowFailure: true, timeoutMs: 60_000 });
  if (result.code !== 0) {
    throw taskFailure(`image ${image} was not found or cannot be read: ${result.stderr.trim().split("\n").at(-1) ?? ""}`, { hint: "check --image, push it with docker-build --push, or log in to its registry (docker login)" });
  }
  const archs = parseImagePlatforms(result.stdout)
    .filter((platform) => platform.startsWith("linux/"))
    .map((platform) => toDockerArch(platform.split("/")[1]))
    .filter((arch): arch is DockerArch => arch !== undefined);
  return [...new Set(archs)].sort();
}

export type ArchDecision = { kind: "ok"; archs: DockerArch[] } | { kind: "pinned"; archs: DockerArch[]; uncovered: DockerArch[] };

/** Refuses an image that lacks an architecture the cluster schedules on, unless allowed. */
export function decideArchs(image: string, imageArchs: readonly DockerArch[], clusterArchs: readonly DockerArch[], allowMismatch: boolean): ArchDecision {
  const covered = clusterArchs.filter((arch) => imageArchs.includes(arch));
  const uncovered = clusterArchs.filter((arch) => !imageArchs.includes(arch));
  if (covered.length === 0) {
    throw taskFailure(`${image} has ${imageArchs.join(", ") || "no linux platform"}, but the cluster's schedulable nodes are ${clusterArchs.join(", ") || "none"}`, {
      hint: `build the image for the cluster: docker-build --platforms ${clusterArchs.map((a) => `linux/${a}`).join(",")} --push`,
    });
  }
  if (uncovered.length === 0) return { kind: "ok", archs: covered };
  if (!allowMismatch) {
    throw taskFailure(`${image} lacks ${uncovered.join(", ")}, which some of the cluster's nodes are`, {
      hint: `rebuild with --platforms ${clusterArchs.map((a) => `linux/${a}`).join(",")}, or pass --allow-arch-mismatch to keep the pods on ${covered.join(", ")} nodes`,
    });
  }
  return { kind: "pinned", archs: covered, uncovered };
}
