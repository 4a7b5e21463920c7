// Waiting for the rollouts, and showing where each pod landed.

import { taskFailure } from "../../lib/errors.ts";
import type { Exec } from "../../lib/exec.ts";
import { parsePods, type NodeInfo } from "../../lib/kube.ts";
import type { Cluster } from "./cluster.ts";

export const DEPLOYMENTS = ["noetl-server", "noetl-worker"] as const;

export async function waitForRollouts(exec: Exec, cluster: Cluster, namespace: string, timeoutSeconds: number): Promise<void> {
  for (const name of DEPLOYMENTS) {
    const result = await exec(cluster.kubectl("rollout", "status", `deployment/${name}`, "--namespace", namespace, `--timeout=${timeoutSeconds}s`), { allowFailure: true, timeoutMs: (timeoutSeconds + 30) * 1000 });
    if (result.code !== 0) {
      const events = await readFailingPodEvents(exec, cluster, namespace, name);
      throw taskFailure(`deployment ${name} did not become ready within ${timeoutSeconds}s`, {
        hint: `read the events below, then \`kubectl --context ${cluster.context} -n ${namespace} describe deployment ${name}\`; raise --timeout if the cluster is only slow`,
        tail: events,
      });
    }
  }
}

async function readFailingPodEvents(exec: Exec, cluster: Cluster, namespace: string, deployment: string): Promise<string[]> {
  const pods = await exec(cluster.kubectl("get", "pods", "--namespace", namespace, "--selector", `app.kubernetes.io/name=${deployment}`, "--output=json"), { readOnly: true, allowFailure: true });
  const failing = pods.code === 0 ? parsePods(pods.stdout).find((p) => !p.ready) : undefined;
  if (!failing) return [];
  const events = await exec(cluster.kubectl("get", "events", "--namespace", namespace, "--field-selector", `involvedObject.name=${failing.name}`, "--sort-by=.lastTimestamp", "--output=custom-columns=REASON:.reason,MESSAGE:.message", "--no-headers"), { readOnly: true, allowFailure: true });
  return [`pod ${failing.name} (${failing.phase}${failing.node ? ` on ${failing.node}` : ", not scheduled"}):`, ...events.stdout.trim().split("\n").filter(Boolean).slice(-8)];
}

export interface Placement {
  pod: string;
  node: string;
  arch: string;
  phase: string;
}

export async function readPlacements(exec: Exec, cluster: Cluster, namespace: string, nodes: readonly NodeInfo[]): Promise<Placement[]> {
  const result = await exec(cluster.kubectl("get", "pods", "--namespace", namespace, "--selector", "app.kubernetes.io/managed-by=noetl-build", "--output=json"), { readOnly: true });
  const archByNode = new Map(nodes.map((n) => [n.name, n.arch]));
  return parsePods(result.stdout).map((pod) => ({ pod: pod.name, node: pod.node ?? "(pending)", arch: archByNode.get(pod.node ?? "") ?? "-", phase: pod.phase }));
}

export function formatPlacements(placements: readonly Placement[]): string[] {
  const rows = [["POD", "NODE", "ARCH", "STATUS"], ...placements.map((p) => [p.pod, p.node, p.arch, p.phase])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)) + 2);
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("").trimEnd());
}
