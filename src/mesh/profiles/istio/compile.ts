/**
 * Compiles Istio resources into the mesh-neutral proxy config: PeerAuthentication precedence,
 * DestinationRule TLS and subsets, auto mTLS, VirtualService routes with their retries, timeouts
 * and fault injection, and Istio's defaults where nothing is configured. Each rule cites its
 * source (FIDELITY section, istio/api or istio/istio file).
 */
import type { Cause } from '../../../sim/index.ts';
import type { LoadedScenario, IstioResource, PeerAuthentication, DestinationRule, VirtualService, StringMatch } from '../../../scenario/index.ts';
import type { Backend, Matcher, RetryCondition, RetryPolicy, RouteRule, ServerTls, ServiceRoutes } from '../../config.ts';
import type { CompiledMesh } from '../types.ts';
import type { Pod } from '../../types.ts';
import { defaultCause } from '../../cause.ts';
import { resourceCause, selects, type SourcedResource } from '../resources.ts';
import { generateIstio, printableIstio } from './generate.ts';
import { podLabels } from '../resources.ts';
import { identityOfIstio } from './identity.ts';
import { compileIstioAuthz } from './authorization.ts';
import { compileIstioResilience } from './resilience.ts';

// FIDELITY B1 — istio/istio pilot/pkg/networking/core/route/retry/retry.go defaultPolicy().
export const ISTIO_DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';
const DEFAULT_RETRY_CAUSE = defaultCause(
  'Istio default retry policy: 2 retries on connect-failure, refused-stream, unavailable, cancelled, 503',
  'FIDELITY B1: istio/istio retry.go defaultPolicy()',
);

/**
 * Envoy retry_on → conditions (envoy router_filter.rst; retry_state_impl.cc wouldRetryFromReset):
 * `5xx` and `gateway-error` also retry resets and per-try timeouts; `reset` retries both; gRPC
 * policies have no effect on the HTTP/1 traffic simulated here.
 */
export function retryConditions(retryOn: string, statusCodes: number[]): RetryCondition[] {
  const out: RetryCondition[] = [];
  for (const token of retryOn.split(',').map((t) => t.trim())) {
    if (token === '5xx') out.push({ kind: 'status', from: 500, to: 599 }, { kind: 'connect-failure' }, { kind: 'reset' }, { kind: 'attempt-timeout' });
    else if (token === 'gateway-error') out.push({ kind: 'status', from: 502, to: 504 }, { kind: 'reset' }, { kind: 'attempt-timeout' });
    else if (token === 'reset') out.push({ kind: 'reset' }, { kind: 'attempt-timeout' });
    else if (token === 'connect-failure') out.push({ kind: 'connect-failure' });
    else if (token === 'retriable-4xx') out.push({ kind: 'status', from: 409, to: 409 });
    else if (token === 'retriable-status-codes') for (const c of statusCodes) out.push({ kind: 'status', from: c, to: c });
  }
  return out;
}

function retryPolicy(maxRetries: number, retryOn: string, codes: number[], cause: Cause): RetryPolicy {
  return {
    maxRetries,
    conditions: retryConditions(retryOn, codes),
    conditionsText: `retryOn ${retryOn}${codes.length ? ` (codes ${codes.join(',')})` : ''}`,
    // FIDELITY B1: Envoy fully jittered exponential backoff, base 25 ms, cap 10 × base = 250 ms.
    backoff: { kind: 'jittered-exponential', baseMs: 25, maxMs: 250 },
    // FIDELITY B1: retry.go sets RetryHostPredicate previous_hosts, HostSelectionRetryMaxAttempts 5.
    avoidPreviousHosts: true,
    hostSelectionAttempts: 5,
    // Envoy picks the weighted cluster once per request; retries stay on it.
    rechooseBackend: false,
    cause,
  };
}

/** The default policy: NumRetries 2, RetryOn as above, RetriableStatusCodes [503] (FIDELITY B1). */
export const istioDefaultRetry = (): RetryPolicy => retryPolicy(2, ISTIO_DEFAULT_RETRY_ON, [503], DEFAULT_RETRY_CAUSE);

