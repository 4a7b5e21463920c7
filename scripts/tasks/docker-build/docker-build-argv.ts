// Without buildx, a single native platform is still built, with plain
// `docker build` (BuildKit inside the daemon), as the seed's script did.

import type { BakeInputs } from "./bake-args.ts";

export function buildDockerBuildArgv(input: BakeInputs, target: string): string[] {
  const { options } = input;
  const tags = options.explicitTags.length > 0 ? options.explicitTags : input.tags.tags;
  const argv = ["docker", "build", "--file", input.dockerfile, "--target", target, "--platform", options.platforms[0]];
  if (options.noCache) argv.push("--no-cache");
  if (options.plain) argv.push("--progress", "plain");
  for (const tag of tags) argv.push("--tag", `${options.repository}:${tag}`);
  const args = { VERSION: input.tags.version, CREATED: input.created, ...(input.revision ? { REVISION: input.revision } : {}), ...options.buildArgs };
  for (const [key, value] of Object.entries(args)) argv.push("--build-arg", `${key}=${value}`);
  argv.push(input.context);
  return argv;
}
