/**
 * Istio locality load balancing (FIDELITY D1, C2): how istiod ranks a cluster's endpoints for one
 * client proxy, from istio/istio pilot/pkg/networking/core/loadbalancer/loadbalancer.go (read at
 * 1.31.0-alpha, 86c9f01; GetEffectiveLbSetting, ApplyLocalityLoadBalancer, applyLocalityWeights,
 * applyLocalityFailover, applyFailoverPriorities):
 *
 * - The mesh default is `localityLbSetting: { enabled: true }`; a DestinationRule's own setting
 *   replaces it, and `enabled: false` turns it off.
 * - `distribute` sets locality weights whether or not outlier detection is configured; endpoints
 *   in no listed locality get no traffic from the matching clients.
 * - Otherwise priorities (same region/zone/subzone 0, same zone 1, same region 2, other regions 3,
 *   and 4 for a region `failover` does not name) are set only when the cluster has outlier
 *   detection — "Failover should only be applied with outlier detection, or traffic will never
 *   failover" — so without an OutlierDetection the zones make no difference.
 * - `failoverPriority` ranks by labels in order (endpoints matching the client on every label
 *   first); with `failover` too, the region failover applies within each of those levels.
 *
 * Envoy then sends each request to a priority level by its health (proxy/locality.ts).
 */
import type { Cause } from '../../../sim/index.ts';
import type { LocalityPolicy, LocalityRank } from '../../config.ts';
import type { Locality, Workload } from '../../types.ts';

/** DestinationRule `loadBalancer.localityLbSetting`, as the schema reads it. */
export interface LocalityLbSetting {
  enabled?: boolean | undefined;
  distribute?: { from: string; to: Record<string, number> }[] | undefined;
  failover?: { from: string; to: string }[] | undefined;
  failoverPriority?: string[] | undefined;
}

const REGION = 'topology.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
/** Envoy's default overprovisioning factor (cluster.proto overprovisioning_factor 140; Istio leaves it). */
const OVERPROVISIONING = 1.4;

const keyOf = (l: Locality | undefined): string => (l ? `${l.region}/${l.zone}` : '(no zone)');

/** util.LocalityMatch: a rule locality `region/zone/subzone` with `*` (and a missing part) matching any. */
function localityMatch(l: Locality | undefined, rule: string): boolean {
  const [region = '', zone = '', subzone = ''] = rule.split('/');
  return (region === '*' || (l?.region ?? '') === region) && (zone === '*' || zone === '' || (l?.zone ?? '') === zone) && (subzone === '*' || subzone === '');
}

/** util.LbPriority: 0 same region, zone and subzone; 1 same region and zone; 2 same region; 3 other. */
function lbPriority(from: Locality | undefined, to: Locality | undefined): number {
  if ((from?.region ?? '') !== (to?.region ?? '')) return 3;
  return (from?.zone ?? '') === (to?.zone ?? '') ? 0 : 2;
}

/** The labels istiod sees on a workload: its own plus the topology labels it adds (AugmentLabels). */
function labelsOf(w: { labels: Record<string, string>; locality?: Locality | undefined; nodeName?: string }): Record<string, string> {
  return {
    ...w.labels,
    ...(w.locality?.region ? { [REGION]: w.locality.region } : {}),
    ...(w.locality?.zone ? { [ZONE]: w.locality.zone } : {}),
    ...(w.nodeName ? { 'kubernetes.io/hostname': w.nodeName } : {}),
  };
}

/** Priorities 0..N without gaps, in the same order. */
function compact(priorities: number[]): number[] {
  const levels = [...new Set(priorities)].sort((a, b) => a - b);
  return priorities.map((p) => levels.indexOf(p));
}

/**
 * The locality policy of one cluster, or undefined when locality changes nothing for it (turned
 * off, or neither `distribute` nor outlier detection).
 */
export function istioLocality(setting: LocalityLbSetting | undefined, outlierDetection: boolean, cause: Cause): LocalityPolicy | undefined {
  const s = setting ?? { enabled: true }; // FIDELITY D1: the mesh default enables locality load balancing
  if (s.enabled === false) return undefined;
  if (!s.distribute?.length && !outlierDetection) return undefined; // no failover without outlier detection
  return {
    overprovisioning: OVERPROVISIONING,
    cause,
    ranks: (from, fromLabels, endpoints) => {
      const at = (w: Workload): LocalityRank => ({ priority: 0, locality: keyOf(w.locality) });
      if (s.distribute?.length) {
        const rule = s.distribute.find((d) => localityMatch(from, d.from));
        if (!rule) return endpoints.map(at);
        // applyLocalityWeights: each listed locality key shares its weight among the localities it
        // matches, in proportion to their endpoints; an endpoint in no listed locality is dropped.
        const keyFor = endpoints.map((w) => Object.keys(rule.to).find((k) => localityMatch(w.locality, k)));
        return endpoints.map((w, i) => {
          const k = keyFor[i];
          if (k === undefined) return null;
          const here = endpoints.filter((x) => keyOf(x.locality) === keyOf(w.locality)).length;
          const total = keyFor.filter((x) => x === k).length;
          return { ...at(w), weight: Math.ceil((here * rule.to[k]!) / total) };
        });
      }
      let base = endpoints.map(() => 0);
      const fp = s.failoverPriority ?? [];
      if (fp.length > 0 && Object.keys(fromLabels).length > 0) {
        // applyFailoverPriorityPerLocality: the first label that differs sets the level (n − j).
        const client = { ...fromLabels, ...labelsOf({ labels: {}, locality: from }) };
        base = endpoints.map((w) => {
          const mine = labelsOf(w);
          for (const [j, entry] of fp.entries()) {
            const [name, fixed] = entry.split('=') as [string, string | undefined];
            if ((fixed ?? client[name] ?? '') !== (mine[name] ?? '')) return fp.length - j;
          }
          return 0;
        });
        if (!s.failover?.length) return compact(base).map((p, i) => ({ ...at(endpoints[i]!), priority: p }));
      }
      // applyLocalityFailover: zone and region levels, then a region failover does not name.
      const rule = s.failover?.find((f) => f.from === (from?.region ?? ''));
      const levels = endpoints.map((w, i) => {
        let p = lbPriority(from, w.locality);
        if (p === 3 && rule && (w.locality?.region ?? '') !== rule.to) p = 4;
        return base[i]! * 5 + p;
      });
      return compact(levels).map((p, i) => ({ ...at(endpoints[i]!), priority: p }));
    },
  };
}