function matcher(m: StringMatch | undefined): Matcher | undefined {
  if (!m) return undefined;
  if (m.exact !== undefined) return { kind: 'exact', value: m.exact };
  if (m.prefix !== undefined) return { kind: 'prefix', value: m.prefix };
  return { kind: 'regex', value: m.regex! };
}

export function compileIstio(scenario: LoadedScenario): CompiledMesh {
  const authored: SourcedResource<IstioResource>[] = scenario.istio.map((resource, i) => ({ resource, path: `istio[${i}]`, generated: false }));
  const generated = generateIstio(scenario);
  // Authored resources come first: "oldest wins" among duplicates (FIDELITY A1), and the file is older than the knobs.
  const all = [...authored, ...generated];
  const of = <K extends IstioResource['kind']>(kind: K) =>
    all.filter((r): r is SourcedResource<Extract<IstioResource, { kind: K }>> => r.resource.kind === kind);

  const operator = of('IstioOperator')[0];
  const meshConfig = operator?.resource.spec.meshConfig ?? {};
  // FIDELITY A3: default trust domain cluster.local; root namespace istio-system (A1).
  const trustDomain = meshConfig.trustDomain ?? 'cluster.local';
  const rootNamespace = meshConfig.rootNamespace ?? 'istio-system';
  // FIDELITY A2: auto mTLS on by default since Istio 1.5 (meshConfig.enableAutoMtls).
  const autoMtls = meshConfig.enableAutoMtls ?? true;
  const autoMtlsCause: Cause =
    meshConfig.enableAutoMtls === undefined
      ? defaultCause('Istio default: auto mTLS (meshConfig.enableAutoMtls: true)', 'FIDELITY A2: auto mTLS on by default since 1.5')
      : resourceCause(scenario, operator!, '.spec.meshConfig.enableAutoMtls', '.spec.meshConfig.enableAutoMtls', 'FIDELITY A2');

  const services = new Map(scenario.services.map((s) => [s.name, s]));
  const hostService = (host: string): string | undefined => {
    const name = host.split('.')[0]!;
    return services.has(name) ? name : undefined;
  };

  // --- PeerAuthentication: workload > namespace > mesh; oldest wins; UNSET inherits (FIDELITY A1).
  const peerAuths = of('PeerAuthentication');
  const paNamespace = (r: SourcedResource<PeerAuthentication>): string => r.resource.metadata.namespace ?? 'default';
  const meshPa = peerAuths.find((r) => paNamespace(r) === rootNamespace && !r.resource.spec.selector);
  const serverTlsCache = new Map<string, ServerTls>();
  const serverTls = (pod: Pod): ServerTls => {
    let hit = serverTlsCache.get(pod.name);
    if (hit) return hit;
    const labels = podLabels(pod.service.spec, pod.version);
    const workload = peerAuths.find(
      (r) => paNamespace(r) === pod.namespace && r.resource.spec.selector && selects(r.resource.spec.selector.matchLabels, labels),
    );
    const namespace = peerAuths.find((r) => paNamespace(r) === pod.namespace && !r.resource.spec.selector && paNamespace(r) !== rootNamespace);
    for (const [r, scope] of [
      [workload, 'workload'],
      [namespace, 'namespace'],
      [meshPa, 'mesh'],
    ] as const) {
      const mode = r?.resource.spec.mtls?.mode;
      if (r && mode && mode !== 'UNSET') {
        hit = {
          mode: mode === 'STRICT' ? 'strict' : mode === 'DISABLE' ? 'disable' : 'permissive',
          cause: resourceCause(
            scenario,
            r,
            `.spec.mtls.mode ${mode} (${scope}-wide)`,
            '.spec.mtls.mode',
            'FIDELITY A1: PeerAuthentication precedence workload > namespace > mesh',
          ),
        };
        break;
      }
    }
    hit ??= {
      mode: 'permissive',
      cause: defaultCause('Istio default: PERMISSIVE (no PeerAuthentication sets a mode)', 'FIDELITY A1: unset mesh-wide mode behaves as PERMISSIVE'),
    };
    serverTlsCache.set(pod.name, hit);
    return hit;
  };

  // --- DestinationRules by service.
  const drs = new Map<string, SourcedResource<DestinationRule>>();
  for (const r of of('DestinationRule')) {
    const svc = hostService(r.resource.spec.host);
    if (svc && !drs.has(svc)) drs.set(svc, r);
  }
  const resilience = compileIstioResilience(scenario, drs);
  const subsetVersion = (service: string, subset: string): string | undefined =>
    drs.get(service)?.resource.spec.subsets?.find((s) => s.name === subset)?.labels.version;

  // --- Secure naming: the identities allowed to serve a service are its pods' service accounts (FIDELITY A3).
  const serviceIdentities = new Map<string, string[]>();
  for (const s of scenario.services) serviceIdentities.set(s.name, [identityOfIstio(s.serviceAccount ?? s.name, s.namespace, trustDomain)]);

  // --- VirtualServices → routes.
  const vsByService = new Map<string, SourcedResource<VirtualService>>();
  for (const r of of('VirtualService'))
    for (const h of r.resource.spec.hosts) {
      const svc = hostService(h);
      if (svc && !vsByService.has(svc)) vsByService.set(svc, r);
    }
  const routesCache = new Map<string, ServiceRoutes>();
  const routes = (service: string): ServiceRoutes => {
    let hit = routesCache.get(service);
    if (hit) return hit;
    const vs = vsByService.get(service);
    if (!vs) {
      hit = {
        service,
        rules: [
          {
            name: 'default',
            matches: [],
            backends: [{ service, weight: 100 }],
            retry: istioDefaultRetry(),
            timeouts: {},
            cause: defaultCause(`Istio default route to ${service} (no VirtualService)`, 'FIDELITY B1, B2: default retries, no route timeout'),
          },
        ],
      };
    } else {
      hit = { service, rules: vs.resource.spec.http.map((h, i) => compileHttpRoute(scenario, vs, h, i, hostService, subsetVersion)) };
    }
    routesCache.set(service, hit);
    return hit;
  };

  return {
    routes,
    serverTls,
    clientTls: (_client, server) => {
      const dr = drs.get(server.service.name);
      const expected = dr?.resource.spec.trafficPolicy?.tls?.subjectAltNames ?? serviceIdentities.get(server.service.name) ?? [];
      const subset = server.version ? dr?.resource.spec.subsets?.find((s) => s.labels.version === server.version) : undefined;
      const tlsMode = subset?.trafficPolicy?.tls?.mode ?? dr?.resource.spec.trafficPolicy?.tls?.mode;
      if (dr && tlsMode) {
        const field = subset?.trafficPolicy?.tls ? `.spec.subsets.${subset.name}.trafficPolicy.tls.mode ${tlsMode}` : `.spec.trafficPolicy.tls.mode ${tlsMode}`;
        // FIDELITY A2: an explicit DestinationRule TLS mode overrides auto mTLS.
        return {
          mtls: tlsMode === 'ISTIO_MUTUAL',
          expectedIdentities: expected,
          cause: resourceCause(scenario, dr, field, '.spec.trafficPolicy.tls.mode', 'FIDELITY A2: DestinationRule ClientTLSSettings'),
        };
      }
      if (!autoMtls) return { mtls: false, expectedIdentities: expected, cause: autoMtlsCause };
      // Auto mTLS: mTLS to pods with a sidecar whose PeerAuthentication does not DISABLE it [inference from FIDELITY A2].
      const mtls = server.meshed && serverTls(server).mode !== 'disable';
      return { mtls, expectedIdentities: expected, cause: autoMtlsCause };
    },
    // Load balancer, pool limits and outlier detection come from DestinationRules (istio/resilience.ts).
    balancer: resilience.balancer,
    pool: resilience.pool,
    health: resilience.health,
    authorize: compileIstioAuthz(scenario, rootNamespace),
    // FIDELITY E1: outboundTrafficPolicy defaults to ALLOW_ANY (PassthroughCluster).
    egress: () => ({
      mode: 'ALLOW_ANY via PassthroughCluster',
      cause: defaultCause('Istio default outboundTrafficPolicy ALLOW_ANY', 'FIDELITY E1: egress-control task'),
    }),
    resources: { generated: generated.map((g) => printableIstio(g.resource)), authored: scenario.istio },
  };
}

