/**
 * The run report's `footprint`: the proxies a run's data plane has, per kind, with an estimate of
 * what they use from the figures their profile publishes (FIDELITY-MORE H10, J7, L6). Sidecar
 * cost grows with pods, ambient's with nodes (a ztunnel each) plus waypoints (FIDELITY-MORE H10:
 * `cost_sidecar ≈ pods × per-sidecar`, `cost_ambient ≈ nodes × per-ztunnel + waypoints ×
 * per-waypoint`, an inference there). The estimate takes every proxy at the load its figure was
 * measured under; it is not scaled to the run's own traffic.
 */
import type { ProxyKind } from '../sim/index.ts';
import type { World } from './world.ts';

/** The proxies of one kind in a run, and what they are estimated to use. */
export interface FootprintRow {
  kind: ProxyKind;
  /** What the profile calls this proxy (`ztunnel`, `Envoy sidecar`, `linkerd2-proxy`). */
  name: string;
  count: number;
  /** One proxy's published figure; null when no source gives one. */
  perProxy: { vCpu: number; memoryMb: number; load: string } | null;
  /** count × perProxy, rounded (vCPU to 0.001, MB to 0.1); null without a figure. */
  vCpu: number | null;
  memoryMb: number | null;
  source: string;
  /** What mesh-sim assumed to use the figure here, when it did. */
  assumption?: string;
}

export interface RunFootprint {
  /** How to read the figures. */
  basis: string;
  /** One row per kind of proxy the run has, in the order sidecar, node, waypoint, gateway. */
  proxies: FootprintRow[];
  /** Sums over the rows with a figure; `proxies` counts every proxy. */
  total: { proxies: number; vCpu: number; memoryMb: number };
  /** Kinds counted without a figure (their rows' vCpu and memoryMb are null). */
  unestimated: ProxyKind[];
}

const KINDS: readonly ProxyKind[] = ['sidecar', 'node', 'waypoint', 'gateway'];
const round = (v: number, step: number): number => Math.round(v / step) * step;
const cpu = (v: number): number => Number(round(v, 0.001).toFixed(3));
const mb = (v: number): number => Number(round(v, 0.1).toFixed(1));

export const FOOTPRINT_BASIS =
  'Each proxy at the load its published figure was measured under (not scaled to this run’s traffic); data-plane proxies only, no control plane.';

/** The footprint of `world`'s data plane under its profile's published figures. */
export function buildFootprint(world: World): RunFootprint {
  const counts = new Map<ProxyKind, number>();
  for (const p of world.proxies.values()) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
  const figures = world.profile.footprint ?? {};
  const proxies: FootprintRow[] = [];
  for (const kind of KINDS) {
    const count = counts.get(kind) ?? 0;
    if (count === 0) continue;
    const f = figures[kind];
    const fig = f?.figure;
    proxies.push({
      kind,
      name: f?.name ?? kind,
      count,
      perProxy: fig ? { vCpu: fig.vCpu, memoryMb: fig.memoryMb, load: fig.load } : null,
      vCpu: fig ? cpu(count * fig.vCpu) : null,
      memoryMb: fig ? mb(count * fig.memoryMb) : null,
      source: f?.source ?? `the ${world.profile.id} profile gives no figure for its ${kind} proxies`,
      ...(f?.assumption ? { assumption: f.assumption } : {}),
    });
  }
  return {
    basis: FOOTPRINT_BASIS,
    proxies,
    total: {
      proxies: proxies.reduce((n, r) => n + r.count, 0),
      vCpu: cpu(proxies.reduce((n, r) => n + (r.vCpu ?? 0), 0)),
      memoryMb: mb(proxies.reduce((n, r) => n + (r.memoryMb ?? 0), 0)),
    },
    unestimated: proxies.filter((r) => r.perProxy === null).map((r) => r.kind),
  };
}
