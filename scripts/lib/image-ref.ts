// Docker's reference grammar (distribution/reference), for validating tags,
// registries and image references before anything is built.

import { usageError } from "./errors.ts";

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN = "(?:localhost|(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?))*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
const REPOSITORY = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface ImageReference {
  repository: string;
  tag?: string;
  digest?: string;
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export function validateTag(tag: string): string {
  if (!isValidTag(tag)) {
    throw usageError(`--tag "${tag}" is not a valid Docker tag`, "use up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-' (e.g. --tag 2.4.1)");
  }
  return tag;
}

/** --registry: where images go, e.g. ghcr.io/noetl or 127.0.0.1:5000/e2e. */
export function validateRegistry(registry: string): string {
  if (/^[a-z]+:\/\//i.test(registry)) throw usageError(`--registry "${registry}" has a scheme`, `drop it: --registry ${registry.replace(/^[a-z]+:\/\//i, "")}`);
  const trimmed = registry.replace(/\/+$/, "");
  const tagged = trimmed.match(/^(.+\/[^/:]+):([\w.-]+)$/);
  if (tagged) throw usageError(`--registry "${registry}" ends with a tag`, `give the tag separately: --registry ${tagged[1].split("/").slice(0, -1).join("/")} --tag ${tagged[2]}`);
  const port = trimmed.split("/")[0].match(/:(\d+)$/)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw usageError(`--registry "${registry}" has port ${port}`, "use a port from 1 to 65535");
  const [host, ...path] = trimmed.split("/");
  const lowerPath = path.join("/");
  if (lowerPath !== lowerPath.toLowerCase()) throw usageError(`--registry "${registry}" has upper-case letters in its path`, `Docker repositories are lower case: --registry ${[host, lowerPath.toLowerCase()].filter(Boolean).join("/")}`);
  const looksLikeHost = host.includes(".") || host.includes(":") || host === "localhost";
  if (!REPOSITORY.test(`${trimmed}/x`) || !looksLikeHost) {
    throw usageError(`--registry "${registry}" is not a registry`, "write HOST[:PORT][/NAMESPACE], e.g. ghcr.io/noetl or 127.0.0.1:5000/e2e");
  }
  return trimmed;
}

export function parseImageReference(text: string): ImageReference {
  const [nameAndTag, digest] = text.split("@");
  const lastSlash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.lastIndexOf(":");
  const hasTag = colon > lastSlash;
  const repository = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(colon + 1) : undefined;

  const valid = REPOSITORY.test(repository) && (tag === undefined || isValidTag(tag)) && (digest === undefined || DIGEST.test(digest)) && (tag !== undefined || digest !== undefined);
  if (!valid) throw usageError(`"${text}" is not a valid image reference`, "write REGISTRY/REPOSITORY:TAG or REGISTRY/REPOSITORY@sha256:DIGEST, lower case, e.g. ghcr.io/noetl/noetl:2.4.1");
  return { repository, tag, digest };
}

export function formatReference(ref: ImageReference): string {
  return `${ref.repository}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}
