/**
 * Locality-aware endpoint selection as Envoy does it (FIDELITY D1), once a profile has ranked each
 * endpoint for the client (config.ts LocalityPolicy):
 *
 * - Priority levels: a level's health is min(100, overprovisioning × healthy / total) percent
 *   (factor 1.4, Envoy's default — Istio does not set it); level 0 takes its health as load, the
 *   next level what is left up to its own health, and so on; when the healths add up to less than
 *   100 the loads are scaled up to 100 (envoy source/common/upstream/load_balancer_impl.cc
 *   recalculatePerPriorityState). So traffic stays in the client's zone until fewer than 1/1.4
 *   (71 %) of that zone's endpoints are healthy, then spills over in proportion.
 * - Locality weights inside the chosen level (Istio `distribute`): a locality is drawn with its
 *   weight × min(1, overprovisioning × healthy / total) (Envoy locality weighted load balancing,
 *   arch_overview/upstream/load_balancing/locality_weight).
 *
 * Random draws happen only when more than one level or locality can take the request, so a run
 * without zones draws exactly as before.
 */
import type { Rng } from '../../sim/index.ts';
import type { LocalityPolicy, LocalityRank } from '../config.ts';
import type { Locality, Pod } from '../types.ts';

/** The endpoints the balancer picks among after locality, and what the trace says about it. */
export interface LocalityChoice {
  pods: Pod[];
  /** Why these: unset when locality changed nothing (one level, no weights). */
  summary?: string;
  /** The request left the client's own level (a failover to a lower priority). */
  failover: boolean;
}

/** Narrows `usable` (the healthy endpoints among `all`) to one priority level and locality. */
export function chooseLocality(
  policy: LocalityPolicy,
  from: Locality | undefined,
  fromLabels: Record<string, string>,
  all: readonly Pod[],
  usable: readonly Pod[],
  rng: Rng,
): LocalityChoice {
  const ranks = new Map<Pod, LocalityRank>();
  policy.ranks(from, fromLabels, all).forEach((r, i) => {
    if (r) ranks.set(all[i]!, r);
  });
  const kept = usable.filter((p) => ranks.has(p));
  const dropped = all.length - ranks.size;
  const levels = [...new Set([...ranks.values()].map((r) => r.priority))].sort((a, b) => a - b);
  const weighted = [...ranks.values()].some((r) => r.weight !== undefined);
  if (levels.length <= 1 && !weighted && dropped === 0) return { pods: [...usable], failover: false };
  const factor = policy.overprovisioning * 100;
  const health = levels.map((level) => {
    const total = all.filter((p) => ranks.get(p)?.priority === level).length;
    const healthy = kept.filter((p) => ranks.get(p)!.priority === level).length;
    return { level, total, healthy, health: Math.min(100, Math.floor((factor * healthy) / total)) };
  });
  const normalized = Math.min(
    100,
    health.reduce((s, h) => s + h.health, 0),
  );
  if (normalized === 0) return { pods: kept, failover: false, summary: `no healthy endpoint in any locality` };
  let left = 100;
  const loads = health.map((h) => {
    const load = Math.min(left, Math.floor((h.health * 100) / normalized));
    left -= load;
    return load;
  });
  // Rounding leftovers go to the first level with load (Envoy gives them to the first available level).
  if (left > 0) loads[loads.findIndex((l) => l > 0)]! += left;
  const withLoad = loads.filter((l) => l > 0).length;
  let index = loads.findIndex((l) => l > 0);
  if (withLoad > 1) {
    const u = rng.int(100);
    let acc = 0;
    index = loads.findIndex((l) => (acc += l) > u);
  }
  const level = health[index]!;
  let pods = kept.filter((p) => ranks.get(p)!.priority === level.level);
  const localities = [...new Set(pods.map((p) => ranks.get(p)!.locality))];
  let where = localities.join(', ');
  if (weighted && localities.length > 1) {
    const weights = localities.map((loc) => {
      const members = all.filter((p) => ranks.get(p)?.priority === level.level && ranks.get(p)!.locality === loc);
      const healthy = members.filter((p) => kept.includes(p)).length;
      return (ranks.get(members[0]!)!.weight ?? 0) * Math.min(1, (policy.overprovisioning * healthy) / members.length);
    });
    const sum = weights.reduce((s, w) => s + w, 0);
    if (sum > 0) {
      const u = rng.next() * sum;
      let acc = 0;
      const i = weights.findIndex((w) => (acc += w) > u);
      where = `${localities[i]!} (weight ${weights[i]!} of ${sum})`;
      pods = pods.filter((p) => ranks.get(p)!.locality === localities[i]);
    }
  }
  const names = (lvl: number) => [...new Set(all.filter((p) => ranks.get(p)?.priority === lvl).map((p) => ranks.get(p)!.locality))].join(', ');
  const local = health[0]!;
  const state = `${local.healthy} of ${local.total} healthy`;
  const excluded = dropped > 0 ? `; ${dropped} endpoint${dropped === 1 ? '' : 's'} in no listed locality` : '';
  let summary: string;
  if (levels.length <= 1) summary = `locality ${where}`;
  else if (index === 0)
    summary = `priority 0 (${names(local.level)}, closest to the client): ${state}, ${loads[0]}% of the load${loads[0]! < 100 ? ', the rest spills to the next priority' : ''}; this request stays — ${where}`;
  else
    summary = `failover: priority 0 (${names(local.level)}) has ${state}, health ${local.health}% (× ${policy.overprovisioning}); priority ${level.level} (${where}) takes ${loads[index]}% of the load`;
  return { pods, failover: index > 0, summary: summary + excluded };
}
