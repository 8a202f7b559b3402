/**
 * DestinationRule resilience settings compiled per cluster (a service, or one of its subsets):
 * the load balancer (FIDELITY D1), connection-pool limits (C1) and outlier detection (C2). A
 * subset's trafficPolicy overrides the service-level one setting by setting.
 */
import type { Cause } from '../../../sim/index.ts';
import type { LoadedScenario, DestinationRule } from '../../../scenario/index.ts';
import type { BalancerConfig, HealthPolicy, PoolLimitFields, PoolLimits } from '../../config.ts';

/** FIDELITY C1: DestinationRule connectionPool's names (tcp.maxConnections, http.http1MaxPendingRequests, http.http2MaxRequests). */
const ISTIO_POOL_FIELDS: PoolLimitFields = { maxConnections: 'maxConnections', maxPending: 'http1MaxPendingRequests', maxRequests: 'http2MaxRequests' };
import { defaultCause } from '../../cause.ts';
import { resourceCause, type SourcedResource } from '../resources.ts';
import type { IstioBehaviour } from './release.ts';
import { effectivePolicy } from './trafficPolicy.ts';
import { istioLocality } from './locality.ts';

/** DestinationRule `tcp.connectTimeout` default: 10 s (FIDELITY C1, istio/api destination_rule.proto). */
export const ISTIO_CONNECT_TIMEOUT_MS = 10_000;

/** Istio's "unlimited": 2^32 − 1 for the pool fields (FIDELITY C1). */
const UNLIMITED = Number.POSITIVE_INFINITY;
const DEFAULT_LB = defaultCause('Istio default load balancer LEAST_REQUEST', 'FIDELITY D1: default since 1.14 (istio/istio#37220)');

type TrafficPolicy = NonNullable<DestinationRule['spec']['trafficPolicy']>;

export interface IstioResilience {
  balancer(service: string, subset?: string): BalancerConfig;
  pool(service: string, subset?: string): PoolLimits | null;
  health(service: string, subset?: string): HealthPolicy | null;
}

