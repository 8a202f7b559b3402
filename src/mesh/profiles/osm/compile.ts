/**
 * Compiles OSM v1.2.4 resources into the mesh-neutral proxy config (FIDELITY-MORE J2–J6): the
 * MeshConfig's traffic policy mode (permissive by the v1.2 chart, SMI deny-by-default otherwise),
 * SMI TrafficSplit weights, TrafficTarget + HTTPRouteGroup authorization, Retry policies behind
 * their feature flag, UpstreamTrafficSetting circuit breakers, egress passthrough and Egress
 * policies; and OSM's fixed choices: no route timeout, no outlier detection, round robin, mTLS
 * always between meshed pods.
 */
import type { Cause } from '../../../sim/index.ts';
import type { LoadedScenario, OsmResource, OsmRetry, OsmTrafficSplit, OsmUpstreamTrafficSetting } from '../../../scenario/index.ts';
import { podNames, serviceOfHost } from '../../../scenario/index.ts';
import type { AuthzRequest, AuthzVerdict, EgressVerdict, PoolLimitFields, PoolLimits, RetryPolicy, RouteRule, ServiceRoutes } from '../../config.ts';

/** FIDELITY-MORE J5: UpstreamTrafficSetting connectionSettings' names (tcp.maxConnections, http.maxPendingRequests, http.maxRequests). */
const OSM_POOL_FIELDS: PoolLimitFields = { maxConnections: 'maxConnections', maxPending: 'maxPendingRequests', maxRequests: 'maxRequests' };
import type { ClientTlsChoice, CompiledMesh, MeshRelease } from '../types.ts';
import type { ExternalHost, Workload } from '../../types.ts';
import type { ProxyView } from '../../proxy/Proxy.ts';
import { defaultCause } from '../../cause.ts';
import { authoredResources, nsOf, ofKind, resourceCause, type SourcedResource } from '../resources.ts';
import { retryConditions } from '../istio/routes.ts';
import { generateOsm } from './generate.ts';
import { identityOfOsm } from './identity.ts';
import { smiAuthorizer } from './smi.ts';

/** Envoy's connect_timeout default, which OSM leaves alone unless an UpstreamTrafficSetting sets one (FIDELITY-MORE J5). */
export const OSM_CONNECT_TIMEOUT_MS = 5000;
/** FIDELITY-MORE J5: OSM writes 4294967295 into every unset circuit-breaker threshold. */
const OSM_UNSET_THRESHOLD = 4_294_967_295;

const ROUND_ROBIN = defaultCause(
  'OSM programs ROUND_ROBIN on every upstream cluster',
  'FIDELITY-MORE J5: openservicemesh/osm pkg/envoy/cds/cluster.go (v1.2.4)',
);
const NO_TIMEOUT = 'FIDELITY-MORE J5: pkg/envoy/rds/route/route_config.go buildRoute sets timeout 0 ("Disable default 15s timeout")';

