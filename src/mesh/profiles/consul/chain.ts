/**
 * Consul's discovery chain, compiled into the routes a client proxy uses for one service
 * (FIDELITY-MORE I5, I6): with protocol tcp, one TCP-proxy route with no retries and no timeout;
 * with an HTTP-like protocol, the service-router's routes in order, then the catch-all default
 * route, each leading to the service-splitter's weighted targets or straight to the resolver's
 * target (subset, redirect, failover). Retries only where a router destination sets them; every
 * HTTP route times out after Envoy's 15 s unless a router or resolver says otherwise.
 */
import type { Cause } from '../../../sim/index.ts';
import type { LoadedScenario, ServiceRouteDestination, ServiceRouter, ServiceResolver } from '../../../scenario/index.ts';
import { filterVersion } from '../../../scenario/native/consulFilter.ts';
import type { Backend, Matcher, RetryPolicy, RouteMatch, RouteRule, ServiceRoutes, TimeoutPolicy } from '../../config.ts';
import type { LocalReplies } from '../types.ts';
import { defaultCause } from '../../cause.ts';
import { resourceCause, type SourcedResource } from '../resources.ts';
import { retryConditions } from '../istio/routes.ts';
import { HTTP_LIKE, type ConsulEntries } from './entries.ts';

/** FIDELITY-MORE I6: Consul sets no route timeout unless asked; Envoy's RouteAction default is 15 s. */
export const ENVOY_ROUTE_TIMEOUT_MS = 15_000;
const ROUTE_TIMEOUT = defaultCause(
  'Envoy default route timeout 15s (Consul sets none unless a router or resolver asks)',
  'FIDELITY-MORE I6: routes.go sets Timeout only for RequestTimeout > 0; Envoy RouteAction.timeout defaults to 15s',
);
const NO_RETRY = defaultCause(
  'Consul default: no retries (only a service-router destination adds a retry policy)',
  'FIDELITY-MORE I6: routes.go getRetryPolicyForDestination, only with HasRetryFeatures',
);
const TCP_NO_RETRY = defaultCause(
  'protocol tcp: Envoy’s TCP proxy has no HTTP retries or timeouts',
  'FIDELITY-MORE I5, I6: no HTTP route without an L7 protocol',
);
const TCP_PROXY = 'FIDELITY-MORE I5: with protocol tcp the sidecar proxies bytes (tcp_proxy) and closes the connection on failure [inference]';

/** With protocol tcp the proxy has no HTTP to answer with: it closes the app's connection (status 0). */
export const TCP_REPLIES: Pick<LocalReplies, 'connectFailure' | 'reset' | 'noHealthy'> = {
  connectFailure: {
    status: 0,
    reason: 'UF upstream connect failed; tcp_proxy closes the connection',
    cause: defaultCause('Envoy tcp_proxy: connect failure closes the connection', TCP_PROXY),
  },
  reset: {
    status: 0,
    reason: 'UC upstream connection closed; tcp_proxy closes the connection',
    cause: defaultCause('Envoy tcp_proxy: upstream reset closes the connection', TCP_PROXY),
  },
  noHealthy: {
    status: 0,
    reason: 'UH no healthy upstream; tcp_proxy closes the connection',
    cause: defaultCause('Envoy tcp_proxy: no healthy host closes the connection', TCP_PROXY),
  },
};

