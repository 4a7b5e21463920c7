// Serializes the workflow model to YAML in one place: permissions:{} at the
// top, pins as owner/repo@sha with the version in a comment, the reason for
// every grant in a comment, and the regenerate command as a header.

import { Document } from "yaml";
import type { Job, Step, Workflow } from "./workflow-model.ts";

export function serializeWorkflow(workflow: Workflow, header: string): string {
  const plain = {
    name: workflow.name,
    on: workflow.on,
    permissions: {},
    concurrency: workflow.concurrency,
    ...(workflow.env ? { env: workflow.env } : {}),
    jobs: Object.fromEntries(Object.entries(workflow.jobs).map(([id, job]) => [id, toPlainJob(job)])),
  };

  const doc = new Document(plain, { aliasDuplicateObjects: false });
  doc.commentBefore = header
    .split("\n")
    .map((line) => ` ${line}`)
    .join("\n");

  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const [scope, grant] of Object.entries(job.permissions)) setComment(doc, ["jobs", id, "permissions", scope], grant?.reason);
    job.steps.forEach((step, index) => setComment(doc, ["jobs", id, "steps", index, "uses"], step.uses?.version));
  }
  return doc.toString({ lineWidth: 0 });
}

function toPlainJob(job: Job) {
  const { permissions, steps, ...rest } = job;
  return {
    ...rest,
    permissions: Object.fromEntries(Object.entries(permissions).map(([scope, grant]) => [scope, grant?.level])),
    steps: steps.map(toPlainStep),
  };
}

function toPlainStep(step: Step) {
  const { uses, ...rest } = step;
  return { name: rest.name, ...(uses ? { uses: `${uses.uses}@${uses.sha}` } : {}), ...withoutName(rest) };
}

function withoutName<T extends { name: string }>(value: T): Omit<T, "name"> {
  const { name: _name, ...rest } = value;
  return rest;
}

function setComment(doc: Document, path: (string | number)[], comment: string | undefined): void {
  if (!comment) return;
  const node = doc.getIn(path, true) as { comment?: string | null } | undefined;
  if (node) node.comment = ` ${comment}`;
}
