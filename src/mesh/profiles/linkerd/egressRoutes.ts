/**
 * Routes for a request to an outside host under Linkerd's egress control (FIDELITY E2, Linkerd
 * 2.17+): the HTTPRoutes whose parent is the EgressNetwork that captures the client's traffic to
 * that address, and that name the host or no host at all. A rule without backendRefs (or with the
 * EgressNetwork itself as backend) lets the request out to its host; a rule whose backendRef is a
 * Service sends it to that in-cluster Service instead (linkerd.io/2.17/tasks/managing-egress-traffic,
 * "Redirecting egress traffic back to the cluster"). The network's default route follows them.
 */
import type { LoadedScenario, LinkerdResource } from '../../../scenario/index.ts';
import type { RouteMatch, RouteRule, ServiceRoutes } from '../../config.ts';
import type { HttpRouteMatchSpec } from './compile.ts';
import type { ProxyView } from '../../proxy/Proxy.ts';
import type { Cause } from '../../../sim/index.ts';
import { defaultCause } from '../../cause.ts';
import { nsOf, ofKind, resourceCause, type SourcedResource } from '../resources.ts';
import { egressNetworkChooser, hostAccepted, redirectsInside } from './edge.ts';

type Pieces = {
  noRetry: Cause;
  routeMatches: (matches: readonly HttpRouteMatchSpec[] | undefined) => RouteMatch[];
  keyOf: (name: string, namespace: string) => string;
};

/** The address an outside host has in the run: its `ip`, or the one the engine gives it (src/mesh/workloads.ts). */
function ipOf(scenario: LoadedScenario, host: string): string | undefined {
  const i = scenario.external.findIndex((e) => e.host === host);
  if (i < 0) return undefined;
  return scenario.external[i]!.ip ?? `203.0.113.${i + 10}`;
}

export function compileEgressRoutes(
  scenario: LoadedScenario,
  all: SourcedResource<LinkerdResource>[],
  { noRetry, routeMatches, keyOf }: Pieces,
): (from: ProxyView, host: string, port?: number) => ServiceRoutes | undefined {
  const networkFor = egressNetworkChooser(all);
  const httpRoutes = ofKind(all, 'HTTPRoute');
  const cache = new Map<string, ServiceRoutes | undefined>();
  return (from, host, port) => {
    const key = `${from.namespace}|${host}|${port ?? ''}`;
    if (cache.has(key)) return cache.get(key);
    const ip = ipOf(scenario, host);
    const network = ip === undefined ? undefined : networkFor(from.namespace, ip);
    const rs = network
      ? httpRoutes.filter(
          (h) =>
            h.resource.spec.parentRefs.some(
              (p) =>
                p.kind === 'EgressNetwork' &&
                p.name === network.resource.metadata.name &&
                (p.namespace ?? nsOf(h.resource)) === nsOf(network.resource) &&
                // A parentRef with a port attaches to that port only (linkerd2 policy-controller outbound/index.rs).
                (p.port === undefined || port === undefined || p.port === port),
            ) && hostAccepted(h.resource.spec.hostnames, host),
        )
      : [];
    let routes: ServiceRoutes | undefined;
    if (rs.length) {
      // linkerd2-proxy linkerd/http/route/src/lib.rs find(): the most specific match wins — a route
      // naming the host before one that names none, then the request match as on a Service (main,
      // 2026-08); the policy controller sends the routes oldest first, then by name
      // (grpc/src/outbound.rs timestamp_then_name; a scenario's routes tie on time: [inference]).
      const ranked = [...rs]
        .sort((a, b) => (a.resource.metadata.name < b.resource.metadata.name ? -1 : a.resource.metadata.name > b.resource.metadata.name ? 1 : 0))
        .flatMap((r) => r.resource.spec.rules.map((rule, j) => ({ r, rule, j })));
      const rules: RouteRule[] = ranked.map(({ r, rule, j }) => ({
        name: `${r.resource.metadata.name}.rules[${j}]`,
        hostRank: r.resource.spec.hostnames?.length ? 1 : 0,
        matches: routeMatches(rule.matches),
        // A Service backend keeps the request inside the cluster; none (or the EgressNetwork) lets it out to its host.
        backends: redirectsInside(rule)
          ? (rule.backendRefs ?? []).map((b) => ({ service: keyOf(b.name, b.namespace ?? nsOf(r.resource)), weight: b.weight ?? 1 }))
          : [{ service: host, external: true, weight: 1 }],
        retry: null,
        noRetryCause: noRetry,
        timeouts: {},
        cause: resourceCause(
          scenario,
          r,
          `.spec.rules[${j}]`,
          `.spec.rules[${j}]`,
          redirectsInside(rule)
            ? 'FIDELITY E2: an egress route redirected to an in-cluster Service (tasks/managing-egress-traffic, 2.17+)'
            : 'FIDELITY E2: routes with an EgressNetwork parent',
        ),
      }));
      // linkerd2 policy-controller grpc/src/outbound/http.rs protocol(): under an EgressNetwork parent the
      // default egress route always follows the routes, so a request they do not match is not a 404: it
      // goes on to the network's traffic policy (FIDELITY E2: Deny → 403 http-egress-deny).
      rules.push({
        name: 'default',
        matches: [],
        backends: [{ service: host, external: true, weight: 1 }],
        retry: null,
        noRetryCause: noRetry,
        timeouts: {},
        cause: defaultCause(`Linkerd default egress route to ${host}`, 'FIDELITY E2: the EgressNetwork traffic policy decides'),
      });
      routes = { service: host, rules, precedence: 'most-specific' };
    }
    cache.set(key, routes);
    return routes;
  };
}
