// Parsers for what kubectl prints (JSON), kept pure for tests.

import { toDockerArch, type DockerArch } from "./arch.ts";

export interface NodeInfo {
  name: string;
  arch: string;
  schedulable: boolean;
  ready: boolean;
}

interface RawNode {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean; taints?: { effect: string; key: string }[] };
  status?: { conditions?: { type: string; status: string }[]; nodeInfo?: { architecture?: string } };
}

export function parseNodes(json: string): NodeInfo[] {
  const list = JSON.parse(json) as { items: RawNode[] };
  return list.items.map((node) => ({
    name: node.metadata.name,
    arch: node.metadata.labels?.["kubernetes.io/arch"] ?? node.status?.nodeInfo?.architecture ?? "unknown",
    // Control-plane taints and cordons keep our pods off a node.
    schedulable: !node.spec?.unschedulable && !(node.spec?.taints ?? []).some((t) => t.effect === "NoSchedule" || t.effect === "NoExecute"),
    ready: (node.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
  }));
}

/** Architectures that our pods could land on. */
export function getSchedulableArchs(nodes: readonly NodeInfo[]): DockerArch[] {
  const archs = nodes.filter((n) => n.schedulable).map((n) => toDockerArch(n.arch)).filter((a): a is DockerArch => a !== undefined);
  return [...new Set(archs)].sort();
}

export interface PodPlacement {
  name: string;
  node?: string;
  phase: string;
  ready: boolean;
}

export function parsePods(json: string): PodPlacement[] {
  const list = JSON.parse(json) as { items: { metadata: { name: string }; spec?: { nodeName?: string }; status?: { phase?: string; conditions?: { type: string; status: string }[] } }[] };
  return list.items.map((pod) => ({
    name: pod.metadata.name,
    node: pod.spec?.nodeName,
    phase: pod.status?.phase ?? "Unknown",
    ready: (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
  }));
}

/** `imagetools inspect --format '{{json .Image}}'`: one config, or a map by platform. */
export function parseImagePlatforms(json: string): string[] {
  const parsed = JSON.parse(json) as Record<string, unknown> & { os?: string; architecture?: string };
  if (typeof parsed.architecture === "string") return [`${parsed.os ?? "linux"}/${parsed.architecture}`];
  return Object.keys(parsed).filter((platform) => platform !== "unknown/unknown");
}
