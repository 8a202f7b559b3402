/**
 * Istio routing: VirtualService HTTP routes (matches, weighted destinations to DestinationRule
 * subsets, retries, timeouts, fault injection — FIDELITY B1, B2) compiled for the sidecars
 * (`mesh`) or for a gateway, plus Istio's default route where no VirtualService applies.
 */
import type { Cause } from '../../../sim/index.ts';
import type { LoadedScenario, VirtualService, StringMatch } from '../../../scenario/index.ts';
import type { Backend, Matcher, RetryCondition, RetryPolicy, RouteMirror, RouteRule, ServiceRoutes } from '../../config.ts';
import { defaultCause } from '../../cause.ts';
import { nsOf, resourceCause, type SourcedResource } from '../resources.ts';
import type { IstioBehaviour } from './release.ts';

// FIDELITY B1 — istio/istio pilot/pkg/networking/core/route/retry/retry.go defaultPolicy(): the
// status codes it lists (RetriableStatusCodes) depend on the release (IstioBehaviour.retry503).
export const ISTIO_DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

/** The default policy's cause: which release decided, and whether 503 is in it (FIDELITY B1). */
function defaultRetryCause(b: IstioBehaviour): Cause {
  const what = b.retry503
    ? `${b.label} default retry policy: 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503`
    : `${b.label} default retry policy: 2 retries on connect-failure, refused-stream, unavailable, cancelled — not on 503 (since 1.24)`;
  const source = b.retry503
    ? 'FIDELITY B1: istio/istio retry.go defaultPolicy() — RetriableStatusCodes [503] before 1.24 (or compatibilityVersion 1.23)'
    : 'FIDELITY B1: istio/istio retry.go defaultPolicy() — no RetriableStatusCodes since 1.24 (EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY)';
  return b.cause.isDefault ? defaultCause(what, source) : { ...b.cause, config: `${what} (${b.cause.config})`, source };
}

/**
 * Envoy retry_on → conditions (envoy router_filter.rst; source/common/router/retry_state_impl.cc
 * RetryStateImpl::wouldRetryFromReset): under `reset`, `5xx` or `gateway-error` every stream reset
 * is retried except overflow, and a failed connection is a reset (reasons LocalConnectionFailure,
 * RemoteConnectionFailure, ConnectionTimeout), so all three retry connect failures, resets and
 * per-try timeouts (a per-try timeout resets the upstream stream); gRPC policies have no effect on
 * the HTTP/1 traffic simulated here.
 */
