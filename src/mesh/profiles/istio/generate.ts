/**
 * Istio resources generated from the scenario's mesh-neutral `policies` — what a user would
 * `kubectl apply` to get that intent in Istio. Shown in the YAML pane; compiled like authored ones.
 *
 * - mtls → a mesh-wide PeerAuthentication in the root namespace (FIDELITY A1).
 * - retries, timeouts → a VirtualService per service with `retries` / `timeout` (B1, B2). A
 *   service that already has an authored VirtualService keeps it; the intent is not merged in.
 */
import type { LoadedScenario } from '../../../scenario/index.ts';
import type { IstioResource, VirtualService, PeerAuthentication, DestinationRule } from '../../../scenario/index.ts';
import type { SourcedResource } from '../resources.ts';

const MODE = { strict: 'STRICT', permissive: 'PERMISSIVE', off: 'DISABLE' } as const;

/** The mesh-neutral retry conditions in Envoy's retryOn words. */
function retryOn(on: readonly (string | number)[]): string {
  return on.map((c) => String(c)).join(',');
}

export function generateIstio(scenario: LoadedScenario): SourcedResource<IstioResource>[] {
  const out: SourcedResource<IstioResource>[] = [];
  const p = scenario.policies;
  if (p.mtls) {
    const pa: PeerAuthentication = {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'istio-system' },
      spec: { mtls: { mode: MODE[p.mtls] } },
    };
    out.push({ resource: pa, path: 'policies.mtls', generated: true });
  }
  const authoredHosts = new Set(scenario.istio.filter((r): r is VirtualService => r.kind === 'VirtualService').flatMap((r) => r.spec.hosts));
  const byService = new Map<string, { vs: VirtualService; path: string }>();
  const vsFor = (service: string, path: string): VirtualService['spec']['http'][number] | undefined => {
    if (authoredHosts.has(service)) return undefined;
    let entry = byService.get(service);
    if (!entry) {
      entry = {
        vs: {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: service },
          spec: { hosts: [service], http: [{ route: [{ destination: { host: service } }] }] },
        } as VirtualService,
        path,
      };
      byService.set(service, entry);
    }
    return entry.vs.spec.http[0];
  };
  (p.retries ?? []).forEach((r, i) => {
    const http = vsFor(r.service, `policies.retries[${i}]`);
    if (!http) return;
    http.retries = {
      attempts: r.attempts,
      ...(r.perTryTimeout !== undefined ? { perTryTimeout: r.perTryTimeout } : {}),
      ...(r.on ? { retryOn: retryOn(r.on) } : {}),
    };
  });
  (p.timeouts ?? []).forEach((t, i) => {
    const http = vsFor(t.service, `policies.timeouts[${i}]`);
    if (http) http.timeout = t.request;
  });
  for (const { vs, path } of byService.values()) out.push({ resource: vs, path, generated: true });
  out.push(...generateDestinationRules(scenario));
  out.push(...generateEdge(scenario));
  return out;
}

/**
 * The edge intent in Istio terms (FIDELITY E1): `ingress` → a Gateway on istio-ingressgateway and
 * a VirtualService bound to it; `policies.egress` → meshConfig.outboundTrafficPolicy, a ServiceEntry
 * per allowed host, and with `gateway` the egress-gateway routing of the egress task (sidecars →
 * istio-egressgateway → the host).
 */
