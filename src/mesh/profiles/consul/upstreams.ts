/**
 * What a Consul client proxy does toward one upstream cluster (FIDELITY-MORE I6–I8): the load
 * balancer from the upstream's service-resolver (Envoy's round robin when none is set), and the
 * circuit breakers and passive health checks from the *calling* service's service-defaults
 * upstreamConfig — the override for that upstream first, then the defaults — with Envoy's own
 * defaults for every value Consul leaves unset: 1024 connections, pending and requests, 3
 * concurrent retries, outlier detection always on.
 */
import type { Cause } from '../../../sim/index.ts';
import type { ConsulUpstreamConfig, LoadedScenario, ServiceDefaults } from '../../../scenario/index.ts';
import type { BalancerConfig, OutlierPolicy, PoolLimitFields, PoolLimits } from '../../config.ts';

/** FIDELITY-MORE I7: the upstream config's `limits` names (maxConnections, maxPendingRequests, maxConcurrentRequests). */
const CONSUL_POOL_FIELDS: PoolLimitFields = { maxConnections: 'maxConnections', maxPending: 'maxPendingRequests', maxRequests: 'maxConcurrentRequests' };
import type { ProxyView } from '../../proxy/Proxy.ts';
import { defaultCause } from '../../cause.ts';
import { resourceCause, type SourcedResource } from '../resources.ts';
import { HTTP_LIKE, type ConsulEntries } from './entries.ts';

/** FIDELITY C1: Envoy's circuit-breaker thresholds when none are set. */
const ENVOY_LIMIT = 1024;
const ENVOY_MAX_RETRIES = 3;
/** FIDELITY-MORE I6: ConnectTimeoutMs 5000 when unset. */
export const CONSUL_CONNECT_TIMEOUT_MS = 5000;

const ROUND_ROBIN = defaultCause(
  'Consul sets no load balancer: Envoy’s default ROUND_ROBIN',
  'FIDELITY-MORE I8 [inference]: service-resolver LoadBalancer default none; Envoy Cluster.lb_policy default',
);
const LIMITS_DEFAULT = 'FIDELITY-MORE I7: clusters.go makeThresholdsIfNeeded leaves unset limits to Envoy (1024/1024/1024, 3 retries)';
const OUTLIER_DEFAULT = 'FIDELITY-MORE I7: config.go ToOutlierDetection sends an empty OutlierDetection — Envoy defaults';

/** One setting of the caller's upstream config: the override for the upstream first, then the defaults. */
interface Found<T> {
  value: T;
  r: SourcedResource<ServiceDefaults>;
  path: string;
}

export interface ConsulUpstreams {
  balancer(service: string, subset?: string): BalancerConfig;
  pool(service: string, subset?: string, from?: ProxyView): PoolLimits | null;
  health(service: string, subset?: string, from?: ProxyView): OutlierPolicy | null;
}

