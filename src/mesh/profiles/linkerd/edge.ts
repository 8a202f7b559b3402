/**
 * Linkerd at the cluster's edge (FIDELITY E2). Linkerd has no ingress of its own: a third-party
 * controller is meshed — here ingress-nginx with `service-upstream: "true"`, so nginx sends to the
 * Service and its linkerd-proxy balances and originates mTLS. Egress is unrestricted until an
 * EgressNetwork exists (2.17+); a Deny network answers plain HTTP with 403 (route
 * http-egress-deny) and closes TLS (tls-egress-deny); HTTPRoutes and TLSRoutes whose parent is
 * the network let named hosts out. A namespace's own EgressNetwork wins over the global ones in
 * `linkerd-egress`.
 */
import type { LoadedScenario, EgressNetwork, LinkerdIngress, LinkerdHttpRoute, TlsRoute, LinkerdResource } from '../../../scenario/index.ts';
import type { EgressVerdict } from '../../config.ts';
import type { ExternalHost, Pod } from '../../types.ts';
import type { EdgeWorkload } from '../types.ts';
import type { Cause } from '../../../sim/index.ts';
import { defaultCause } from '../../cause.ts';
import { resourceCause, type SourcedResource } from '../resources.ts';

export const INGRESS_NGINX = 'ingress-nginx-controller';
const GLOBAL_EGRESS_NAMESPACE = 'linkerd-egress';
const UNRESTRICTED = defaultCause(
  'Linkerd: egress is unrestricted while no EgressNetwork exists',
  'FIDELITY E2 [inference]: egress control exists only through EgressNetwork',
);

export function linkerdEdgeWorkloads(scenario: LoadedScenario): EdgeWorkload[] {
  const ingresses = scenario.linkerd.some((r) => r.kind === 'Ingress');
  return scenario.ingress || ingresses
    ? [{ service: INGRESS_NGINX, namespace: 'ingress-nginx', serviceAccount: 'ingress-nginx', role: 'workload', purpose: 'ingress' }]
    : [];
}

/** An IPv4 address inside a CIDR. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const toInt = (a: string): number => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (toInt(ip) & mask) === (toInt(base!) & mask);
}

export function compileLinkerdEgress(scenario: LoadedScenario, all: SourcedResource<LinkerdResource>[]): (from: Pod, host: ExternalHost) => EgressVerdict {
  const networks = all.filter((r): r is SourcedResource<EgressNetwork> => r.resource.kind === 'EgressNetwork');
  const httpRoutes = all.filter((r): r is SourcedResource<LinkerdHttpRoute> => r.resource.kind === 'HTTPRoute');
  const tlsRoutes = all.filter((r): r is SourcedResource<TlsRoute> => r.resource.kind === 'TLSRoute');
  return (from, host) => {
    const ns = (r: SourcedResource<EgressNetwork>): string => r.resource.metadata.namespace ?? 'default';
    const covers = (r: SourcedResource<EgressNetwork>): boolean =>
      // FIDELITY E2: networks default to all address space outside the cluster networks.
      !r.resource.spec.networks || r.resource.spec.networks.some((n) => inCidr(host.ip, n.cidr) && !(n.except ?? []).some((e) => inCidr(host.ip, e)));
    const local = networks.filter((r) => ns(r) === from.namespace && covers(r));
    const chosen = (local.length ? local : networks.filter((r) => ns(r) === GLOBAL_EGRESS_NAMESPACE && covers(r)))[0];
    if (!chosen) return { allow: true, summary: `${host.host}: no EgressNetwork covers it, so it goes out unrestricted`, cause: UNRESTRICTED };
    const name = chosen.resource.metadata.name;
    const cause: Cause = resourceCause(
      scenario,
      chosen,
      `.spec.trafficPolicy ${chosen.resource.spec.trafficPolicy}`,
      '.spec.trafficPolicy',
      'FIDELITY E2: EgressNetwork',
    );
    const underIt = (parents: { name: string; kind?: string }[]): boolean => parents.some((p) => p.kind === 'EgressNetwork' && p.name === name);
    const route =
      host.protocol === 'https'
        ? tlsRoutes.find((r) => underIt(r.resource.spec.parentRefs) && r.resource.spec.hostnames.includes(host.host))
        : httpRoutes.find((r) => underIt(r.resource.spec.parentRefs) && (r.resource.spec.hostnames ?? []).includes(host.host));
    if (route) {
      return {
        allow: true,
        summary: `${host.host} allowed by ${route.resource.kind} ${route.resource.metadata.name} under EgressNetwork ${name}`,
        cause: resourceCause(scenario, route, '.spec.hostnames', '.spec.hostnames', 'FIDELITY E2: routes with an EgressNetwork parent'),
      };
    }
    if (chosen.resource.spec.trafficPolicy === 'Allow')
      return { allow: true, summary: `${host.host} allowed by EgressNetwork ${name} (route http-egress-allow)`, cause };
    return host.protocol === 'https'
      ? {
          allow: false,
          summary: `${host.host} denied by EgressNetwork ${name}: TLS connection closed (tls-egress-deny)`,
          reason: 'forbidden: TLS connection closed (tls-egress-deny)',
          cause,
        }
      : {
          allow: false,
          status: 403,
          summary: `${host.host} denied by EgressNetwork ${name}: 403 (http-egress-deny)`,
          reason: 'forbidden (http-egress-deny)',
          cause,
        };
  };
}

/** ingress-nginx's table: which Service serves host + path (the first matching rule path). */
export function compileNginxIngress(scenario: LoadedScenario, all: SourcedResource<LinkerdResource>[]) {
  const ingresses = all.filter((r): r is SourcedResource<LinkerdIngress> => r.resource.kind === 'Ingress');
  return (host: string, path: string): { service: string; cause: Cause } | undefined => {
    for (const ing of ingresses) {
      for (const [i, rule] of ing.resource.spec.rules.entries()) {
        if (rule.host !== host) continue;
        for (const [j, p] of rule.http.paths.entries()) {
          const hit = p.pathType === 'Exact' ? path.split('?')[0] === p.path : path.startsWith(p.path);
          if (hit)
            return {
              service: p.backend.service.name,
              cause: resourceCause(
                scenario,
                ing,
                `.spec.rules[${i}].http.paths[${j}]`,
                `.spec.rules[${i}].http.paths[${j}]`,
                'FIDELITY E2: ingress-nginx meshed with service-upstream',
              ),
            };
        }
      }
    }
    return undefined;
  };
}

