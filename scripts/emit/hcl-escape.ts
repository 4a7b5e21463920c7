// Bake reads every JSON string as an HCL template: a literal "${" or "%{"
// must be written "$${" / "%%{", or bake tries to evaluate it.

export function escapeHcl(text: string): string {
  // Function replacements: in a replacement string "$$" would itself mean "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** Escapes every string in a JSON-shaped value, keys included. */
export function escapeHclDeep<T>(value: T): T {
  if (typeof value === "string") return escapeHcl(value) as T;
  if (Array.isArray(value)) return value.map((item) => escapeHclDeep(item)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [escapeHcl(key), escapeHclDeep(item)])) as T;
  }
  return value;
}
