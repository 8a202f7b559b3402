/**
 * Istio at the cluster's edge (FIDELITY E1): which gateways a scenario needs, which Gateway
 * resources select which gateway, and what happens to traffic for outside hosts —
 * outboundTrafficPolicy ALLOW_ANY (the default) forwards it through PassthroughCluster;
 * REGISTRY_ONLY lets out only hosts a ServiceEntry registers and sends the rest to
 * BlackHoleCluster: 502 for plain HTTP, a reset TLS connection for HTTPS (curl exit 35).
 */
import type { Cause } from '../../../sim/index.ts';
import type { DestinationRule, LoadedScenario, IstioGateway, IstioResource, ServiceEntry, IstioOperator, WaypointGateway } from '../../../scenario/index.ts';
import type { EgressVerdict } from '../../config.ts';
import type { ExternalHost } from '../../types.ts';
import type { ProxyView } from '../../proxy/Proxy.ts';
import type { EdgeWorkload } from '../types.ts';
import { defaultCause } from '../../cause.ts';
import { nsOf, resourceCause, type SourcedResource } from '../resources.ts';
import { effectivePolicy } from './trafficPolicy.ts';

export const INGRESS_GATEWAY = 'istio-ingressgateway';
export const EGRESS_GATEWAY = 'istio-egressgateway';

/** An Istio Gateway (networking.istio.io), not a Gateway API one (an ambient waypoint, FIDELITY-MORE H6). */
export const isIstioGateway = (r: IstioResource): r is IstioGateway => r.kind === 'Gateway' && 'selector' in r.spec;

/** The gateways a scenario uses: the ingress one for `ingress` or an ingress Gateway; the egress one likewise. */
export function istioEdgeWorkloads(scenario: LoadedScenario): EdgeWorkload[] {
  const gateways = scenario.istio.filter(isIstioGateway);
  const out: EdgeWorkload[] = [];
  // FIDELITY E1: istio-ingressgateway comes with the default profile; the egress gateway with the demo profile.
  if (scenario.ingress || gateways.some((g) => g.spec.selector.istio === 'ingressgateway'))
    out.push({
      service: INGRESS_GATEWAY,
      namespace: 'istio-system',
      serviceAccount: 'istio-ingressgateway-service-account',
      role: 'gateway',
      purpose: 'ingress',
    });
  if (scenario.policies.egress?.gateway || gateways.some((g) => g.spec.selector.istio === 'egressgateway'))
    out.push({ service: EGRESS_GATEWAY, namespace: 'istio-system', serviceAccount: 'istio-egressgateway-service-account', role: 'gateway', purpose: 'egress' });
  return out;
}

/** Names of the Gateway resources that select `gateway` (a gateway proxy), as VirtualServices refer to them. */
export function gatewayNamesOf(gateways: SourcedResource<IstioGateway | WaypointGateway>[], gateway: ProxyView): string[] {
  const wanted = gateway.edge === 'ingress' ? 'ingressgateway' : 'egressgateway';
  return gateways
    .filter((g) => isIstioGateway(g.resource) && g.resource.spec.selector.istio === wanted)
    .flatMap((g) => {
      const ns = nsOf(g.resource);
      return [g.resource.metadata.name, `${ns}/${g.resource.metadata.name}`];
    });
}

/** The ports the Gateway resource named `name` (name or namespace/name) serves `host` on — a server for `*` serves every host. */
export function listenerPortsOf(gateways: SourcedResource<IstioGateway | WaypointGateway>[], name: string, host: string): number[] {
  return gateways.flatMap((g) =>
    isIstioGateway(g.resource) && (g.resource.metadata.name === name || `${nsOf(g.resource)}/${g.resource.metadata.name}` === name)
      ? g.resource.spec.servers.filter((s) => s.hosts.includes(host) || s.hosts.includes('*')).map((s) => s.port.number)
      : [],
  );
}