/** The edge intent in Linkerd terms: an Ingress for ingress-nginx; a Deny EgressNetwork plus routes for allowed hosts. */
export function generateLinkerdEdge(scenario: LoadedScenario): SourcedResource<LinkerdResource>[] {
  const out: SourcedResource<LinkerdResource>[] = [];
  const ing = scenario.ingress;
  if (ing) {
    out.push({
      resource: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'ingress', annotations: { 'nginx.ingress.kubernetes.io/service-upstream': 'true' } },
        spec: {
          ingressClassName: 'nginx',
          rules: [
            { host: ing.host, http: { paths: ing.routes.map((r) => ({ path: r.pathPrefix, pathType: 'Prefix', backend: { service: { name: r.service } } })) } },
          ],
        },
      } as LinkerdResource,
      path: 'ingress',
      generated: true,
    });
  }
  const egress = scenario.policies.egress;
  if (egress?.mode === 'registry-only') {
    out.push({
      resource: {
        apiVersion: 'policy.linkerd.io/v1alpha1',
        kind: 'EgressNetwork',
        metadata: { name: 'all-egress', namespace: GLOBAL_EGRESS_NAMESPACE },
        spec: { trafficPolicy: 'Deny' },
      } as LinkerdResource,
      path: 'policies.egress',
      generated: true,
    });
    for (const h of egress.allow) {
      const ext = scenario.external.find((e) => e.host === h);
      const parentRefs = [{ name: 'all-egress', kind: 'EgressNetwork', group: 'policy.linkerd.io', namespace: GLOBAL_EGRESS_NAMESPACE }];
      const name = `allow-${h.replace(/\./g, '-')}`;
      out.push({
        resource: (ext?.protocol === 'https'
          ? {
              apiVersion: 'gateway.networking.k8s.io/v1alpha2',
              kind: 'TLSRoute',
              metadata: { name, namespace: GLOBAL_EGRESS_NAMESPACE },
              spec: { parentRefs, hostnames: [h], rules: [{}] },
            }
          : {
              apiVersion: 'gateway.networking.k8s.io/v1',
              kind: 'HTTPRoute',
              metadata: { name, namespace: GLOBAL_EGRESS_NAMESPACE },
              spec: { parentRefs, hostnames: [h], rules: [{}] },
            }) as LinkerdResource,
        path: 'policies.egress.allow',
        generated: true,
      });
    }
  }
  return out;
}
