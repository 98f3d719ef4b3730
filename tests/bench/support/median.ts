// The one median of the benchmarks: the middle of the finite values (the mean
// of the two middle ones for an even count), NaN when there are none.

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The median, or null when there is none (a JSON report's "not measured"). */
export function medianOrNull(values: number[]): number | null {
  const m = median(values);
  return Number.isNaN(m) ? null : m;
}
