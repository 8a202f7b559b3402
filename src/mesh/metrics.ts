/**
 * Golden metrics (FIDELITY G2: success rate, latency, request volume) for the run report and the
 * browser's metrics panel: per service, and per edge between a calling service and its target,
 * with Linkerd-style *effective* figures (what the calling app saw, one per request) next to
 * *actual* ones (every attempt on the wire, retries included — `linkerd viz routes -o wide`).
 */
import { isOk, latencySummary, type LatencySummary } from './outcomes.ts';
import type { World } from './world.ts';

export interface ServiceMetrics {
  service: string;
  requests: number;
  successRate: number;
  rps: number;
  latencyMs: LatencySummary;
}

export interface EdgeMetrics {
  from: string;
  to: string;
  requests: number;
  attempts: number;
  successRate: number;
  actualSuccessRate: number;
  effectiveRps: number;
  actualRps: number;
  latencyMs: LatencySummary;
}

export interface RunMetrics {
  services: ServiceMetrics[];
  edges: EdgeMetrics[];
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export function buildMetrics(world: World, simulatedMs: number): RunMetrics {
  const seconds = Math.max(simulatedMs, 1) / 1000;
  const serviceOf = (pod: string): string => world.pods.get(pod)?.service.name ?? pod;
  const targetOf = (host: string): string => world.serviceByHost(host)?.name ?? host;
  const byService = new Map<string, { n: number; ok: number; lat: number[] }>();
  const byEdge = new Map<string, { from: string; to: string; n: number; ok: number; lat: number[] }>();
  const table = world.stats.requests;
  for (let i = 0; i < table.length; i++) {
    const to = targetOf(table.to(i));
    const from = serviceOf(table.from(i));
    const s = byService.get(to) ?? { n: 0, ok: 0, lat: [] };
    byService.set(to, s);
    const key = `${from}→${to}`;
    const e = byEdge.get(key) ?? { from, to, n: 0, ok: 0, lat: [] };
    byEdge.set(key, e);
    // A route with response classes (Linkerd ServiceProfile) decides success itself (FIDELITY G2: response_total classification).
    const classified = table.lastFailure(i);
    const ok = classified === undefined ? isOk(table.status(i)) : !classified;
    for (const x of [s, e]) {
      x.n++;
      if (ok) x.ok++;
      x.lat.push(table.endMs(i) - table.startMs(i));
    }
  }
  return {
    services: [...byService].map(([service, s]) => ({
      service,
      requests: s.n,
      successRate: round(s.ok / s.n),
      rps: round(s.n / seconds),
      latencyMs: latencySummary(s.lat),
    })),
    edges: [...byEdge.values()].map((e) => {
      const a = world.stats.edge(e.from, e.to);
      const attempts = Math.max(a.attempts, e.n);
      const attemptsOk = a.attempts >= e.n ? a.ok : e.ok;
      return {
        from: e.from,
        to: e.to,
        requests: e.n,
        attempts,
        successRate: round(e.ok / e.n),
        actualSuccessRate: round(attemptsOk / attempts),
        effectiveRps: round(e.n / seconds),
        actualRps: round(attempts / seconds),
        latencyMs: latencySummary(e.lat),
      };
    }),
  };
}
