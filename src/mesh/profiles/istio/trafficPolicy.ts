/**
 * The DestinationRule traffic policy in force for one cluster — a host's port, optionally one of
 * its subsets — as istiod merges it (istio/istio pilot/pkg/networking/util/util.go
 * MergeSubsetTrafficPolicy, pilot/pkg/model/destination_rule.go MergeTrafficPolicy):
 * 1. the rule's `trafficPolicy`, unless one of its `portLevelSettings` names the port: then that
 *    entry's connectionPool, outlierDetection, loadBalancer and tls replace the rule's wholesale
 *    (a field it omits takes its default, not the rule's; the rule's retryBudget is not kept);
 * 2. a subset's `trafficPolicy` then overrides field by field — or, when its own
 *    `portLevelSettings` name the port, replaces those four fields wholesale.
 * Each setting keeps the path it came from, so a decision can cite the field.
 */
import type { DestinationRule } from '../../../scenario/index.ts';

type TrafficPolicy = NonNullable<DestinationRule['spec']['trafficPolicy']>;
/** The settings a port-level entry can carry (istio/api destination_rule.proto PortTrafficPolicy). */
const PORT_FIELDS = ['connectionPool', 'outlierDetection', 'loadBalancer', 'tls'] as const;
export type PolicyField = (typeof PORT_FIELDS)[number] | 'retryBudget';

/** One setting in force and the path of the field it came from (`.spec.trafficPolicy.portLevelSettings[0].tls`). */
export interface PolicySetting<K extends PolicyField> {
  value: NonNullable<TrafficPolicy[K]>;
  path: string;
}
export type EffectivePolicy = { [K in PolicyField]?: PolicySetting<K> };

/** The policy of one level (the rule's, or a subset's) for `port`: its port-level entry if one names the port, else its own fields. */
function level(policy: TrafficPolicy | undefined, at: string, port: number | undefined): { settings: EffectivePolicy; portLevel: boolean } | undefined {
  if (!policy) return undefined;
  const settings: EffectivePolicy = {};
  const set = <K extends PolicyField>(k: K, value: TrafficPolicy[K] | undefined, path: string): void => {
    if (value !== undefined) (settings as Record<K, PolicySetting<K>>)[k] = { value: value as NonNullable<TrafficPolicy[K]>, path };
  };
  const i = port === undefined ? -1 : (policy.portLevelSettings ?? []).findIndex((p) => p.port.number === port);
  if (i >= 0) {
    const entry = policy.portLevelSettings![i]!;
    for (const k of PORT_FIELDS) set(k, entry[k], `${at}.portLevelSettings[${i}].${k}`);
    return { settings, portLevel: true };
  }
  for (const k of [...PORT_FIELDS, 'retryBudget'] as const) set(k, policy[k], `${at}.${k}`);
  return { settings, portLevel: false };
}

/** The settings in force for traffic to `port` of the rule's host, in `subset` if one is named. */
export function effectivePolicy(dr: DestinationRule, subset: string | undefined, port: number | undefined): EffectivePolicy {
  const base = level(dr.spec.trafficPolicy, '.spec.trafficPolicy', port)?.settings ?? {};
  const subsets = dr.spec.subsets ?? [];
  const i = subset === undefined ? -1 : subsets.findIndex((s) => s.name === subset);
  const own = i >= 0 ? level(subsets[i]!.trafficPolicy, `.spec.subsets[${i}].trafficPolicy`, port) : undefined;
  if (!own) return base;
  const merged: EffectivePolicy = { ...base };
  for (const k of PORT_FIELDS) {
    // A subset's port-level entry replaces all four; otherwise only the fields the subset sets.
    if (own.settings[k] !== undefined || own.portLevel) {
      if (own.settings[k] === undefined) delete merged[k];
      else (merged as Record<string, unknown>)[k] = own.settings[k];
    }
  }
  if (own.settings.retryBudget) merged.retryBudget = own.settings.retryBudget;
  return merged;
}