/** Compiles `scenario` for OSM (one release line, v1.2). */
export function compileOsm(scenario: LoadedScenario, _release: MeshRelease): CompiledMesh {
  const authored = authoredResources(scenario, 'osm');
  const generated = generateOsm(scenario);
  const all: SourcedResource<OsmResource>[] = [...authored, ...generated];
  const of = <K extends OsmResource['kind']>(kind: K) => ofKind(all, kind);
  const cite = (r: SourcedResource<{ kind: string; metadata: { name: string } }>, field: string, source: string): Cause =>
    resourceCause(scenario, r, field, field, source);

  // --- MeshConfig: each setting from the first MeshConfig that sets it (the file's before the generated one).
  const configs = of('MeshConfig');
  const setting = <T>(
    read: (c: (typeof configs)[number]['resource']['spec']) => T | undefined,
    field: string,
    fallback: T,
    fallbackCause: Cause,
    source: string,
  ): { value: T; cause: Cause } => {
    for (const c of configs) {
      const v = read(c.resource.spec);
      if (v !== undefined) return { value: v, cause: cite(c, `${field} ${String(v)}`, source) };
    }
    return { value: fallback, cause: fallbackCause };
  };
  const j3 = 'FIDELITY-MORE J3: MeshConfig enablePermissiveTrafficPolicyMode';
  // FIDELITY-MORE J3 [version-dependent]: the v1.2 chart default is true (false up to v1.1; the docs still say SMI mode).
  const permissive = setting(
    (s) => s.traffic?.enablePermissiveTrafficPolicyMode,
    '.spec.traffic.enablePermissiveTrafficPolicyMode',
    true,
    defaultCause(
      'OSM v1.2 Helm default: permissive traffic policy mode (osm.enablePermissiveTrafficPolicy: true; false up to v1.1, and the docs describe SMI mode)',
      `${j3}; charts/osm/values.yaml v1.2.0–v1.2.4`,
    ),
    j3,
  );
  // FIDELITY-MORE J6 [version-dependent]: egress passthrough on by the v1.2 chart.
  const egressOn = setting(
    (s) => s.traffic?.enableEgress,
    '.spec.traffic.enableEgress',
    true,
    defaultCause('OSM v1.2 Helm default: egress passthrough on (osm.enableEgress: true)', 'FIDELITY-MORE J6: charts/osm/values.yaml v1.2.4'),
    'FIDELITY-MORE J6: MeshConfig enableEgress',
  );
  const retryFlag = setting(
    (s) => s.featureFlags?.enableRetryPolicy,
    '.spec.featureFlags.enableRetryPolicy',
    false,
    defaultCause('OSM default: feature flag enableRetryPolicy off, so no Retry policy is applied', 'FIDELITY-MORE J5: charts/osm/values.yaml featureFlags'),
    'FIDELITY-MORE J5: featureFlags.enableRetryPolicy',
  );
  const egressPolicyFlag = setting(
    (s) => s.featureFlags?.enableEgressPolicy,
    '.spec.featureFlags.enableEgressPolicy',
    true,
    defaultCause('OSM default: feature flag enableEgressPolicy on', 'FIDELITY-MORE J6: charts/osm/values.yaml featureFlags'),
    'FIDELITY-MORE J6: featureFlags.enableEgressPolicy',
  );

  // --- Who a proxy acts for: its pod's service account (a sidecar is named after its pod).
  const accountOfPod = new Map<string, { name: string; namespace: string }>();
  for (const s of scenario.services)
    for (const pod of podNames(s.name, s.replicas, s.versions)) accountOfPod.set(pod, { name: s.serviceAccount ?? s.name, namespace: s.namespace });
  const accountOf = (from: ProxyView) => accountOfPod.get(from.name);
  const hostService = (host: string): string | undefined => serviceOfHost(host, scenario.services);
  const namespaceOf = (service: string): string => scenario.services.find((s) => s.name === service)?.namespace ?? 'default';

  // --- TrafficSplit by root service (FIDELITY-MORE J4).
  const splits = new Map<string, SourcedResource<OsmTrafficSplit>>();
  for (const r of of('TrafficSplit')) {
    const svc = hostService(r.resource.spec.service);
    if (svc && !splits.has(svc)) splits.set(svc, r);
  }

  // --- Retry policies: source service account → destination services (FIDELITY-MORE J5).
  const retries = of('Retry');
  const retryFor = (from: ProxyView, service: string): { policy: RetryPolicy | null; noRetry: Cause; perTryMs?: number } => {
    const account = accountOf(from);
    const r = account
      ? retries.find(
          (x) =>
            x.resource.spec.source.name === account.name &&
            (x.resource.spec.source.namespace ?? nsOf(x.resource)) === account.namespace &&
            x.resource.spec.destinations.some((d) => d.name === service && (d.namespace ?? nsOf(x.resource)) === namespaceOf(service)),
        )
      : undefined;
    if (!r)
      return {
        policy: null,
        noRetry: defaultCause(
          `OSM: no Retry policy from ${account?.name ?? from.name} to ${service}, so Envoy does not retry`,
          'FIDELITY-MORE J5: retries come only from the Retry CRD',
        ),
      };
    if (!retryFlag.value)
      return { policy: null, noRetry: { ...retryFlag.cause, config: `${retryFlag.cause.config}: Retry ${r.resource.metadata.name} is ignored` } };
    const perTryMs = r.resource.spec.retryPolicy.perTryTimeout;
    return { policy: retryPolicy(scenario, r), noRetry: retryFlag.cause, ...(perTryMs > 0 ? { perTryMs } : {}) };
  };

  const routeCache = new Map<string, ServiceRoutes | undefined>();
  const routesFor = (from: ProxyView, host: string): ServiceRoutes | undefined => {
    const service = hostService(host);
    if (!service) return undefined;
    const key = `${from.name}|${service}`;
    if (routeCache.has(key)) return routeCache.get(key);
    const split = splits.get(service);
    const backends = split ? split.resource.spec.backends.map((b) => ({ service: b.service, weight: b.weight })) : [{ service, weight: 100 }];
    const { policy, noRetry, perTryMs } = retryFor(from, service);
    const rule: RouteRule = {
      name: split ? `TrafficSplit ${split.resource.metadata.name}` : 'default',
      matches: [{}],
      backends,
      retry: policy,
      ...(policy ? {} : { noRetryCause: noRetry }),
      // FIDELITY-MORE J5: the route timeout is disabled; a Retry's perTryTimeout still bounds each try.
      timeouts: policy && perTryMs !== undefined ? { attemptMs: perTryMs, attemptCause: policy.cause } : {},
      cause: split
        ? cite(split, '.spec.backends', 'FIDELITY-MORE J4: SMI TrafficSplit v1alpha2 weights backend services')
        : defaultCause(`OSM route to ${service}: every path, no timeout`, NO_TIMEOUT),
    };
    const routes: ServiceRoutes = { service, rules: [rule] };
    routeCache.set(key, routes);
    return routes;
  };

  // --- UpstreamTrafficSetting by host (FIDELITY-MORE J5).
  const settings = new Map<string, SourcedResource<OsmUpstreamTrafficSetting>>();
  for (const r of of('UpstreamTrafficSetting')) {
    const svc = hostService(r.resource.spec.host);
    if (svc && !settings.has(svc)) settings.set(svc, r);
  }
  const pool = (service: string): PoolLimits | null => {
    const r = settings.get(service);
    if (!r) return null; // FIDELITY-MORE J5: thresholds 2^32−1, "effectively disabling circuit breaking"
    const { tcp, http } = r.resource.spec.connectionSettings ?? {};
    const limit = (v: number | undefined) => (v === undefined || v >= OSM_UNSET_THRESHOLD ? Number.POSITIVE_INFINITY : v);
    return {
      maxConnections: limit(tcp?.maxConnections),
      maxPending: limit(http?.maxPendingRequests),
      maxRequests: limit(http?.maxRequests),
      maxRequestsPerConnection: http?.maxRequestsPerConnection ?? 0,
      maxRetries: limit(http?.maxRetries),
      connectTimeoutMs: tcp?.connectTimeout ?? OSM_CONNECT_TIMEOUT_MS,
      fields: OSM_POOL_FIELDS,
      cause: cite(
        r,
        '.spec.connectionSettings',
        'FIDELITY-MORE J5: UpstreamTrafficSetting → Envoy cluster circuit breakers (pkg/envoy/cds/cluster.go applyUpstreamTrafficSetting), per calling sidecar',
      ),
    };
  };

  // --- Egress (FIDELITY-MORE J6).
  const egressPolicies = of('Egress');
  const egress = (from: ProxyView, host: ExternalHost): EgressVerdict => {
    const account = accountOf(from);
    const policy = egressPolicyFlag.value
      ? egressPolicies.find(
          (e) =>
            // FIDELITY-MORE J6: an Egress policy allows its hosts on its listed ports only (policy.openservicemesh.io Egress spec.ports).
            e.resource.spec.hosts.includes(host.host) &&
            e.resource.spec.ports.some((p) => p.number === host.port) &&
            e.resource.spec.sources.some((s) => account && s.name === account.name && (s.namespace ?? nsOf(e.resource)) === account.namespace),
        )
      : undefined;
    if (policy)
      return {
        allow: true,
        summary: `${host.host} is allowed for ${account!.name} by Egress ${policy.resource.metadata.name}`,
        cause: cite(policy, '.spec.hosts', 'FIDELITY-MORE J6: Egress policy'),
      };
    if (egressOn.value)
      return {
        allow: true,
        summary: `${host.host}: the outbound-egress-filter-chain passes it through to its original destination (enableEgress)`,
        cause: egressOn.cause,
      };
    // FIDELITY-MORE J6: with egress off, pods cannot reach outside hosts. [inference] No filter chain
    // matches, so the sidecar closes the connection rather than answering with an HTTP status.
    return {
      allow: false,
      summary: `${host.host}: egress is off and no Egress policy allows ${account?.name ?? from.name}: no filter chain, the connection is closed`,
      reason: 'connection closed: no egress filter chain (enableEgress false)',
      cause: egressOn.cause,
    };
  };

  const clientTlsCache = new Map<Workload, ClientTlsChoice>();
  const identities = (server: Workload): string[] => [...new Set(server.service.pods.map((p) => identityOfOsm(p.serviceAccount, p.namespace)))];
  const authorize: (w: Workload, req: AuthzRequest) => AuthzVerdict = permissive.value
    ? (w) => ({ allow: true, summary: `permissive traffic policy mode: every meshed service may call ${w.service.name}`, cause: permissive.cause })
    : smiAuthorizer(scenario, of('TrafficTarget'), of('HTTPRouteGroup'), of('TCPRoute'), permissive.cause);

  return {
    routesFor,
    egress,
    // FIDELITY-MORE J2 [inference]: meshed traffic is always mTLS; OSM has no plaintext-permissive mode.
    serverTls: () => ({ mode: 'strict', cause: defaultCause('OSM: meshed traffic is always mTLS', 'FIDELITY-MORE J2: no mTLS mode setting in MeshConfig') }),
    // The choice depends on the server pod only: worked out once per pod, not per request.
    clientTls: (_client, server) => {
      let hit = clientTlsCache.get(server);
      if (!hit)
        clientTlsCache.set(
          server,
          (hit = {
            mtls: server.meshed,
            expectedIdentities: identities(server),
            cause: defaultCause('OSM: mTLS to every meshed upstream, certificates from the controller over SDS', 'FIDELITY-MORE J2'),
          }),
        );
      return hit;
    },
    balancer: () => ({ algorithm: 'round-robin', cause: ROUND_ROBIN }),
    pool,
    health: () => null, // FIDELITY-MORE J5: no outlier detection in OSM
    authorize: (w, req) => authorize(w, req),
    inboundRetry: () => null,
    resources: { generated: generated.map((g) => g.resource), authored: scenario.osm },
  };
}

/** An OSM Retry as the Envoy route retry policy OSM writes (FIDELITY-MORE J5; route_config.go buildRetryPolicy). */
function retryPolicy(scenario: LoadedScenario, r: SourcedResource<OsmRetry>): RetryPolicy {
  const rp = r.resource.spec.retryPolicy;
  return {
    maxRetries: rp.numRetries,
    // Envoy retry_on semantics (the same Envoy as Istio's): FIDELITY B1.
    conditions: retryConditions(rp.retryOn, []),
    conditionsText: `retryOn ${rp.retryOn}`,
    // FIDELITY-MORE J5: exponential backoff from retryBackoffBaseInterval, at most 10 times it.
    backoff: { kind: 'jittered-exponential', baseMs: rp.retryBackoffBaseInterval, maxMs: rp.retryBackoffBaseInterval * 10 },
    // OSM sets no retry host predicate: a retry may go back to the same endpoint (buildRetryPolicy).
    avoidPreviousHosts: false,
    hostSelectionAttempts: 1,
    rechooseBackend: false,
    cause: resourceCause(scenario, r, '.spec.retryPolicy', '.spec.retryPolicy', 'FIDELITY-MORE J5: Retry policy (enableRetryPolicy on)'),
  };
}
