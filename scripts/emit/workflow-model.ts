// A small typed model of a GitHub Actions workflow. Two things that plain
// objects would lose are first-class here: the reason for each permission,
// and the version behind each pinned action SHA. Both become YAML comments.

import type { ActionPin } from "../../matrix.ts";

export type Permission = "read" | "write";
export type PermissionScope = "contents" | "packages" | "pull-requests" | "id-token" | "attestations";

export interface Grant {
  level: Permission;
  /** Why the job needs it: printed beside the grant. */
  reason: string;
}

export interface Step {
  name: string;
  id?: string;
  if?: string;
  /** A pinned action (rendered as owner/repo@sha # version). */
  uses?: ActionPin;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  /** Shell script: must not contain ${{ }}; values come in through env. */
  run?: string;
  shell?: "bash" | "pwsh";
}

export interface Job {
  name?: string;
  "runs-on": string;
  needs?: string[];
  if?: string;
  permissions: Partial<Record<PermissionScope, Grant>>;
  "timeout-minutes": number;
  strategy?: { "fail-fast": boolean; matrix: { include: Record<string, string>[] } };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}

export interface Triggers {
  push?: { branches?: string[]; tags?: string[] };
  pull_request?: { branches: string[] };
  workflow_dispatch?: Record<string, never>;
}

export interface Workflow {
  name: string;
  on: Triggers;
  concurrency: { group: string; "cancel-in-progress": boolean | string };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export interface EmittedFile {
  /** Relative to this repository's root. */
  path: string;
  content: string;
}
