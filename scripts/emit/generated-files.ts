// Every file `generate` owns, rendered in memory. The drift check compares
// exactly these strings with what is on disk.

import { renderBake, serializeBake } from "./bake.ts";
import { renderReleaseWorkflow } from "./release-workflow.ts";
import type { EmittedFile } from "./workflow-model.ts";
import { serializeWorkflow } from "./workflow-yaml.ts";
import { renderCiWorkflow, renderImagesWorkflow } from "./workflows.ts";

export const REGENERATE_COMMAND = "npx tsx Taskfile.ts generate";

export const BAKE_FILE = "docker/docker-bake.json";

const HEADER = `Generated from matrix.ts by \`${REGENERATE_COMMAND}\`. Do not edit by hand:\nchange matrix.ts and regenerate; \`generate --check\` fails in CI on any difference.`;

export function renderGeneratedFiles(): EmittedFile[] {
  return [
    { path: BAKE_FILE, content: serializeBake(renderBake(), HEADER.replace("\n", " ")) },
    { path: ".github/workflows/images.yml", content: serializeWorkflow(renderImagesWorkflow(), HEADER) },
    { path: ".github/workflows/ci.yml", content: serializeWorkflow(renderCiWorkflow(), HEADER) },
    { path: ".github/workflows/release.yml", content: serializeWorkflow(renderReleaseWorkflow(), HEADER) },
  ];
}
