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

const dockerBuildFlags = {
  platforms: { type: "string", valueName: "LIST", description: "comma-separated: linux/amd64,linux/arm64 (also amd64, arm64, x86_64, aarch64); default: this host's" },
  platform: { type: "string", valueName: "LIST", description: "same as --platforms" },
  "use-buildx": { type: "boolean", description: "require buildx even for one native platform (it is used anyway for several or foreign platforms)" },
  builder: { type: "string", valueName: "NAME", description: "buildx builder to use (default: the current one)" },
  push: { type: "boolean", description: "push the image and its tags, then verify every platform" },
  registry: { type: "string", valueName: "R", description: "where images go: HOST[:PORT][/NAMESPACE] (also $NOETL_REGISTRY; default from matrix.ts)" },
  tag: { type: "string", multiple: true, valueName: "T", description: "tag to publish instead of the computed ones" },
  load: { type: "boolean", description: "load the image into the local Docker image store (one platform)" },
  "oci-archive": { type: "string", valueName: "FILE", description: "write a multi-platform OCI archive instead" },
  plain: { type: "boolean", description: "plain progress output (for logs)" },
  "no-cache": { type: "boolean", description: "build without the build cache" },
  print: { type: "boolean", description: "print the resolved bake definition and stop" },
  "push-by-digest": { type: "boolean", description: "push untagged, write the digest to --digest-dir (what CI's platform jobs do)" },
  "digest-dir": { type: "string", valueName: "DIR", description: "where --push-by-digest writes the digest" },
  "merge-digests": { type: "string", valueName: "DIR", description: "publish one manifest list from the digests in DIR (CI's merge job)" },
  "build-arg": { type: "string", multiple: true, valueName: "NAME=VALUE", description: "build argument, e.g. base images from a mirror" },
} as const satisfies FlagSpecs;
export type DockerBuildFlags = typeof dockerBuildFlags;

const releaseFlags = {
  push: { type: "boolean", description: "push the release commit and tag (release), or the tag (release tag), to the remote" },
  remote: { type: "string", valueName: "NAME", description: "the remote --push pushes to (default origin)" },
  to: { type: "string", valueName: "X.Y.Z", description: "sync and init: the version to write (default: the highest the version files hold)" },
} as const satisfies FlagSpecs;
export type ReleaseFlags = typeof releaseFlags;

const deployFlags = {
  context: { type: "string", valueName: "NAME", description: "kubectl context (default: the current one)" },
  namespace: { type: "string", short: "n", valueName: "NS", description: "namespace (default: noetl)" },
  image: { type: "string", valueName: "REF", description: "image to deploy (default: the last one docker-build pushed)" },
  "allow-arch-mismatch": { type: "boolean", description: "deploy an image that lacks some nodes' architecture, pinning pods to the covered ones" },
  overlay: { type: "string", valueName: "DIR", description: "folder of your own YAML, applied after NoETL's objects" },
  replicas: { type: "string", valueName: "N", description: "replicas of the server and of the worker (default: 2)" },
  timeout: { type: "string", valueName: "SECONDS", description: "how long to wait for the rollouts (default: 300)" },
  delete: { type: "boolean", description: "remove what deploy-noetl applied" },
} as const satisfies FlagSpecs;
export type DeployFlags = typeof deployFlags;

export const tasks: Registry = [
  defineTask({
    name: "setup-local-dev",
    aliases: ["setup", "dev"],
    description: "Build the UI and the native noetl CLI and install them for local development",
    flags: setupLocalDevFlags,
    load: () => import("./scripts/tasks/setup-local-dev.ts"),
  }),
  defineTask({
    name: "docker-build",
    aliases: ["docker-build-noetl", "image"],
    description: "Build multi-architecture NoETL images with docker buildx bake",
    flags: dockerBuildFlags,
    load: () => import("./scripts/tasks/docker-build.ts"),
  }),
  defineTask({
    name: "deploy-noetl",
    aliases: ["deploy"],
    description: "Deploy NoETL to Kubernetes, checking that the image covers every node architecture",
    flags: deployFlags,
    load: () => import("./scripts/tasks/deploy-noetl.ts"),
  }),
  defineTask({
    name: "generate",
    aliases: ["gen"],
    description: "Write docker/docker-bake.json and .github/workflows/ from matrix.ts (--check: verify them)",
    flags: generateFlags,
    load: () => import("./scripts/tasks/generate.ts"),
  }),
  defineTask({
    name: "release",
    aliases: [],
    description: "Apply the pending changesets to every version file and CHANGELOG.md, commit and tag vX.Y.Z (status|sync|version|tag|init)",
    flags: releaseFlags,
    positionals: { usage: "[status|sync|version|tag|init]", allowed: ["status", "sync", "version", "tag", "init"] },
    load: () => import("./scripts/tasks/release.ts"),
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