export function compileUpstreams(scenario: LoadedScenario, entries: ConsulEntries): ConsulUpstreams {
  /** `get` of the caller's upstream config for `service`, as the proxy of `from` has it. */
  const setting = <T>(from: ProxyView | undefined, service: string, get: (u: ConsulUpstreamConfig) => T | undefined): Found<T> | undefined => {
    const caller = from?.workload?.service.name;
    if (caller === undefined) return undefined;
    for (const r of entries.serviceDefaults(caller)) {
      const uc = r.resource.spec.upstreamConfig;
      const i = uc?.overrides?.findIndex((o) => o.name === service) ?? -1;
      const o = i >= 0 ? uc!.overrides![i]! : undefined;
      const v = o ? get(o) : undefined;
      if (v !== undefined) return { value: v, r, path: `.spec.upstreamConfig.overrides[${i}]` };
    }
    for (const r of entries.serviceDefaults(caller)) {
      const d = r.resource.spec.upstreamConfig?.defaults;
      const v = d ? get(d) : undefined;
      if (v !== undefined) return { value: v, r, path: '.spec.upstreamConfig.defaults' };
    }
    return undefined;
  };
  const cite = (f: Found<unknown>, field: string, source: string): Cause => resourceCause(scenario, f.r, `${f.path}.${field}`, `${f.path}.${field}`, source);

  return {
    balancer: (service) => {
      const resolver = entries.resolver(service);
      const lb = resolver?.resource.spec.loadBalancer;
      if (!resolver || !lb?.policy) return { algorithm: 'round-robin', cause: ROUND_ROBIN };
      const cause = resourceCause(
        scenario,
        resolver,
        '.spec.loadBalancer.policy',
        '.spec.loadBalancer.policy',
        'FIDELITY-MORE I8: service-resolver LoadBalancer',
      );
      switch (lb.policy) {
        case 'round_robin':
          return { algorithm: 'round-robin', cause };
        case 'random':
          return { algorithm: 'random', cause };
        case 'least_request':
          return { algorithm: 'least-request', cause };
        default: {
          // ring_hash and maglev: consistent hashing on the first hash policy (Maglev's table is not
          // drawn as such; both keep a key on one endpoint while the set is stable).
          const h = lb.hashPolicies?.[0];
          const hash = {
            ringSize: lb.ringHashConfig?.minimumRingSize ?? 1024,
            ...(h?.field === 'header' ? { header: h.fieldValue!.toLowerCase() } : {}),
            ...(h?.field === 'query_parameter' ? { query: h.fieldValue! } : {}),
            ...(h?.sourceIP ? { sourceIp: true } : {}),
          };
          return { algorithm: 'consistent-hash', hash, cause };
        }
      }
    },

    pool: (service, _subset, from) => {
      const l4 = !HTTP_LIKE.includes(entries.protocolOf(service).value);
      const maxConnections = setting(from, service, (u) => u.limits?.maxConnections);
      const maxPending = setting(from, service, (u) => u.limits?.maxPendingRequests);
      const maxRequests = setting(from, service, (u) => u.limits?.maxConcurrentRequests);
      const connectMs = setting(from, service, (u) => u.connectTimeoutMs);
      const resolver = entries.resolver(service);
      const set = [maxConnections, maxPending, maxRequests].find((x) => x !== undefined);
      return {
        maxConnections: maxConnections?.value ?? ENVOY_LIMIT,
        // FIDELITY-MORE I7: MaxPendingRequests and MaxConcurrentRequests need an L7 protocol; a TCP
        // proxy is bounded by connections only.
        maxPending: l4 ? Number.POSITIVE_INFINITY : (maxPending?.value ?? ENVOY_LIMIT),
        maxRequests: l4 ? Number.POSITIVE_INFINITY : (maxRequests?.value ?? ENVOY_LIMIT),
        maxRequestsPerConnection: 0,
        fields: CONSUL_POOL_FIELDS,
        // FIDELITY-MORE I7: Consul has no max_retries field; Envoy's 3 concurrent retries always apply.
        maxRetries: ENVOY_MAX_RETRIES,
        // FIDELITY-MORE I6: the caller's connectTimeoutMs overrides the resolver's connectTimeout; 5 s otherwise.
        connectTimeoutMs: connectMs?.value ?? resolver?.resource.spec.connectTimeout ?? CONSUL_CONNECT_TIMEOUT_MS,
        cause: set
          ? cite(set, 'limits', 'FIDELITY-MORE I7: service-defaults UpstreamConfig Limits (Envoy defaults for the rest, 3 retries in flight)')
          : defaultCause(
              'Consul sets no circuit-breaker thresholds: Envoy’s 1024 connections, 1024 pending, 1024 requests, 3 retries in flight',
              LIMITS_DEFAULT,
            ),
      };
    },

    health: (service, _subset, from) => {
      const l4 = !HTTP_LIKE.includes(entries.protocolOf(service).value);
      const maxFailures = setting(from, service, (u) => u.passiveHealthCheck?.maxFailures);
      const interval = setting(from, service, (u) => u.passiveHealthCheck?.interval);
      const base = setting(from, service, (u) => u.passiveHealthCheck?.baseEjectionTime);
      const maxPercent = setting(from, service, (u) => u.passiveHealthCheck?.maxEjectionPercent);
      const enforcing = setting(from, service, (u) => u.passiveHealthCheck?.enforcingConsecutive5xx);
      const set = [maxFailures, interval, base, maxPercent, enforcing].find((x) => x !== undefined);
      const baseMs = base?.value ?? 30_000; // FIDELITY C2: Envoy base_ejection_time 30s
      return {
        kind: 'outlier-detection',
        // FIDELITY C2: consecutive_5xx 5; enforcing 0 detects without ejecting.
        consecutive5xx: enforcing?.value === 0 ? 0 : (maxFailures?.value ?? 5),
        consecutiveGateway: 0, // FIDELITY C2: enforcing_consecutive_gateway_failure defaults to 0
        intervalMs: interval?.value ?? 10_000, // FIDELITY C2: 10s
        baseEjectionMs: baseMs,
        maxEjectionMs: Math.max(300_000, baseMs), // FIDELITY C2: Envoy max_ejection_time 300s
        maxEjectionPercent: maxPercent?.value ?? 10, // FIDELITY C2: 10%, at least one host
        // Envoy's healthy_panic_threshold defaults to 50% (cluster.proto CommonLbConfig); Consul sets none [inference].
        minHealthPercent: 50,
        ...(l4 ? { localOriginOnly: true } : {}),
        cause: set
          ? cite(set, 'passiveHealthCheck', 'FIDELITY-MORE I7: service-defaults PassiveHealthCheck (Envoy defaults for the rest)')
          : defaultCause(
              `Consul default: outlier detection always on with Envoy’s defaults (5 consecutive 5xx, 10s interval, 30s ejection, 10%)${l4 ? '; through the TCP proxy only failed connections count' : ''}`,
              OUTLIER_DEFAULT,
            ),
      };
    },
  };
}
