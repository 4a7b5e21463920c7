// The build matrix: the one source of truth for platforms, images, registry,
// tag rules, CLI targets, CI runners, action pins and the NoETL workspace
// layout. Tasks, the bake/workflow emitters and the tests all read it; the
// literal types make a typo in a platform, runner or triple a compile error.
//
// After editing: `npx tsx Taskfile.ts generate` rewrites docker/docker-bake.json
// and .github/workflows/*.yml, and `generate --check` verifies them in CI.

import type { DockerArch, DockerPlatform, RustTriple } from "./scripts/lib/arch.ts";

export type Runner = "ubuntu-24.04" | "ubuntu-24.04-arm" | "macos-15" | "macos-15-intel" | "windows-2025";

export interface PlatformEntry {
  arch: DockerArch;
  runner: Runner;
  rustTriple: RustTriple;
}

export interface ImageEntry {
  dockerfile: string;
  /** Relative to the NoETL workspace root. */
  context: string;
  target: string;
  title: string;
  description: string;
  /** Build args; `null` keeps the Dockerfile's default. */
  args: Record<string, string | null>;
}

export interface CliTarget {
  rustTriple: RustTriple;
  runner: Runner;
}

export interface ActionPin {
  /** owner/repo[/path] */
  uses: string;
  /** Full commit SHA: tags can move, commits cannot. */
  sha: string;
  version: string;
}

export interface Matrix {
  layout: {
    pyproject: string;
    pythonPackage: string;
    uiSource: string;
    uiDist: string;
    uiInstall: string;
    uiAssets: string;
    cliCrate: string;
    cliBinary: string;
    cliInstallDirs: readonly string[];
    stateDir: string;
    /** The private package.json whose version `changeset version` bumps. */
    releasePackage: string;
  };
  platforms: Record<DockerPlatform, PlatformEntry>;
  images: Record<string, ImageEntry>;
  registry: { host: string; repository: string };
  tags: {
    defaultBranch: string;
    shaPrefix: string;
    shaLength: number;
    pullRequestPrefix: string;
  };
  labels: { source: string; url: string; licenses: string; vendor: string };
  cliTargets: readonly CliTarget[];
  ci: {
    nodeVersion: string;
    jobTimeoutMinutes: number;
    /** The NoETL workspace CI builds, relative to this repository. */
    workspaceRoot: string;
    /** Tags that start the images and release workflows. */
    releaseTagPattern: string;
  };
  actions: Record<"checkout" | "setupNode" | "setupBuildx" | "setupQemu" | "uploadArtifact" | "downloadArtifact" | "changesets", ActionPin>;
}

export const matrix = {
  layout: {
    pyproject: "pyproject.toml",
    pythonPackage: "noetl",
    uiSource: "ui-src",
    uiDist: "ui-src/dist",
    uiInstall: "noetl/core/ui",
    uiAssets: "noetl/core/ui/assets",
    cliCrate: "noetlctl",
    cliBinary: "noetl",
    cliInstallDirs: ["bin", "noetl/bin"],
    stateDir: ".noetl",
    releasePackage: "package.json",
  },
  platforms: {
    "linux/amd64": { arch: "amd64", runner: "ubuntu-24.04", rustTriple: "x86_64-unknown-linux-gnu" },
    "linux/arm64": { arch: "arm64", runner: "ubuntu-24.04-arm", rustTriple: "aarch64-unknown-linux-gnu" },
  },
  images: {
    noetl: {
      dockerfile: "docker/noetl/Dockerfile",
      context: ".",
      target: "runtime",
      title: "NoETL",
      description: "NoETL workflow automation server with its UI and the noetl CLI",
      args: { UI_BASE: null, RUST_BASE: null, PYTHON_BASE: null, RUNTIME_BASE: null },
    },
  },
  registry: { host: "ghcr.io", repository: "noetl/noetl" },
  tags: { defaultBranch: "main", shaPrefix: "sha-", shaLength: 7, pullRequestPrefix: "pr-" },
  labels: { source: "https://github.com/noetl/noetl", url: "https://noetl.io", licenses: "MIT", vendor: "NoETL" },
  cliTargets: [
    { rustTriple: "x86_64-unknown-linux-gnu", runner: "ubuntu-24.04" },
    { rustTriple: "aarch64-unknown-linux-gnu", runner: "ubuntu-24.04-arm" },
    { rustTriple: "aarch64-apple-darwin", runner: "macos-15" },
    { rustTriple: "x86_64-apple-darwin", runner: "macos-15-intel" },
    { rustTriple: "x86_64-pc-windows-msvc", runner: "windows-2025" },
  ],
  ci: { nodeVersion: "20", jobTimeoutMinutes: 60, workspaceRoot: "examples/noetl-mini", releaseTagPattern: "v[0-9]+.[0-9]+.[0-9]+*" },
  actions: {
    checkout: { uses: "actions/checkout", sha: "11bd71901bbe5b1630ceea73d27597364c9af683", version: "v4.2.2" },
    setupNode: { uses: "actions/setup-node", sha: "39370e3970a6d050c480ffad4ff0ed4d3fdee5af", version: "v4.1.0" },
    setupBuildx: { uses: "docker/setup-buildx-action", sha: "c47758b77c9736f4b2ef4073d4d51994fabfe349", version: "v3.7.1" },
    setupQemu: { uses: "docker/setup-qemu-action", sha: "49b3bc8e6bdd4a60e6116a5414239cba5943d3cf", version: "v3.2.0" },
    uploadArtifact: { uses: "actions/upload-artifact", sha: "b4b15b8c7c6ac21ea08fcf65892d2ee8f75cf882", version: "v4.4.3" },
    downloadArtifact: { uses: "actions/download-artifact", sha: "fa0a91b85d4f404e444e00e005971372dc801d16", version: "v4.1.8" },
    changesets: { uses: "changesets/action", sha: "c8bada60c408975afd1a20b3db81d6eee6789308", version: "v1.4.9" },
  },
} as const satisfies Matrix;

export type Layout = typeof matrix.layout;
export type MatrixPlatform = keyof typeof matrix.platforms;
