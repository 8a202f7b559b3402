// The finished requests the metrics and the service counters count, kept as columns: checked
// against the trace's own request ends (plain events, not the index), at several cursors.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Timeline, metricsAt, quantile, runScenario, type Cursor } from '../../src/player/index.ts';
import { finishedBefore } from '../../src/player/timeline.ts';
import type { Trace, TraceEvent } from '../../src/sim/index.ts';
import type { ShowTimes } from '../../src/player/showTime.ts';

type RequestEnd = Extract<TraceEvent, { type: 'request'; phase: 'end' }>;

/** Every request end of `trace` as the metrics count it, in show order (then seq), worked out from the events. */
function reference(
  trace: Trace,
  eventShow: ShowTimes,
): { service: string; ok: boolean; status: number; latencyMs: number; endMs: number; showMs: number; seq: number }[] {
  const events = [...trace.events];
  const target = new Map<string, string>();
  for (const e of events) if (e.type === 'request' && e.phase === 'start') target.set(e.requestId, e.to);
  return events
    .filter((e): e is RequestEnd => e.type === 'request' && e.phase === 'end')
    .sort((a, b) => eventShow[a.seq]! - eventShow[b.seq]! || a.seq - b.seq)
    .map((e) => ({
      service: target.get(e.requestId) ?? '?',
      ok: e.failure === undefined ? e.status >= 200 && e.status < 300 : !e.failure,
      status: e.status,
      latencyMs: e.latencyMs,
      endMs: e.t,
      showMs: eventShow[e.seq]!,
      seq: e.seq,
    }));
}

describe('the finished requests of a run (retries-flaky-pod under Istio: some fail, some end out of show order)', () => {
  const file = 'scenarios/retries-flaky-pod.yaml';
  const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'istio' });
  if (!run.ok) throw new Error(file);
  const trace = run.trace;
  const tl = new Timeline(trace);
  const want = reference(trace, tl.show.eventShow);
  const list = Array.from({ length: tl.finished.length }, (_, i) => tl.finished.at(i));
  const cursors: Cursor[] = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ showMs: f * tl.endShowMs, seq: Number.MAX_SAFE_INTEGER }));

  it('are the run’s request ends in show order, each with the service its start named and its outcome', () => {
    expect(want.some((r) => !r.ok) && want.some((r) => r.ok)).toBe(true);
    expect(want.some((r, i) => i > 0 && r.seq < want[i - 1]!.seq)).toBe(true);
    expect(list).toEqual(want);
  });

  it('count per service, at any cursor, the ok and failed requests finished by then', () => {
    for (const cursor of cursors) {
      const n = want.filter((r) => r.showMs <= cursor.showMs).length;
      expect(tl.finished.doneAt(cursor)).toBe(n);
      tl.finished.services.forEach((service, k) => {
        const at = tl.finished.finishedAt[k]!;
        expect(finishedBefore(at.ok, n)).toBe(want.slice(0, n).filter((r) => r.service === service && r.ok).length);
        expect(finishedBefore(at.failed, n)).toBe(want.slice(0, n).filter((r) => r.service === service && !r.ok).length);
      });
    }
  });

  it('give the metrics: totals, success rate, latency percentiles and the last second’s rate', () => {
    for (const cursor of cursors) {
      const timeMs = Math.min(trace.durationMs, cursor.showMs / 10);
      const done = want.filter((r) => r.showMs <= cursor.showMs);
      const services = [...new Set(done.map((r) => r.service))];
      const got = metricsAt(tl, cursor, timeMs).services;
      expect(got.map((m) => m.service)).toEqual(services);
      for (const m of got) {
        const mine = done.filter((r) => r.service === m.service);
        const latencies = mine.map((r) => r.latencyMs).sort((a, b) => a - b);
        expect(m).toMatchObject({
          total: mine.length,
          ok: mine.filter((r) => r.ok).length,
          failed: mine.filter((r) => !r.ok).length,
          p50Ms: quantile(latencies, 0.5),
          p99Ms: quantile(latencies, 0.99),
        });
        const recent = mine.filter((r) => r.endMs > timeMs - 1000).length;
        expect(m.requestsPerSecond).toBe(Math.round((recent * 1000 * 10) / Math.min(1000, Math.max(timeMs, 1))) / 10);
      }
    }
  });
});
