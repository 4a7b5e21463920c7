// kind clusters pull nothing from the host: images are loaded into their
// nodes. `kind load` cannot take a multi-platform index (content digest not
// found), so exactly the nodes' platform is pulled and loaded.

import type { DockerArch } from "../../lib/arch.ts";
import { taskFailure } from "../../lib/errors.ts";
import type { Exec } from "../../lib/exec.ts";
import { findExecutable } from "../../lib/which.ts";

export function getKindClusterName(context: string): string | undefined {
  return context.startsWith("kind-") ? context.slice("kind-".length) : undefined;
}

export function getKindLoadCommands(image: string, cluster: string, archs: readonly DockerArch[]): string[][] {
  // kind nodes of one cluster share the host's architecture.
  const platform = `linux/${archs[0]}`;
  return [
    ["docker", "pull", "--platform", platform, image],
    ["kind", "load", "docker-image", image, "--name", cluster],
  ];
}

export async function loadIntoKind(exec: Exec, image: string, cluster: string, archs: readonly DockerArch[]): Promise<void> {
  if (!findExecutable("kind")) throw taskFailure(`context kind-${cluster} is a kind cluster, but the kind command is not installed`, { hint: "install kind (go install sigs.k8s.io/kind@latest, or brew install kind)" });
  for (const argv of getKindLoadCommands(image, cluster, archs)) await exec(argv, { hint: `loading ${image} into kind cluster ${cluster} failed` });
}
