import { describe, expect, it } from 'vitest';
import { latencySummary } from '../../src/mesh/outcomes.ts';
import { run } from '../helpers/sim.ts';

describe('latency summary and golden metrics', () => {
  it('sorts latencies by value, not as text, and reads nearest-rank percentiles', () => {
    // As text 100 < 20 < 3; by value 3 < 20 < 100.
    const lat = [100, 3, 20, 9, 1000, 40, 7, 5, 60, 8];
    expect(latencySummary(lat)).toEqual({ p50: 9, p90: 100, p99: 1000, max: 1000 });
    expect(lat[0]).toBe(100); // the input is left as it was
    expect(latencySummary([])).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
  });

  it('groups requests per target service and per calling service → target edge, in the order first seen', () => {
    const r = run(
      {
        duration: '2s',
        services: [{ name: 'web' }, { name: 'api', replicas: 2, latency: '10ms' }, { name: 'db', latency: '3ms' }],
        traffic: [
          { from: 'web', to: 'api', rate: '20/s' },
          { from: 'api', to: 'db', rate: '10/s' },
          { from: 'web', to: 'db', rate: '5/s' },
        ],
      },
      'istio',
    );
    const requests = r.report.requests;
    const count = (from: string, to: string): number =>
      requests.filter((q) => q.to === to && (from === '*' || r.report.pods.find((p) => p.name === q.from)?.service === from)).length;
    const services = r.report.metrics.services;
    expect(services.map((s) => s.service).sort()).toEqual(['api', 'db']);
    expect(services.find((s) => s.service === 'api')!.requests).toBe(count('*', 'api'));
    expect(services.find((s) => s.service === 'db')!.requests).toBe(count('*', 'db'));
    const edges = r.report.metrics.edges.map((e) => [e.from, e.to, e.requests]);
    expect(edges.map(([from, to]) => `${from}→${to}`).sort()).toEqual(['api→db', 'web→api', 'web→db']);
    for (const [from, to, n] of edges) expect(n).toBe(count(from as string, to as string));
    // Edges are listed in the order their first request ended.
    const firstEnd = (from: string, to: string): number =>
      Math.min(...requests.filter((q) => q.to === to && r.report.pods.find((p) => p.name === q.from)?.service === from).map((q) => q.endMs));
    const order = edges.map(([from, to]) => firstEnd(from as string, to as string));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});
