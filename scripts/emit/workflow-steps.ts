// Steps shared by the generated workflows.

import { matrix } from "../../matrix.ts";
import type { Step } from "./workflow-model.ts";

export function checkoutStep(): Step {
  // persist-credentials: false keeps the job token out of .git/config, where
  // any later step (or a compromised dependency) could read it.
  return { name: "Check out", uses: matrix.actions.checkout, with: { "persist-credentials": false } };
}

export function setupNodeSteps(): Step[] {
  return [
    { name: "Set up Node.js", uses: matrix.actions.setupNode, with: { "node-version": matrix.ci.nodeVersion, cache: "npm" } },
    { name: "Install the build tool", run: "npm ci" },
  ];
}

export function registryLoginStep(condition?: string): Step {
  return {
    name: `Log in to ${matrix.registry.host}`,
    ...(condition ? { if: condition } : {}),
    env: { REGISTRY: matrix.registry.host, REGISTRY_USER: "${{ github.actor }}", REGISTRY_TOKEN: "${{ secrets.GITHUB_TOKEN }}" },
    // The token goes through stdin: never on a command line, never in logs.
    run: 'printf \'%s\' "$REGISTRY_TOKEN" | docker login "$REGISTRY" --username "$REGISTRY_USER" --password-stdin',
  };
}

/** `npx tsx Taskfile.ts TASK ...`: CI runs exactly what a developer runs. */
export function taskCommand(task: string, ...args: string[]): string {
  return ["npx", "tsx", "Taskfile.ts", task, ...args].join(" ");
}
