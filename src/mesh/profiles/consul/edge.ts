/**
 * Consul at the cluster's edge (FIDELITY-MORE I9): the API gateway for traffic coming in (a Gateway
 * of class consul with its HTTPRoutes), the terminating gateway for traffic going out to
 * destinations it links, and what a sidecar in transparent proxy mode does with traffic for an
 * address Consul does not know — pass it through as it is (meshDestinationsOnly false, the
 * default) or close the connection (true).
 */
import type { LoadedScenario } from '../../../scenario/index.ts';
import type { EgressVerdict, RouteRule, ServiceRoutes } from '../../config.ts';
import type { ExternalHost } from '../../types.ts';
import type { ProxyView } from '../../proxy/Proxy.ts';
import type { EdgeWorkload } from '../types.ts';
import { resourceCause } from '../resources.ts';
import { ConsulEntries, HTTP_LIKE } from './entries.ts';
import { ENVOY_ROUTE_TIMEOUT_MS, TCP_REPLIES, type ConsulChains } from './chain.ts';
import { defaultCause } from '../../cause.ts';

/** Where consul-k8s deploys the gateways mesh-sim draws. */
const GATEWAY_NAMESPACE = 'consul';

/** The gateways the scenario's config (any version) asks for. */
export function consulEdgeWorkloads(scenario: LoadedScenario): EdgeWorkload[] {
  const entries = new ConsulEntries(scenario);
  const out: EdgeWorkload[] = [];
  // FIDELITY-MORE I9: consul-k8s deploys a gateway for each Gateway of class consul, in its namespace.
  for (const g of entries.apiGateways)
    out.push({
      service: g.resource.metadata.name,
      namespace: g.resource.metadata.namespace ?? 'default',
      serviceAccount: g.resource.metadata.name,
      role: 'gateway',
      purpose: 'ingress',
    });
  for (const t of entries.terminatingGateways)
    out.push({ service: t.resource.metadata.name, namespace: GATEWAY_NAMESPACE, serviceAccount: t.resource.metadata.name, role: 'gateway', purpose: 'egress' });
  return out;
}

export interface ConsulEdge {
  /** Routes of a gateway, or of a sidecar toward an outside host; undefined when it has none. */
  routesFor(from: ProxyView, host: string, external?: ExternalHost): ServiceRoutes | undefined;
  egress(from: ProxyView, host: ExternalHost): EgressVerdict;
}

export function compileConsulEdge(scenario: LoadedScenario, entries: ConsulEntries, chains: ConsulChains): ConsulEdge {
  /**
   * The destination (and the terminating gateway linking it) an outside host belongs to: its
   * address, on the destination's one port when the host's port is known (a ServiceDefaults
   * destination has one port — consul-k8s servicedefaults_types.go Destination.Port).
   */
  const destinationOf = (host: string, port?: number) => {
    const dest = entries.destinations.find(
      (d) => d.resource.spec.destination!.addresses.includes(host) && (port === undefined || d.resource.spec.destination!.port === port),
    );
    if (!dest) return undefined;
    const gateway = entries.terminatingGateways.find((t) => t.resource.spec.services.some((s) => s.name === dest.resource.metadata.name));
    return { dest, gateway };
  };
  const passthrough = entries.meshDestinationsOnly;

  const apiGatewayRoutes = (gw: ProxyView, host: string): ServiceRoutes | undefined => {
    const routes = entries.httpRoutes.filter(
      (r) =>
        r.resource.spec.parentRefs.some((p) => p.name === gw.workload?.service.name) &&
        (!r.resource.spec.hostnames?.length || r.resource.spec.hostnames.includes(host)),
    );
    if (routes.length === 0) return undefined;
    const rules: RouteRule[] = routes.flatMap((r) =>
      r.resource.spec.rules.map((rule, j) => ({
        name: `${r.resource.metadata.name}.rules[${j}]`,
        matches: (rule.matches ?? []).map((m) => ({
          // [inference] Consul turns the route into a router whose PathPrefix is Envoy's string prefix.
          ...(m.path ? { path: { kind: m.path.type === 'Exact' ? 'exact' : 'prefix', value: m.path.value } as const } : {}),
          ...(m.method ? { method: { kind: 'exact', value: m.method } as const } : {}),
        })),
        backends: rule.backendRefs.map((b) => chains.target(b.name, undefined, b.weight)),
        retry: null,
        noRetryCause: defaultCause('Consul API gateway route: no retries unless a RouteRetryFilter sets them', 'FIDELITY-MORE I6'),
        timeouts: {
          requestMs: ENVOY_ROUTE_TIMEOUT_MS,
          requestCause: defaultCause('Envoy default route timeout 15s (no RouteTimeoutFilter)', 'FIDELITY-MORE I6 [inference]: the gateway sets none'),
        },
        cause: resourceCause(scenario, r, `.spec.rules[${j}]`, `.spec.rules[${j}]`, 'FIDELITY-MORE I9: API gateway HTTPRoute'),
      })),
    );
    return { service: host, rules };
  };

  return {
    routesFor: (from, host, external) => {
      if (from.kind === 'gateway' && from.edge === 'ingress') return apiGatewayRoutes(from, host);
      const d = destinationOf(host, external?.port);
      if (!d?.gateway) return undefined;
      const protocol = entries.protocolOf(d.dest.resource.metadata.name);
      const l4 = !HTTP_LIKE.includes(protocol.value);
      // The terminating gateway forwards to the destination's address; a sidecar sends to the gateway.
      const atGateway = from.kind === 'gateway' && from.workload?.service.name === d.gateway.resource.metadata.name;
      return {
        service: host,
        rules: [
          {
            name: atGateway ? 'destination' : 'via-terminating-gateway',
            matches: [],
            backends: [atGateway ? { service: host, external: true, weight: 1 } : { service: d.gateway.resource.metadata.name, weight: 1 }],
            retry: null,
            noRetryCause: defaultCause('Consul default: no retries', 'FIDELITY-MORE I6'),
            timeouts: l4 ? {} : { requestMs: ENVOY_ROUTE_TIMEOUT_MS, requestCause: defaultCause('Envoy default route timeout 15s', 'FIDELITY-MORE I6') },
            ...(l4 ? { replies: TCP_REPLIES } : {}),
            cause: resourceCause(
              scenario,
              d.gateway,
              `links ${d.dest.resource.metadata.name} (${host})`,
              '.spec.services',
              'FIDELITY-MORE I9: terminating gateway for a transparent-proxy destination',
            ),
          },
        ],
      };
    },
    egress: (from, host) => {
      const d = destinationOf(host.host, host.port);
      if (from.kind === 'gateway' && d?.gateway && from.workload?.service.name === d.gateway.resource.metadata.name)
        return {
          allow: true,
          summary: `terminating gateway forwards to ${host.host} (destination ${d.dest.resource.metadata.name})`,
          cause: resourceCause(scenario, d.dest, '.spec.destination', '.spec.destination', 'FIDELITY-MORE I9: ServiceDefaults destination'),
        };
      if (!passthrough.value)
        return { allow: true, summary: `${host.host} is not in Consul: passed through to its address as it is, unencrypted`, cause: passthrough.cause };
      // FIDELITY-MORE I9 [inference]: with meshDestinationsOnly no filter chain matches: the connection is closed.
      return {
        allow: false,
        summary: `${host.host} is not a mesh destination and meshDestinationsOnly is true: no filter chain matches, the connection is closed`,
        reason: 'connection closed: not a mesh destination (meshDestinationsOnly)',
        cause: passthrough.cause,
      };
    },
  };
}
