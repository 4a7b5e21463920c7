// Registry login for pushes outside GitHub Actions: the token comes from the
// environment and reaches docker through stdin only, and is masked in every
// line this tool prints or logs.

import { usageError } from "../../lib/errors.ts";
import { registerSecret, type Exec } from "../../lib/exec.ts";

export function readRegistryCredentials(env: NodeJS.ProcessEnv): { user: string; token: string } | undefined {
  const token = env.NOETL_REGISTRY_TOKEN;
  if (!token) return undefined;
  registerSecret(token);
  const user = env.NOETL_REGISTRY_USER;
  if (!user) throw usageError("NOETL_REGISTRY_TOKEN is set without NOETL_REGISTRY_USER", "set NOETL_REGISTRY_USER to the account the token belongs to");
  return { user, token };
}

export async function loginToRegistry(exec: Exec, repository: string, credentials: { user: string; token: string }): Promise<void> {
  const host = repository.split("/")[0];
  await exec(["docker", "login", host, "--username", credentials.user, "--password-stdin"], {
    input: credentials.token,
    secrets: [credentials.token],
    hint: `check NOETL_REGISTRY_USER and NOETL_REGISTRY_TOKEN for ${host}`,
  });
}
