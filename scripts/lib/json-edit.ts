// Sets one string value inside JSON text without reformatting the rest: the
// lock file written by npm keeps its layout, and a diff shows one line.

export type JsonPath = readonly string[];

/** The text with the string at `path` replaced; undefined when there is none. */
export function setJsonString(text: string, path: JsonPath, value: string): string | undefined {
  const span = findJsonString(text, path);
  return span && `${text.slice(0, span.start)}${JSON.stringify(value)}${text.slice(span.end)}`;
}

/** Where the string value at `path` sits in `text` (quotes included). */
export function findJsonString(text: string, path: JsonPath): { start: number; end: number } | undefined {
  let found: { start: number; end: number } | undefined;

  const skipSpace = (i: number) => {
    while (/\s/.test(text[i] ?? "")) i++;
    return i;
  };
  const endOfString = (i: number) => {
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
    return j + 1;
  };
  const value = (i: number, at: string[]): number => {
    i = skipSpace(i);
    if (text[i] === "{") return object(i, at);
    if (text[i] === "[") return array(i, at);
    if (text[i] === '"') {
      const end = endOfString(i);
      if (!found && at.length === path.length && at.every((key, k) => key === path[k])) found = { start: i, end };
      return end;
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    return i;
  };
  const object = (i: number, at: string[]): number => {
    for (i = skipSpace(i + 1); text[i] !== "}" && i < text.length; i = skipSpace(i + 1)) {
      const keyEnd = endOfString(i);
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      i = skipSpace(value(skipSpace(keyEnd) + 1, [...at, key]));
      if (text[i] !== ",") break;
    }
    return i + 1;
  };
  const array = (i: number, at: string[]): number => {
    for (i = skipSpace(i + 1); text[i] !== "]" && i < text.length; i = skipSpace(i + 1)) {
      i = skipSpace(value(i, [...at, "[]"]));
      if (text[i] !== ",") break;
    }
    return i + 1;
  };

  value(0, []);
  return found;
}
