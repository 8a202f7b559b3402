/**
 * What counts as a good answer, and latency percentiles: shared by the run report, the golden
 * metrics and the retry layer (kept apart from report.ts so those do not import each other).
 */

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of sorted values (0 for none). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * p50, p90, p99 and max of `latencies` (whole milliseconds). Sorted as a Float64Array: its own sort
 * is numeric and native, where an array sorted with a comparator calls back into JS for every
 * comparison (the report's latencies are 60,000 for the benchmarks' load, ×2 in the metrics).
 */
export function latencySummary(latencies: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0 };
}

export const isOk = (status: number): boolean => status >= 200 && status < 300;
