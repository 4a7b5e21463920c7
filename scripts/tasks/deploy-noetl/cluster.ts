// The cluster side of a deploy: kubectl, the context, the nodes.

import { taskFailure } from "../../lib/errors.ts";
import type { Exec } from "../../lib/exec.ts";
import { parseNodes, type NodeInfo } from "../../lib/kube.ts";
import { findExecutable } from "../../lib/which.ts";

export interface Cluster {
  context: string;
  kubectl: (...args: string[]) => string[];
  nodes: NodeInfo[];
}

export async function connectCluster(exec: Exec, contextFlag: string | undefined): Promise<Cluster> {
  if (!findExecutable("kubectl")) throw taskFailure("kubectl is not installed", { hint: "install kubectl (brew install kubectl, winget install Kubernetes.kubectl, or your package manager)" });

  const context = contextFlag ?? (await readCurrentContext(exec));
  const contexts = await exec(["kubectl", "config", "get-contexts", "--output=name"], { readOnly: true, allowFailure: true });
  if (!contexts.stdout.split("\n").includes(context)) {
    throw taskFailure(`kubectl has no context "${context}"`, { hint: `list them with \`kubectl config get-contexts\`; pass --context NAME${contexts.stdout.trim() ? ` (one of: ${contexts.stdout.trim().split("\n").join(", ")})` : ""}` });
  }

  const kubectl = (...args: string[]) => ["kubectl", "--context", context, ...args];
  const nodes = await exec(kubectl("get", "nodes", "--output=json", "--request-timeout=20s"), { readOnly: true, allowFailure: true, timeoutMs: 40_000 });
  if (nodes.code !== 0) {
    throw taskFailure(`cannot reach the API server of context "${context}": ${lastLine(nodes.stderr)}`, { hint: `check that the cluster is running and reachable: kubectl --context ${context} cluster-info` });
  }
  return { context, kubectl, nodes: parseNodes(nodes.stdout) };
}

async function readCurrentContext(exec: Exec): Promise<string> {
  const current = await exec(["kubectl", "config", "current-context"], { readOnly: true, allowFailure: true });
  const context = current.stdout.trim();
  if (current.code !== 0 || !context) throw taskFailure("kubectl has no current context", { hint: "pass --context NAME, or select one with `kubectl config use-context NAME` (for kind: kind create cluster --name noetl)" });
  return context;
}

export function lastLine(text: string): string {
  return text.trim().split("\n").filter(Boolean).at(-1) ?? "no output";
}
