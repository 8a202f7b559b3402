/**
 * Service metrics at a cursor, as a dashboard would show them: requests per second over the last
 * simulated second, success rate and latency percentiles so far, and a per-bucket history for a
 * small chart. Computed on demand (a few times a second), not every frame.
 */
import type { Cursor, Timeline } from './timeline.ts';

/** One service's metrics, counted at its callers (what the calling apps saw). */
export interface ServiceMetrics {
  service: string;
  total: number;
  ok: number;
  failed: number;
  /** Finished requests per second over the last simulated second. */
  requestsPerSecond: number;
  /** ok / total, or null before the first request finished. */
  successRate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Finished requests per bucket of {@link MetricsAt.bucketMs}, up to the cursor. */
  history: { ok: number; failed: number }[];
}

export interface MetricsAt {
  timeMs: number;
  bucketMs: number;
  buckets: number;
  services: ServiceMetrics[];
}

/** The `q`-quantile (0..1) of sorted values, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

/** Metrics of every service that received requests, at `cursor` (simulated time `timeMs`). */
export function metricsAt(tl: Timeline, cursor: Cursor, timeMs: number, buckets = 20): MetricsAt {
  const finished = tl.finished;
  const n = finished.doneAt(cursor);
  const bucketMs = Math.max(1, tl.trace.durationMs / buckets);
  const by = new Map<string, { latencies: number[]; ok: number; failed: number; recent: number; history: { ok: number; failed: number }[] }>();
  for (let i = 0; i < n; i++) {
    const service = finished.services[finished.serviceOf[i]!]!;
    let m = by.get(service);
    if (!m) by.set(service, (m = { latencies: [], ok: 0, failed: 0, recent: 0, history: Array.from({ length: buckets }, () => ({ ok: 0, failed: 0 })) }));
    m.latencies.push(finished.latencyAt(i));
    const ok = finished.ok[i] === 1;
    if (ok) m.ok++;
    else m.failed++;
    const endMs = finished.endAt(i);
    if (endMs > timeMs - 1000) m.recent++;
    const b = m.history[Math.min(buckets - 1, Math.floor(endMs / bucketMs))]!;
    if (ok) b.ok++;
    else b.failed++;
  }
  const window = Math.min(1000, Math.max(timeMs, 1));
  const services = [...by.entries()].map(([service, m]): ServiceMetrics => {
    const sorted = m.latencies.sort((a, b) => a - b);
    const total = m.ok + m.failed;
    return {
      service,
      total,
      ok: m.ok,
      failed: m.failed,
      requestsPerSecond: Math.round((m.recent * 1000 * 10) / window) / 10,
      successRate: total ? m.ok / total : null,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      history: m.history,
    };
  });
  return { timeMs, bucketMs, buckets, services };
}