export function compileIstioEgress(
  scenario: LoadedScenario,
  operator: SourcedResource<IstioOperator> | undefined,
  entries: SourcedResource<ServiceEntry>[],
  drs: ReadonlyMap<string, SourcedResource<DestinationRule>> = new Map(),
): (from: ProxyView, host: ExternalHost) => EgressVerdict {
  const mode = operator?.resource.spec.meshConfig?.outboundTrafficPolicy?.mode ?? 'ALLOW_ANY';
  const modeCause: Cause = operator?.resource.spec.meshConfig?.outboundTrafficPolicy
    ? resourceCause(
        scenario,
        operator,
        `.spec.meshConfig.outboundTrafficPolicy.mode ${mode}`,
        '.spec.meshConfig.outboundTrafficPolicy.mode',
        'FIDELITY E1: egress-control task',
      )
    : defaultCause('Istio default outboundTrafficPolicy ALLOW_ANY', 'FIDELITY E1: egress-control task');
  return (_from, host) => {
    // FIDELITY E1: a ServiceEntry registers each of its hosts on each of its ports (an outbound
    // cluster `outbound|<port>||<host>`, istio/istio pilot/pkg/model/service.go BuildSubsetKey);
    // a port it does not list is not in the registry (istio.io Egress TLS Origination task: 80 and 443 both listed).
    const named = entries.filter((e) => e.resource.spec.hosts.includes(host.host));
    const entry = named.find((e) => e.resource.spec.ports.some((p) => p.number === host.port));
    if (entry) {
      const origination = upstreamOf(scenario, entry, drs.get(host.host), host);
      if (origination) return origination;
      return {
        allow: true,
        summary: `${host.host} is in the registry (ServiceEntry ${entry.resource.metadata.name}): outbound cluster for it`,
        cause: resourceCause(scenario, entry, '.spec.hosts', '.spec.hosts', 'FIDELITY E1: ServiceEntry adds external hosts to the registry'),
      };
    }
    const what = named.length
      ? `port ${host.port} of ${host.host} is not in the registry (ServiceEntry ${named[0]!.resource.metadata.name} lists ${named[0]!.resource.spec.ports.map((p) => p.number).join(', ')})`
      : `${host.host} is not in the registry`;
    if (mode === 'ALLOW_ANY') return { allow: true, summary: `${what}: PassthroughCluster forwards it (ALLOW_ANY)`, cause: modeCause };
    return host.protocol === 'https'
      ? {
          allow: false,
          summary: `${what}: BlackHoleCluster resets the TLS connection (REGISTRY_ONLY)`,
          reason: 'connection reset: BlackHoleCluster (REGISTRY_ONLY); curl exit 35',
          cause: modeCause,
        }
      : {
          allow: false,
          status: 502,
          summary: `${what}: BlackHoleCluster answers 502 (REGISTRY_ONLY)`,
          reason: 'BlackHoleCluster: 502 Bad Gateway (REGISTRY_ONLY)',
          cause: modeCause,
        };
  };
}

/**
 * Where a registered host's traffic really goes when its ServiceEntry port has a `targetPort` or a
 * DestinationRule originates TLS on the port (tls SIMPLE, trafficPolicy or the port's
 * portLevelSettings): the Egress TLS Origination task's edition.cnn.com — the app sends plain HTTP
 * to port 80, its sidecar opens TLS to port 443 (istio.io tasks/traffic-management/egress/
 * egress-tls-origination; ServiceEntry ServicePort.targetPort; DestinationRule ClientTLSSettings
 * SIMPLE). A rule for a host outside the registry has no cluster to act on (FIDELITY E1).
 */
function upstreamOf(
  scenario: LoadedScenario,
  entry: SourcedResource<ServiceEntry>,
  dr: SourcedResource<DestinationRule> | undefined,
  host: ExternalHost,
): EgressVerdict | undefined {
  const i = entry.resource.spec.ports.findIndex((p) => p.number === host.port);
  const port = entry.resource.spec.ports[i]!.targetPort ?? host.port;
  const tls = dr ? effectivePolicy(dr.resource, undefined, host.port).tls : undefined;
  const originate = tls?.value.mode === 'SIMPLE';
  if (!originate && port === host.port) return undefined;
  const to = port === host.port ? '' : ` to port ${port} (targetPort)`;
  return {
    allow: true,
    summary: originate
      ? `${host.host}:${host.port} is in the registry (ServiceEntry ${entry.resource.metadata.name}): the sidecar originates TLS${to || ` on port ${port}`} (DestinationRule ${dr!.resource.metadata.name})`
      : `${host.host}:${host.port} is in the registry (ServiceEntry ${entry.resource.metadata.name}): forwarded${to}, as plain HTTP`,
    cause: originate
      ? resourceCause(
          scenario,
          dr!,
          `${tls!.path}.mode SIMPLE`,
          `${tls!.path}.mode`,
          'FIDELITY E1: DestinationRule tls SIMPLE — TLS origination (Egress TLS Origination task)',
        )
      : resourceCause(scenario, entry, `.spec.ports[${i}].targetPort ${port}`, `.spec.ports[${i}].targetPort`, 'FIDELITY E1: ServiceEntry targetPort'),
    upstream: { port, tls: originate },
  };
}
