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

/** One group's tally: requests, good ones, and their latencies. */
interface Tally {
  n: number;
  ok: number;
  lat: number[];
}

export function buildMetrics(world: World, simulatedMs: number): RunMetrics {
  const seconds = Math.max(simulatedMs, 1) / 1000;
  // A request's client pod and target host are a few names said again and again: each is looked up once.
  const services = new Map<string, string>();
  const serviceOf = (pod: string): string => {
    let s = services.get(pod);
    if (s === undefined) services.set(pod, (s = world.pods.get(pod)?.service.name ?? pod));
    return s;
  };
  const targets = new Map<string, string>();
  const targetOf = (host: string): string => {
    let t = targets.get(host);
    if (t === undefined) targets.set(host, (t = world.serviceByHost(host)?.name ?? host));
    return t;
  };
  const byService = new Map<string, Tally>();
  // Edges by caller, then target (no `from→to` key string per request), listed in the order first seen.
  const edgeMaps = new Map<string, Map<string, Tally & { from: string; to: string }>>();
  const edgeList: (Tally & { from: string; to: string })[] = [];
  const table = world.stats.requests;
  for (let i = 0; i < table.length; i++) {
    const to = targetOf(table.to(i));
    const from = serviceOf(table.from(i));
    let s = byService.get(to);
    if (!s) byService.set(to, (s = { n: 0, ok: 0, lat: [] }));
    let fromEdges = edgeMaps.get(from);
    if (!fromEdges) edgeMaps.set(from, (fromEdges = new Map()));
    let e = fromEdges.get(to);
    if (!e) {
      fromEdges.set(to, (e = { from, to, n: 0, ok: 0, lat: [] }));
      edgeList.push(e);
    }
    // A route with response classes (Linkerd ServiceProfile) decides success itself (FIDELITY G2: response_total classification).
    const classified = table.lastFailure(i);
    const ok = classified === undefined ? isOk(table.status(i)) : !classified;
    const latency = table.endMs(i) - table.startMs(i);
    s.n++;
    e.n++;
    if (ok) {
      s.ok++;
      e.ok++;
    }
    s.lat.push(latency);
    e.lat.push(latency);
  }
  return {
    services: [...byService].map(([service, s]) => ({
      service,
      requests: s.n,
      successRate: round(s.ok / s.n),
      rps: round(s.n / seconds),
      latencyMs: latencySummary(s.lat),
    })),
    edges: edgeList.map((e) => {
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
