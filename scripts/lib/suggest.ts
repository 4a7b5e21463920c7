// "Did you mean" for task names, flags and platforms.

export function getEditDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);

  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The closest candidate, or undefined when nothing is reasonably close. */
export function findNearest(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;

  for (const name of candidates) {
    const distance = name.startsWith(needle) && needle.length >= 3 ? 1 : getEditDistance(needle, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }

  const limit = Math.max(2, Math.floor(needle.length / 3));
  return best && best.distance <= limit ? best.name : undefined;
}

export function formatDidYouMean(input: string, candidates: readonly string[]): string {
  const nearest = findNearest(input, candidates);
  return nearest ? `did you mean "${nearest}"?` : `valid: ${candidates.join(", ")}`;
}
