// NoETL's task runner: `npx tsx Taskfile.ts --list`.
//
// Each task is registered here with its description, aliases and typed
// flags; its implementation under scripts/tasks/ is imported only when the
// task runs, so `--list` and `--help` load nothing but this file.

import { runMain, type Registry } from "./scripts/lib/main.ts";
import { defineTask, type FlagSpecs } from "./scripts/lib/taskdef.ts";

const setupLocalDevFlags = {
  "no-ui": { type: "boolean", description: "skip the UI and prepare a UI-less server (also NOETL_ENABLE_UI=false, or no ui-src/)" },
  "no-cli": { type: "boolean", description: "skip the Rust CLI" },
  force: { type: "boolean", short: "f", description: "rebuild even when nothing changed" },
  "lock-timeout": { type: "string", valueName: "SECONDS", description: "how long to wait for another run on the same workspace (default 600)" },
} as const satisfies FlagSpecs;
export type SetupLocalDevFlags = typeof setupLocalDevFlags;

const doctorFlags = {
  strict: { type: "boolean", description: "exit 1 when any task lacks a tool" },
} as const satisfies FlagSpecs;
export type DoctorFlags = typeof doctorFlags;

const generateFlags = {
  check: { type: "boolean", description: "compare with the committed files and exit 1 on any difference (prints a diff)" },
  "out-dir": { type: "string", valueName: "DIR", description: "repository that receives the files (default: this tool's repository)" },
} as const satisfies FlagSpecs;
export type GenerateFlags = typeof generateFlags;

export const tasks: Registry = [
  defineTask({
    name: "setup-local-dev",
    aliases: ["setup", "dev"],
    description: "Build the UI and the native noetl CLI and install them for local development",
    flags: setupLocalDevFlags,
    load: () => import("./scripts/tasks/setup-local-dev.ts"),
  }),
  defineTask({
    name: "generate",
    aliases: ["gen"],
    description: "Write docker/docker-bake.json and .github/workflows/ from matrix.ts (--check: verify them)",
    flags: generateFlags,
    load: () => import("./scripts/tasks/generate.ts"),
  }),
  defineTask({
    name: "doctor",
    aliases: [],
    description: "Show the detected host and toolchains, and what each task is missing",
    flags: doctorFlags,
    load: () => import("./scripts/tasks/doctor.ts"),
  }),
];

process.exitCode = await runMain(tasks, process.argv.slice(2));
