// The NoETL Kubernetes objects, rendered from typed code with the image
// filled in. They are applied through stdin: no tracked file is ever edited
// (the old deploy rewrote the manifests in place and back, and an
// interruption left them changed).

import { stringify } from "yaml";
import type { DockerArch } from "../lib/arch.ts";

export interface ManifestOptions {
  namespace: string;
  image: string;
  /** Architectures the pods may run on: the image's, intersected with the cluster's. */
  archs: readonly DockerArch[];
  /** Include the Namespace object (only when this tool creates it). */
  createNamespace: boolean;
  serverReplicas: number;
  workerReplicas: number;
}

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Record<string, unknown>;

export const MANAGED_BY = { "app.kubernetes.io/managed-by": "noetl-build", "app.kubernetes.io/part-of": "noetl" } as const;
export const CREATED_ANNOTATION = "noetl.io/created-by";
const PORT = 8082;

export function renderManifests(o: ManifestOptions): KubeObject[] {
  const objects: KubeObject[] = [];
  if (o.createNamespace) {
    objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: o.namespace, labels: { ...MANAGED_BY }, annotations: { [CREATED_ANNOTATION]: "noetl-build" } } });
  }
  objects.push(
    configMap(o, "noetl-server-config", { NOETL_HOST: "0.0.0.0", NOETL_PORT: String(PORT), NOETL_ENABLE_UI: "true" }),
    configMap(o, "noetl-worker-config", { NOETL_SERVER_URL: `http://noetl.${o.namespace}.svc.cluster.local:${PORT}` }),
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(o, "noetl") },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(o, "noetl"),
      spec: { selector: { "app.kubernetes.io/name": "noetl-server" }, ports: [{ name: "http", port: PORT, targetPort: "http" }] },
    },
    deployment(o, "noetl-server", o.serverReplicas, ["python3", "-m", "noetl.server", "--host", "0.0.0.0", "--port", String(PORT)], true),
    deployment(o, "noetl-worker", o.workerReplicas, ["python3", "-m", "noetl.worker"], false),
  );
  return objects;
}

export function serializeManifests(objects: readonly KubeObject[]): string {
  return objects.map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}

function meta(o: ManifestOptions, name: string, component?: string) {
  return { name, namespace: o.namespace, labels: { ...MANAGED_BY, "app.kubernetes.io/name": component ?? name } };
}

function configMap(o: ManifestOptions, name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: meta(o, name), data };
}

function deployment(o: ManifestOptions, name: string, replicas: number, command: string[], serves: boolean): KubeObject {
  const selector = { "app.kubernetes.io/name": name };
  const probe = { httpGet: { path: "/api/health", port: "http" }, periodSeconds: 10, timeoutSeconds: 3 };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(o, name),
    spec: {
      replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...MANAGED_BY, ...selector } },
        spec: {
          serviceAccountName: "noetl",
          // Pods go only to nodes whose architecture the image has: an amd64
          // image under emulation on an arm64 node misbehaves (NoETL met this
          // with polars hanging on Apple Silicon).
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: [...o.archs] }] }] } } },
          // Spread over architectures so both kinds of node are exercised;
          // matchLabelKeys counts only this revision's pods, or a rolling
          // update would pile the new pods onto one architecture.
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/arch", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector }, matchLabelKeys: ["pod-template-hash"] }],
          containers: [
            {
              name,
              image: o.image,
              command,
              envFrom: [{ configMapRef: { name: serves ? "noetl-server-config" : "noetl-worker-config" } }, { secretRef: { name: "noetl-secret", optional: true } }],
              ...(serves ? { ports: [{ name: "http", containerPort: PORT }], readinessProbe: { ...probe, initialDelaySeconds: 5 }, livenessProbe: { ...probe, initialDelaySeconds: 30 } } : {}),
              resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
            },
          ],
        },
      },
    },
  };
}
