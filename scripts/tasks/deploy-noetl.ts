// deploy-noetl: render NoETL's Kubernetes objects for an image, check that
// the image covers the cluster's node architectures, apply with server-side
// apply through stdin, wait, and show each pod with its node's architecture.

import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { DeployFlags } from "../../Taskfile.ts";
import { CREATED_ANNOTATION, MANAGED_BY, renderManifests, serializeManifests } from "../emit/manifests.ts";
import { taskFailure, usageError } from "../lib/errors.ts";
import type { Exec } from "../lib/exec.ts";
import { getSchedulableArchs } from "../lib/kube.ts";
import type { TaskContext, TaskResult } from "../lib/taskdef.ts";
import { connectCluster, type Cluster } from "./deploy-noetl/cluster.ts";
import { decideArchs, readImageArchs, resolveImage } from "./deploy-noetl/image.ts";
import { getKindClusterName, loadIntoKind } from "./deploy-noetl/kind.ts";
import { formatPlacements, readPlacements, waitForRollouts } from "./deploy-noetl/rollout.ts";

const FIELD_MANAGER = "noetl-build";

export async function run(ctx: TaskContext<DeployFlags>): Promise<TaskResult> {
  const { flags, exec, log } = ctx;
  const namespace = validateNamespace(flags.namespace ?? "noetl");
  const timeout = parsePositive(flags.timeout ?? "300", "--timeout");
  const replicas = parsePositive(flags.replicas ?? "2", "--replicas");
  const overlay = flags.overlay !== undefined ? checkOverlay(flags.overlay) : undefined;
  if (flags.delete && (flags.image !== undefined || overlay !== undefined || flags["allow-arch-mismatch"])) {
    throw usageError("--delete takes no --image, --overlay or --allow-arch-mismatch", "run deploy-noetl --delete with only --context and --namespace");
  }

  const cluster = await connectCluster(exec, flags.context);
  if (flags.delete) return deleteDeployment(exec, cluster, namespace, log.info.bind(log));

  const image = resolveImage(flags.image, ctx.workspace);
  const clusterArchs = getSchedulableArchs(cluster.nodes);
  if (clusterArchs.length === 0) throw taskFailure(`context "${cluster.context}" has no schedulable node`, { hint: `check \`kubectl --context ${cluster.context} get nodes\` (cordoned or tainted nodes are skipped)` });
  const decision = decideArchs(image, await readImageArchs(exec, image), clusterArchs, flags["allow-arch-mismatch"]);
  if (decision.kind === "pinned") log.warn(`${image} lacks ${decision.uncovered.join(", ")}: pods are pinned to ${decision.archs.join(", ")} nodes (--allow-arch-mismatch)`);

  const createNamespace = !(await namespaceExists(exec, cluster, namespace));
  const manifests = serializeManifests(renderManifests({ namespace, image, archs: decision.archs, createNamespace, serverReplicas: replicas, workerReplicas: replicas }));
  if (ctx.globals["dry-run"]) {
    process.stdout.write(manifests);
    return;
  }

  const kind = getKindClusterName(cluster.context);
  if (kind) await loadIntoKind(exec, image, kind, decision.archs);

  log.info(`Deploying ${image} to ${cluster.context}/${namespace} (nodes: ${clusterArchs.join(", ")}; pods on ${decision.archs.join(", ")})`);
  await apply(exec, cluster, ["--filename", "-"], manifests);
  // The overlay has its own field manager: its fields win over ours, and the
  // fields it leaves out stay as NoETL set them.
  if (overlay) await apply(exec, cluster, ["--filename", overlay, "--recursive", "--namespace", namespace], undefined, `${FIELD_MANAGER}-overlay`);
  await waitForRollouts(exec, cluster, namespace, timeout);

  const placements = await readPlacements(exec, cluster, namespace, cluster.nodes);
  for (const line of formatPlacements(placements)) log.info(`  ${line}`);
  return { context: cluster.context, namespace, image, archs: decision.archs, pods: placements };
}

async function apply(exec: Exec, cluster: Cluster, source: string[], input?: string, manager = FIELD_MANAGER): Promise<void> {
  await exec(cluster.kubectl("apply", "--server-side", `--field-manager=${manager}`, "--force-conflicts", ...source), {
    input,
    hint: "the API server refused the objects: read the message above",
  });
}

async function namespaceExists(exec: Exec, cluster: Cluster, namespace: string): Promise<boolean> {
  const result = await exec(cluster.kubectl("get", "namespace", namespace, "--ignore-not-found", "--output=name"), { readOnly: true });
  return result.stdout.trim() !== "";
}

/** Removes what deploy applied; the namespace only when deploy created it. */
async function deleteDeployment(exec: Exec, cluster: Cluster, namespace: string, info: (line: string) => void): Promise<TaskResult> {
  const selector = Object.entries(MANAGED_BY).map(([k, v]) => `${k}=${v}`).join(",");
  const kinds = "deployment,service,configmap,serviceaccount";
  const found = await exec(cluster.kubectl("get", kinds, "--namespace", namespace, "--selector", selector, "--output=name"), { readOnly: true, allowFailure: true });
  const objects = found.stdout.trim().split("\n").filter(Boolean);
  const annotation = await exec(cluster.kubectl("get", "namespace", namespace, "--ignore-not-found", `--output=jsonpath={.metadata.annotations.${CREATED_ANNOTATION.replaceAll(".", "\\.")}}`), { readOnly: true });
  const ownsNamespace = annotation.stdout.trim() === "noetl-build";
  const where = `${cluster.context}/${namespace}`;
  if (objects.length === 0 && !ownsNamespace) {
    info(`Nothing of NoETL's to delete in ${where}`);
    return { context: cluster.context, namespace, deleted: [] };
  }

  if (objects.length > 0) await exec(cluster.kubectl("delete", kinds, "--namespace", namespace, "--selector", selector, "--ignore-not-found", "--wait=true"));
  if (ownsNamespace) await exec(cluster.kubectl("delete", "namespace", namespace, "--ignore-not-found", "--wait=false"));
  const what = `${objects.length} object(s)${ownsNamespace ? " and the namespace, which deploy had created" : ""}`;
  info(exec.dryRun ? `Would delete ${what} from ${where}` : `Deleted ${what} from ${where}`);
  return { context: cluster.context, namespace, deleted: objects, namespaceDeleted: ownsNamespace && !exec.dryRun };
}

function validateNamespace(name: string): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) throw usageError(`--namespace "${name}" is not a valid Kubernetes name`, "use lower-case letters, digits and '-', at most 63 characters");
  return name;
}

function parsePositive(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw usageError(`${flag} must be a positive whole number, got "${value}"`, `e.g. ${flag} ${flag === "--timeout" ? "300" : "2"}`);
  return number;
}

function checkOverlay(dir: string): string {
  const path = resolve(dir);
  if (!existsSync(path) || !statSync(path).isDirectory()) throw usageError(`--overlay ${dir} is not a directory`, "point it at a folder of Kubernetes YAML to apply after NoETL's objects");
  return path;
}