export function compileIstioResilience(
  scenario: LoadedScenario,
  drs: Map<string, SourcedResource<DestinationRule>>,
  behaviour: IstioBehaviour,
): IstioResilience {
  /** The service's one port (services[].port): where its DestinationRule's portLevelSettings apply. */
  const portOf = (service: string): number | undefined => scenario.services.find((s) => s.name === service)?.port;
  /** The setting `key` for a cluster, with the path it came from (subset and port-level settings merged as istiod does; trafficPolicy.ts). */
  const setting = <K extends 'loadBalancer' | 'connectionPool' | 'outlierDetection' | 'retryBudget'>(
    service: string,
    subset: string | undefined,
    key: K,
  ): { value: NonNullable<TrafficPolicy[K]>; dr: SourcedResource<DestinationRule>; path: string } | undefined => {
    const dr = drs.get(service);
    if (!dr) return undefined;
    const s = effectivePolicy(dr.resource, subset, portOf(service))[key];
    return s ? { value: s.value as NonNullable<TrafficPolicy[K]>, dr, path: s.path } : undefined;
  };
  const cite = (s: { dr: SourcedResource<DestinationRule>; path: string }, source: string): Cause => resourceCause(scenario, s.dr, s.path, s.path, source);

  /**
   * FIDELITY B1 (Istio 1.27+): the cluster's Envoy retry budget. Unset `percent` takes the
   * release's default (0.2 % in 1.27, 20 % since; istio/istio cluster_traffic_policy.go
   * applyRetryBudget), unset or 0 `minRetryConcurrency` takes 3. The budget replaces maxRetries
   * (Envoy circuit_breaker.proto retry_budget).
   */
  const retryBudget = (b: { value: NonNullable<TrafficPolicy['retryBudget']>; dr: SourcedResource<DestinationRule>; path: string }) => {
    const percent = b.value.percent ?? behaviour.retryBudgetDefaultPercent ?? 20;
    const minConcurrency = b.value.minRetryConcurrency ? b.value.minRetryConcurrency : 3;
    const defaulted = b.value.percent === undefined ? ` (${behaviour.label} default ${percent}%)` : '';
    return {
      percent,
      minConcurrency,
      cause: resourceCause(
        scenario,
        b.dr,
        `${b.path}: retries in flight ≤ max(${percent}%${defaulted} of active + pending requests, ${minConcurrency})`,
        b.path,
        'FIDELITY B1: DestinationRule retryBudget → Envoy circuit breaker retry_budget',
      ),
    };
  };

  const balancerOf = (service: string, subset: string | undefined): BalancerConfig => {
    const s = setting(service, subset, 'loadBalancer');
    if (!s || (s.value.simple === undefined && s.value.consistentHash === undefined)) return { algorithm: 'least-request', cause: DEFAULT_LB };
    const lb = s.value;
    const cause = cite(s, 'FIDELITY D1: DestinationRule LoadBalancerSettings');
    if (lb.consistentHash) {
      const h = lb.consistentHash;
      // Envoy ring hash: minimum ring size defaults to 1024 (FIDELITY D1).
      const ringSize = h.ringHash?.minimumRingSize ?? h.minimumRingSize ?? 1024;
      const hash = {
        ringSize,
        ...(h.httpHeaderName ? { header: h.httpHeaderName.toLowerCase() } : {}),
        ...(h.useSourceIp ? { sourceIp: true } : {}),
        ...(h.httpQueryParameterName ? { query: h.httpQueryParameterName } : {}),
      };
      return { algorithm: 'consistent-hash', hash, cause };
    }
    switch (lb.simple) {
      case 'ROUND_ROBIN':
        return { algorithm: 'round-robin', cause };
      case 'RANDOM':
        return { algorithm: 'random', cause };
      // LEAST_CONN is the deprecated name of LEAST_REQUEST; UNSPECIFIED lets Istio pick its default.
      default:
        return { algorithm: 'least-request', cause };
    }
  };

  return {
    balancer: (service, subset) => {
      const b = balancerOf(service, subset);
      // FIDELITY D1, C2: locality load balancing (on by default; failover only with outlier detection) — istio/locality.ts.
      const s = setting(service, subset, 'loadBalancer');
      const od = setting(service, subset, 'outlierDetection');
      const own = s?.value.localityLbSetting;
      const cause = own
        ? cite({ dr: s.dr, path: `${s.path}.localityLbSetting` }, 'FIDELITY D1: DestinationRule localityLbSetting')
        : od
          ? cite(od, 'FIDELITY D1, C2: locality load balancing is on by default and fails over once outlier detection ejects the local endpoints')
          : DEFAULT_LB;
      const locality = istioLocality(own, od !== undefined, cause);
      return locality ? { ...b, locality } : b;
    },
    pool: (service, subset) => {
      const s = setting(service, subset, 'connectionPool');
      const b = setting(service, subset, 'retryBudget');
      if (!s && !b) return null;
      const { tcp, http } = s?.value ?? {};
      return {
        maxConnections: tcp?.maxConnections ?? UNLIMITED,
        maxPending: http?.http1MaxPendingRequests ?? UNLIMITED,
        maxRequests: http?.http2MaxRequests ?? UNLIMITED,
        maxRequestsPerConnection: http?.maxRequestsPerConnection ?? 0,
        maxRetries: http?.maxRetries ?? UNLIMITED,
        connectTimeoutMs: tcp?.connectTimeout ?? ISTIO_CONNECT_TIMEOUT_MS, // FIDELITY C1: default 10s
        ...(b ? { retryBudget: retryBudget(b) } : {}),
        fields: ISTIO_POOL_FIELDS,
        // Envoy circuit breakers count per cluster, shared by its hosts, in each client proxy
        // (FIDELITY C1; Envoy circuit_breaker.proto: only per_host_thresholds is per host, and Istio sets none).
        cause: s
          ? cite(s, 'FIDELITY C1: DestinationRule ConnectionPoolSettings (Envoy cluster circuit breakers, per client proxy)')
          : cite(b!, 'FIDELITY B1: DestinationRule retryBudget'),
      };
    },
    health: (service, subset) => {
      const s = setting(service, subset, 'outlierDetection');
      if (!s) return null; // FIDELITY C2: outlier detection is opt-in
      const od = s.value;
      return {
        kind: 'outlier-detection',
        consecutive5xx: od.consecutive5xxErrors ?? 5, // FIDELITY C2: default 5; 0 disables
        consecutiveGateway: od.consecutiveGatewayErrors ?? 0, // FIDELITY C2: disabled by default
        intervalMs: od.interval ?? 10_000, // FIDELITY C2: 10s
        baseEjectionMs: od.baseEjectionTime ?? 30_000, // FIDELITY C2: 30s
        maxEjectionMs: Math.max(300_000, od.baseEjectionTime ?? 30_000), // FIDELITY C2: Envoy max_ejection_time 300s
        maxEjectionPercent: od.maxEjectionPercent ?? 10, // FIDELITY C2: 10%, but at least one host
        minHealthPercent: od.minHealthPercent ?? 0, // FIDELITY C2: 0% — panic mode off
        cause: cite(s, 'FIDELITY C2: DestinationRule OutlierDetection'),
      };
    },
  };
}