function compileHttpRoute(
  scenario: LoadedScenario,
  vs: SourcedResource<VirtualService>,
  h: VirtualService['spec']['http'][number],
  i: number,
  hostService: (host: string) => string | undefined,
  subsetVersion: (service: string, subset: string) => string | undefined,
): RouteRule {
  const at = `.spec.http[${i}]`;
  const cite = (field: string, source: string): Cause => resourceCause(scenario, vs, `${at}${field}`, `${at}${field}`, source);
  const backends: Backend[] = h.route.map((d) => {
    const service = hostService(d.destination.host) ?? d.destination.host;
    const subset = d.destination.subset;
    const version = subset ? subsetVersion(service, subset) : undefined;
    return {
      service,
      ...(subset && version ? { subset: { name: subset, version } } : {}),
      // A lone destination takes all traffic; listed weights are used as written.
      weight: d.weight ?? (h.route.length === 1 ? 100 : Math.floor(100 / h.route.length)),
    };
  });
  let retry: RetryPolicy | null;
  let noRetryCause: Cause | undefined;
  if (h.fault) {
    // istio/api virtual_service.proto HTTPRoute.fault: timeouts or retries are not enabled with client-side faults.
    retry = null;
    noRetryCause = cite('.fault', 'FIDELITY B1: retries and timeouts are off when a route injects faults (VirtualService fault doc)');
  } else if (!h.retries) {
    retry = istioDefaultRetry();
  } else if (h.retries.attempts === 0) {
    retry = null; // FIDELITY B1: ConvertPolicy returns nil for attempts 0
    noRetryCause = cite('.retries.attempts', 'FIDELITY B1: attempts 0 disables retries (retry.go ConvertPolicy)');
  } else {
    // FIDELITY B1: user retries start from the defaults; retryOn replaces RetryOn; numeric entries become codes.
    const tokens = (h.retries.retryOn ?? ISTIO_DEFAULT_RETRY_ON).split(',').map((t) => t.trim());
    const codes = h.retries.retryOn ? tokens.filter((t) => /^\d{3}$/.test(t)).map(Number) : [503];
    const words = tokens.filter((t) => !/^\d{3}$/.test(t));
    if (codes.length && !words.includes('retriable-status-codes')) words.push('retriable-status-codes');
    retry = retryPolicy(h.retries.attempts, words.join(','), codes, cite('.retries', 'FIDELITY B1: VirtualService HTTPRetry'));
  }
  const timeouts: RouteRule['timeouts'] = {};
  if (!h.fault && h.timeout !== undefined && h.timeout > 0) {
    timeouts.requestMs = h.timeout;
    timeouts.requestCause = cite('.timeout', 'FIDELITY B2: route timeout, includes retries (Envoy router_filter.rst)');
  }
  if (!h.fault && h.retries?.perTryTimeout !== undefined && h.retries.attempts > 0) {
    timeouts.attemptMs = h.retries.perTryTimeout;
    timeouts.attemptCause = cite('.retries.perTryTimeout', 'FIDELITY B1: perTryTimeout (HTTPRetry)');
  }
  const fault = h.fault
    ? {
        ...(h.fault.delay ? { delay: { ms: h.fault.delay.fixedDelay, fraction: (h.fault.delay.percentage?.value ?? 100) / 100 } } : {}),
        ...(h.fault.abort ? { abort: { status: h.fault.abort.httpStatus, fraction: (h.fault.abort.percentage?.value ?? 100) / 100 } } : {}),
        cause: cite('.fault', 'VirtualService HTTPFaultInjection (istio/api virtual_service.proto)'),
      }
    : undefined;
  const matches = (h.match ?? []).map((m) => ({
    ...(m.uri ? { path: matcher(m.uri)! } : {}),
    ...(m.method ? { method: matcher(m.method)! } : {}),
    ...(m.headers ? { headers: Object.entries(m.headers).map(([name, sm]) => ({ name, match: matcher(sm)! })) } : {}),
  }));
  return {
    name: h.name ?? `http[${i}]`,
    matches,
    backends,
    retry,
    ...(noRetryCause ? { noRetryCause } : {}),
    timeouts,
    ...(fault ? { fault } : {}),
    cause: cite('', 'FIDELITY B1: VirtualService HTTPRoute'),
  };
}