export function retryConditions(retryOn: string, statusCodes: number[]): RetryCondition[] {
  const out: RetryCondition[] = [];
  // retry_state_impl.cc wouldRetryFromReset: any reset but overflow, connection failures included.
  const resets: RetryCondition[] = [{ kind: 'connect-failure' }, { kind: 'reset' }, { kind: 'attempt-timeout' }];
  for (const token of retryOn.split(',').map((t) => t.trim())) {
    if (token === '5xx') out.push({ kind: 'status', from: 500, to: 599 }, ...resets);
    else if (token === 'gateway-error') out.push({ kind: 'status', from: 502, to: 504 }, ...resets);
    else if (token === 'reset') out.push(...resets);
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
    conditionsText: `retryOn ${retryOn}${codes.length ? ` (codes ${codes.join(',')})` : retryOn.includes('retriable-status-codes') ? ' (no status codes)' : ''}`,
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

/** The status codes a retry policy without retryOn retries: [503] before 1.24, none since (FIDELITY B1). */
const defaultCodes = (b: IstioBehaviour): number[] => (b.retry503 ? [503] : []);

/** The default policy: NumRetries 2, RetryOn as above, RetriableStatusCodes by release (FIDELITY B1). */
export const istioDefaultRetry = (b: IstioBehaviour): RetryPolicy => retryPolicy(2, ISTIO_DEFAULT_RETRY_ON, defaultCodes(b), defaultRetryCause(b));

function matcher(m: StringMatch | undefined): Matcher | undefined {
  if (!m) return undefined;
  if (m.exact !== undefined) return { kind: 'exact', value: m.exact };
  if (m.prefix !== undefined) return { kind: 'prefix', value: m.prefix };
  return { kind: 'regex', value: m.regex! };
}

/** `reviews`, `reviews.default.svc.cluster.local` → the service; anything else is an outside host. */
/** The service key a host names; `namespace` is the resource's, where a short name several namespaces declare resolves. */
export type HostResolver = (host: string, namespace?: string) => string | undefined;

/**
 * The route tables of a scenario's VirtualServices. A VirtualService applies to the sidecars when
 * it names no gateway or names `mesh`, and to a gateway when it names that Gateway; a rule whose
 * match lists gateways applies only to those.
 */
export class IstioRoutes {
  /** Tables made so far, by context, then host: no key string built per request. */
  private readonly cache = new Map<string, Map<string, ServiceRoutes | undefined>>();

  constructor(
    private readonly scenario: LoadedScenario,
    private readonly virtualServices: SourcedResource<VirtualService>[],
    private readonly hostService: HostResolver,
    private readonly subsetVersion: (service: string, subset: string) => string | undefined,
    private readonly behaviour: IstioBehaviour,
    /** The ports the Gateway named `context` serves `host` on (its listeners). */
    private readonly listenerPorts: (context: string, host: string) => number[] = () => [],
  ) {}

  /** Routes for `host` from the sidecars (`context` 'mesh') or from the gateway named `context`. */
  routesFor(host: string, context: string): ServiceRoutes | undefined {
    let byHost = this.cache.get(context);
    if (!byHost) this.cache.set(context, (byHost = new Map()));
    if (byHost.has(host)) return byHost.get(host);
    const table = this.build(host, context);
    byHost.set(host, table);
    return table;
  }

  /**
   * The table {@link routesFor} keeps for `host` in `context`. A method of its own: its closures
   * capture `host` and `context`, so V8 gives each call a context object on entry — once per
   * table here, not once per request in the cached lookup.
   */
  private build(host: string, context: string): ServiceRoutes | undefined {
    const service = this.hostService(host);
    const applies = (vs: VirtualService): boolean => (vs.spec.gateways ?? ['mesh']).includes(context);
    const names = (h: string, ns: string): boolean => h === host || h === '*' || (service !== undefined && this.hostService(h, ns) === service);
    const vs = this.virtualServices.find((r) => applies(r.resource) && r.resource.spec.hosts.some((h) => names(h, nsOf(r.resource))));
    let table: ServiceRoutes | undefined;
    if (vs) {
      const rules: RouteRule[] = [];
      vs.resource.spec.http.forEach((h, i) => {
        // Keep the match entries that apply to this context; a rule left with none does not apply.
        // At a gateway a match's port is the listener's the request arrived on (FIDELITY E1: Egress
        // Gateways task, `gateways: [istio-egressgateway], port: 80`): one listener per host, so
        // the match holds or not whatever the request's port; the sidecars match the addressed port.
        const listeners = context === 'mesh' ? [] : this.listenerPorts(context, host);
        const ms = (h.match ?? [])
          .filter((m) => !m.gateways || m.gateways.includes(context))
          .filter((m) => context === 'mesh' || m.port === undefined || listeners.includes(m.port))
          .map((m) => (context === 'mesh' || m.port === undefined ? m : { ...m, port: undefined }));
        if (h.match?.length && ms.length === 0) return;
        const inNamespace = (host: string): string | undefined => this.hostService(host, nsOf(vs.resource));
        rules.push(compileHttpRoute(this.scenario, vs, { ...h, ...(h.match ? { match: ms } : {}) }, i, inNamespace, this.subsetVersion, this.behaviour));
      });
      table = { service: service ?? host, rules };
    } else if (service && context === 'mesh') {
      table = {
        service,
        rules: [
          {
            name: 'default',
            matches: [],
            backends: [{ service, weight: 100 }],
            retry: istioDefaultRetry(this.behaviour),
            timeouts: {},
            cause: defaultCause(
              `${this.behaviour.label} default route to ${service} (no VirtualService)`,
              'FIDELITY B1, B2: default retries, no route timeout',
            ),
          },
        ],
      };
    }
    return table;
  }
}

export function compileHttpRoute(
  scenario: LoadedScenario,
  vs: SourcedResource<VirtualService>,
  h: VirtualService['spec']['http'][number],
  i: number,
  hostService: (host: string) => string | undefined,
  subsetVersion: (service: string, subset: string) => string | undefined,
  behaviour: IstioBehaviour,
): RouteRule {
  const at = `.spec.http[${i}]`;
  const cite = (field: string, source: string): Cause => resourceCause(scenario, vs, `${at}${field}`, `${at}${field}`, source);
  const backends: Backend[] = h.route.map((d) => {
    const inCluster = hostService(d.destination.host);
    const service = inCluster ?? d.destination.host;
    const subset = d.destination.subset;
    const version = subset ? subsetVersion(service, subset) : undefined;
    return {
      service,
      ...(inCluster ? {} : { external: true }),
      // An outside host's port (an in-cluster service has one port: its own).
      ...(inCluster || !d.destination.port ? {} : { port: d.destination.port.number }),
      // A subset without labels keeps its name (its own trafficPolicy) over every endpoint (istio/api Subset.labels).
      ...(subset ? { subset: version === undefined ? { name: subset } : { name: subset, version } } : {}),
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
    retry = istioDefaultRetry(behaviour);
  } else if (h.retries.attempts === 0) {
    retry = null; // FIDELITY B1: ConvertPolicy returns nil for attempts 0
    noRetryCause = cite('.retries.attempts', 'FIDELITY B1: attempts 0 disables retries (retry.go ConvertPolicy)');
  } else {
    // FIDELITY B1: user retries start from the defaults (503 included only before 1.24); retryOn
    // replaces RetryOn; numeric entries become codes.
    const tokens = (h.retries.retryOn ?? ISTIO_DEFAULT_RETRY_ON).split(',').map((t) => t.trim());
    const codes = h.retries.retryOn ? tokens.filter((t) => /^\d{3}$/.test(t)).map(Number) : defaultCodes(behaviour);
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
  // FIDELITY B5: mirror (with mirrorPercentage) and mirrors, each 100 % unless a percentage says
  // otherwise, and none at 0 % (istio/istio route.go MirrorPercent, MirrorPercentByPolicy).
  const mirrorTo = (d: NonNullable<typeof h.mirror>, percent: number | undefined, field: string): RouteMirror | undefined => {
    if (percent !== undefined && percent <= 0) return undefined;
    const inCluster = hostService(d.host);
    const service = inCluster ?? d.host;
    const version = d.subset ? subsetVersion(service, d.subset) : undefined;
    return {
      backend: {
        service,
        ...(inCluster ? {} : { external: true }),
        ...(d.subset ? { subset: version === undefined ? { name: d.subset } : { name: d.subset, version } } : {}),
        weight: 100,
      },
      fraction: (percent ?? 100) / 100,
      hostSuffix: behaviour.shadowHostSuffix ? '-shadow' : '',
      cause: cite(
        field,
        behaviour.shadowHostSuffix
          ? `FIDELITY B5: mirrored fire and forget; ${behaviour.label} appends -shadow to the copy's Host`
          : `FIDELITY B5: mirrored fire and forget; ${behaviour.label} keeps the copy's Host (DISABLE_SHADOW_HOST_SUFFIX, 1.28+)`,
      ),
    };
  };
  const mirrors = [
    ...(h.mirror ? [mirrorTo(h.mirror, h.mirrorPercentage?.value, '.mirror')] : []),
    ...(h.mirrors ?? []).map((m, k) => mirrorTo(m.destination, m.percentage?.value, `.mirrors[${k}]`)),
  ].filter((m): m is RouteMirror => m !== undefined);
  const matches = (h.match ?? []).map((m) => ({
    ...(m.port !== undefined ? { port: m.port } : {}),
    ...(m.uri ? { path: matcher(m.uri)! } : {}),
    ...(m.method ? { method: matcher(m.method)! } : {}),
    // Header names in lowercase, as requests carry them (HTTP names are case-insensitive, RFC 9110 §5.1).
    ...(m.headers ? { headers: Object.entries(m.headers).map(([name, sm]) => ({ name: name.toLowerCase(), match: matcher(sm)! })) } : {}),
  }));
  return {
    name: h.name ?? `http[${i}]`,
    matches,
    backends,
    retry,
    ...(noRetryCause ? { noRetryCause } : {}),
    timeouts,
    ...(fault ? { fault } : {}),
    ...(mirrors.length ? { mirrors } : {}),
    cause: cite('', 'FIDELITY B1: VirtualService HTTPRoute'),
  };
}