/** Regex-escaped literal. */
const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class ConsulChains {
  private readonly cache = new Map<string, ServiceRoutes>();

  constructor(
    private readonly scenario: LoadedScenario,
    private readonly entries: ConsulEntries,
  ) {}

  /** The routes a client proxy has for `service`. */
  routesFor(service: string): ServiceRoutes {
    let hit = this.cache.get(service);
    if (!hit) this.cache.set(service, (hit = this.compile(service)));
    return hit;
  }

  private compile(service: string): ServiceRoutes {
    const protocol = this.entries.protocolOf(service);
    if (!HTTP_LIKE.includes(protocol.value)) {
      return {
        service,
        rules: [
          {
            name: 'tcp',
            matches: [],
            backends: [this.target(service, undefined, 100)],
            retry: null,
            noRetryCause: TCP_NO_RETRY,
            timeouts: {},
            replies: TCP_REPLIES,
            cause: { ...protocol.cause, config: `${protocol.cause.config}: a TCP proxy to ${service}` },
          },
        ],
      };
    }
    const rules: RouteRule[] = [];
    const router = this.entries.router(service);
    if (router) router.resource.spec.routes.forEach((route, i) => rules.push(this.routerRule(service, router, route, i)));
    // The catch-all: the splitter or the resolver of the service itself. A chain that starts at the
    // resolver (no router, no splitter) takes the resolver's requestTimeout (routes.go).
    const resolver = this.entries.resolver(service);
    const startsAtResolver = !router && !this.entries.splitter(service);
    const rt = startsAtResolver ? resolver?.resource.spec.requestTimeout : undefined;
    rules.push({
      name: 'default',
      matches: [],
      backends: this.node(service, undefined),
      retry: null,
      noRetryCause: NO_RETRY,
      timeouts:
        rt !== undefined
          ? { requestMs: rt, requestCause: this.cite(resolver!, '.spec.requestTimeout', 'FIDELITY-MORE I6: service-resolver RequestTimeout') }
          : { requestMs: ENVOY_ROUTE_TIMEOUT_MS, requestCause: ROUTE_TIMEOUT },
      cause: router
        ? this.cite(router, '', 'FIDELITY-MORE I5: unmatched requests take the default route')
        : defaultCause(
            `Consul default route to ${service} (protocol ${protocol.value})`,
            'FIDELITY-MORE I5: a chain with only a resolver has one default route',
          ),
    });
    return { service, rules };
  }

  private cite(r: SourcedResource<{ kind: string; metadata: { name: string } }>, path: string, source: string): Cause {
    return resourceCause(this.scenario, r, path, path, source);
  }

  private routerRule(service: string, router: SourcedResource<ServiceRouter>, route: ServiceRouter['spec']['routes'][number], i: number): RouteRule {
    const at = `.spec.routes[${i}]`;
    const http = route.match?.http;
    const match: RouteMatch = {};
    if (http?.pathExact !== undefined) match.path = { kind: 'exact', value: http.pathExact };
    // Envoy's route prefix is a plain string prefix: /v2 also matches /v2items.
    if (http?.pathPrefix !== undefined) match.path = { kind: 'prefix', value: http.pathPrefix };
    if (http?.pathRegex !== undefined) match.path = { kind: 'regex', value: http.pathRegex };
    if (http?.methods?.length) match.method = { kind: 'regex', value: http.methods.map(literal).join('|') };
    if (http?.header?.length)
      match.headers = http.header.map((h) => {
        const m: Matcher =
          h.exact !== undefined
            ? { kind: 'exact', value: h.exact }
            : h.prefix !== undefined
              ? { kind: 'prefix', value: h.prefix }
              : h.suffix !== undefined
                ? { kind: 'regex', value: `.*${literal(h.suffix)}` }
                : h.regex !== undefined
                  ? { kind: 'regex', value: h.regex }
                  : { kind: 'regex', value: '.*' }; // present: any value
        return { name: h.name.toLowerCase(), match: m };
      });
    const d = route.destination;
    const target = d?.service ?? service;
    const timeouts: TimeoutPolicy = d?.requestTimeout
      ? {
          requestMs: d.requestTimeout,
          requestCause: this.cite(router, `${at}.destination.requestTimeout`, 'FIDELITY-MORE I6: service-router RequestTimeout covers every retry'),
        }
      : { requestMs: ENVOY_ROUTE_TIMEOUT_MS, requestCause: ROUTE_TIMEOUT };
    const retry = d ? this.retryOf(router, d, `${at}.destination`) : null;
    return {
      name: `${router.resource.metadata.name}.routes[${i}]`,
      matches: Object.keys(match).length ? [match] : [],
      backends: this.node(target, d?.serviceSubset),
      retry,
      ...(retry ? {} : { noRetryCause: NO_RETRY }),
      timeouts,
      cause: this.cite(router, at, 'FIDELITY-MORE I5: service-router routes, first match wins'),
    };
  }

  /** FIDELITY-MORE I6: routes.go getRetryPolicyForDestination, with Envoy's defaults for what Consul leaves unset. */
  private retryOf(router: SourcedResource<ServiceRouter>, d: ServiceRouteDestination, at: string): RetryPolicy | null {
    const has = (d.numRetries ?? 0) > 0 || d.retryOnConnectFailure === true || (d.retryOnStatusCodes?.length ?? 0) > 0 || (d.retryOn?.length ?? 0) > 0;
    if (!has) return null;
    const words: string[] = [...(d.retryOn ?? [])];
    if (d.retryOnConnectFailure && !words.includes('connect-failure')) words.push('connect-failure');
    const codes = d.retryOnStatusCodes ?? [];
    if (codes.length) words.push('retriable-status-codes');
    const retryOn = words.join(',');
    const retries = d.numRetries && d.numRetries > 0 ? d.numRetries : 1;
    return {
      maxRetries: retries,
      conditions: retryConditions(retryOn, codes),
      conditionsText: retryOn ? `retry_on ${retryOn}${codes.length ? ` (codes ${codes.join(',')})` : ''}` : 'retry_on is empty: Envoy retries nothing',
      // FIDELITY-MORE I6: Consul sets no backoff, so Envoy's 25 ms base and 250 ms cap apply (FIDELITY B1).
      backoff: { kind: 'jittered-exponential', baseMs: 25, maxMs: 250 },
      // FIDELITY-MORE I6: no retry host predicate: a retry may go back to the same pod.
      avoidPreviousHosts: false,
      hostSelectionAttempts: 0,
      // Envoy picks a weighted cluster once per request; retries stay on it.
      rechooseBackend: false,
      cause: this.cite(
        router,
        at,
        `FIDELITY-MORE I6: service-router retries (numRetries ${d.numRetries && d.numRetries > 0 ? d.numRetries : '1, Envoy’s default'})`,
      ),
    };
  }

  /** The next node of the chain for `service` (and subset): its splitter's splits, or its resolver target. */
  private node(service: string, subset: string | undefined, depth = 0): Backend[] {
    const splitter = subset === undefined && depth < 4 ? this.entries.splitter(service) : undefined;
    if (!splitter) return [this.target(service, subset, 100)];
    // Adjacent splitters are flattened (compile.go flattenAdjacentSplitterNodes): weights multiply.
    return splitter.resource.spec.splits.flatMap((s) => {
      const svc = s.service ?? service;
      const inner = svc !== service && s.serviceSubset === undefined ? this.node(svc, undefined, depth + 1) : [this.target(svc, s.serviceSubset, 100)];
      return inner.map((b) => ({ ...b, weight: (b.weight * s.weight) / 100 }));
    });
  }

  /** The resolver's target for `service` and `subset`: redirect, default subset, failover (FIDELITY-MORE I5). */
  target(service: string, subset: string | undefined, weight: number): Backend {
    const resolver = this.entries.resolver(service);
    const spec = resolver?.resource.spec;
    if (spec?.redirect && (spec.redirect.service ?? service) !== service) {
      return this.target(spec.redirect.service!, spec.redirect.serviceSubset ?? subset, weight);
    }
    const name = subset ?? spec?.defaultSubset;
    const backend: Backend = { service, weight };
    const version = name !== undefined ? subsetVersion(spec, name) : undefined;
    if (name !== undefined && version !== undefined) backend.subset = { name, version };
    const failover = spec?.failover ? (spec.failover[name ?? ''] ?? spec.failover['*']) : undefined;
    if (failover && resolver) {
      const targets = failover.targets?.length ? failover.targets : [{ service: failover.service, serviceSubset: failover.serviceSubset }];
      backend.failover = targets.map((t) => {
        const svc = t.service ?? service;
        const sub = t.serviceSubset;
        const v = sub !== undefined ? subsetVersion(svc === service ? spec : this.entries.resolver(svc)?.resource.spec, sub) : undefined;
        return { service: svc, weight, ...(sub !== undefined && v !== undefined ? { subset: { name: sub, version: v } } : {}) };
      });
      backend.failoverCause = resourceCause(this.scenario, resolver, '.spec.failover', '.spec.failover', 'FIDELITY-MORE I5: service-resolver failover');
    }
    return backend;
  }
}

/** The version a subset's filter selects (`Service.Meta.version == v1` → v1); undefined for no filter. */
export function subsetVersion(spec: ServiceResolver['spec'] | undefined, subset: string): string | undefined {
  const filter = spec?.subsets?.[subset]?.filter;
  return filter ? filterVersion(filter) : undefined;
}
