// This repository's root (where Taskfile.ts lives), for files the tool owns:
// the Dockerfile, the bake file, the workflows.

import { fileURLToPath } from "node:url";

export const TOOL_ROOT = fileURLToPath(new URL("../../", import.meta.url));
