// Summaries of repeated timings. The median, not the mean: on a shared
// 2-core machine one slow outlier (another job's compile) says nothing
// about the tool; min–max shows how noisy the row was.

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("internal: no samples to summarize");
  const sorted = [...samples].sort((a, b) => a - b);

  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
  };
}

/** Linear interpolation between closest ranks (what R and numpy default to). */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function formatMs(ms: number): string {
  if (ms >= 100_000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(0)} ms`;
}

/** "1.23 s (1.20–1.31, n=5)": median, then min–max. */
export function formatSummary(summary: Summary): string {
  if (summary.n === 1) return `${formatMs(summary.median)} (n=1)`;
  return `${formatMs(summary.median)} (${formatMs(summary.min)}–${formatMs(summary.max)}, n=${
    summary.n
  })`;
}

export function formatRatio(ratio: number): string {
  return `×${ratio.toFixed(2)}`;
}

/** "×1.23": how many times `base` the median of `value` is. */
export function ratio(value: Summary, base: Summary): string {
  return formatRatio(value.median / base.median);
}