function generateEdge(scenario: LoadedScenario): SourcedResource<IstioResource>[] {
  const out: SourcedResource<IstioResource>[] = [];
  const ing = scenario.ingress;
  if (ing) {
    out.push({
      resource: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'ingress-gateway' },
        spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [ing.host] }] },
      } as IstioResource,
      path: 'ingress',
      generated: true,
    });
    out.push({
      resource: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'ingress' },
        spec: {
          hosts: [ing.host],
          gateways: ['ingress-gateway'],
          http: ing.routes.map((r) => ({ match: [{ uri: { prefix: r.pathPrefix } }], route: [{ destination: { host: r.service } }] })),
        },
      } as VirtualService,
      path: 'ingress',
      generated: true,
    });
  }
  const egress = scenario.policies.egress;
  if (egress) {
    // Every port an allowed host is listed on (HTTP on 80 and HTTPS on 443 are one host, one ServiceEntry).
    const hosts = egress.allow.map((h) => scenario.external.find((e) => e.host === h)!).filter(Boolean);
    const portsOf = (host: string) => scenario.external.filter((e) => e.host === host);
    out.push({
      resource: {
        apiVersion: 'install.istio.io/v1alpha1',
        kind: 'IstioOperator',
        metadata: { name: 'mesh' },
        spec: { meshConfig: { outboundTrafficPolicy: { mode: egress.mode === 'registry-only' ? 'REGISTRY_ONLY' : 'ALLOW_ANY' } } },
      } as IstioResource,
      path: 'policies.egress',
      generated: true,
    });
    for (const h of hosts) {
      const ports = portsOf(h.host).map((e) => {
        const number = e.port ?? (e.protocol === 'https' ? 443 : 80);
        return { number, name: portsOf(h.host).length > 1 ? `${e.protocol}-${number}` : e.protocol, protocol: e.protocol === 'https' ? 'TLS' : 'HTTP' };
      });
      out.push({
        resource: {
          apiVersion: 'networking.istio.io/v1',
          kind: 'ServiceEntry',
          metadata: { name: h.host.replace(/\./g, '-') },
          spec: {
            hosts: [h.host],
            ports,
            location: 'MESH_EXTERNAL',
            resolution: 'DNS',
          },
        } as IstioResource,
        path: 'policies.egress.allow',
        generated: true,
      });
    }
    // The hosts with an HTTP port (an HTTPS port's traffic is TLS the sidecar cannot route by path).
    const viaGateway = hosts.filter((h) => portsOf(h.host).some((e) => e.protocol === 'http'));
    if (egress.gateway && viaGateway.length > 0) {
      out.push({
        resource: {
          apiVersion: 'networking.istio.io/v1',
          kind: 'Gateway',
          metadata: { name: 'egress-gateway' },
          spec: {
            selector: { istio: 'egressgateway' },
            servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: viaGateway.map((h) => h.host) }],
          },
        } as IstioResource,
        path: 'policies.egress.gateway',
        generated: true,
      });
      for (const h of viaGateway) {
        out.push({
          resource: {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: `${h.host.replace(/\./g, '-')}-via-egress` },
            spec: {
              hosts: [h.host],
              gateways: ['mesh', 'egress-gateway'],
              http: [
                { match: [{ gateways: ['mesh'] }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local' } }] },
                { match: [{ gateways: ['egress-gateway'] }], route: [{ destination: { host: h.host } }] },
              ],
            },
          } as VirtualService,
          path: 'policies.egress.gateway',
          generated: true,
        });
      }
    }
  }
  return out;
}

/**
 * circuitBreaking and loadBalancing → one DestinationRule per service (FIDELITY C1, C2, D1): the
 * pool limits, outlier detection and load balancer. A service with an authored DestinationRule
 * keeps it; the intent is not merged in.
 */
function generateDestinationRules(scenario: LoadedScenario): SourcedResource<IstioResource>[] {
  const authored = new Set(scenario.istio.filter((r): r is DestinationRule => r.kind === 'DestinationRule').map((r) => r.spec.host.split('.')[0]));
  const byService = new Map<string, { policy: Record<string, unknown>; path: string }>();
  const policyFor = (service: string, path: string): Record<string, unknown> | undefined => {
    if (authored.has(service)) return undefined;
    let e = byService.get(service);
    if (!e) byService.set(service, (e = { policy: {}, path }));
    return e.policy;
  };
  (scenario.policies.circuitBreaking ?? []).forEach((c, i) => {
    const tp = policyFor(c.service, `policies.circuitBreaking[${i}]`);
    if (!tp) return;
    const tcp = c.maxConnections !== undefined ? { maxConnections: c.maxConnections } : undefined;
    const http = {
      ...(c.maxPending !== undefined ? { http1MaxPendingRequests: c.maxPending } : {}),
      ...(c.maxRequests !== undefined ? { http2MaxRequests: c.maxRequests } : {}),
    };
    if (tcp || Object.keys(http).length) tp.connectionPool = { ...(tcp ? { tcp } : {}), ...(Object.keys(http).length ? { http } : {}) };
    if (c.consecutiveErrors !== undefined || c.ejection !== undefined)
      tp.outlierDetection = {
        ...(c.consecutiveErrors !== undefined ? { consecutive5xxErrors: c.consecutiveErrors } : {}),
        ...(c.ejection !== undefined ? { baseEjectionTime: c.ejection } : {}),
      };
  });
  const simple = { 'least-request': 'LEAST_REQUEST', 'round-robin': 'ROUND_ROBIN', random: 'RANDOM' } as const;
  (scenario.policies.loadBalancing ?? []).forEach((l, i) => {
    const tp = policyFor(l.service, `policies.loadBalancing[${i}]`);
    if (tp) tp.loadBalancer = { simple: simple[l.algorithm] };
  });
  return [...byService].map(([service, { policy, path }]) => ({
    resource: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: service },
      spec: { host: service, trafficPolicy: policy },
    } as unknown as IstioResource,
    path,
    generated: true,
  }));
}
