/**
 * Linkerd at the cluster's edge (FIDELITY E2). Linkerd has no ingress of its own: a third-party
 * controller is meshed — here ingress-nginx with `service-upstream: "true"`, so nginx sends to the
 * Service and its linkerd-proxy balances and originates mTLS. Egress is unrestricted until an
 * EgressNetwork exists (2.17+); a Deny network answers plain HTTP with 403 (route
 * http-egress-deny) and closes TLS (tls-egress-deny); HTTPRoutes and TLSRoutes whose parent is
 * the network let traffic out — an HTTPRoute only for the requests one of its rules matches
 * (hostnames, when given, narrow it to those hosts), a TLSRoute by SNI. A namespace's own
 * EgressNetwork wins over the global ones in `linkerd-egress`.
 */
import type { LoadedScenario, EgressNetwork, LinkerdHttpRoute, LinkerdResource } from '../../../scenario/index.ts';
import { pathPrefixMatches, type EgressVerdict } from '../../config.ts';
import { cidrContains, parseCidr, type Cidr } from '../../../scenario/native/cidr.ts';
import type { ExternalHost, HttpRequest } from '../../types.ts';
import type { ProxyView } from '../../proxy/Proxy.ts';
import type { EdgeWorkload } from '../types.ts';
import type { Cause } from '../../../sim/index.ts';
import { defaultCause } from '../../cause.ts';
import { nsOf, ofKind, resourceCause, type SourcedResource } from '../resources.ts';

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

/**
 * Linkerd's default `clusterNetworks`, all private IPv4 ranges (linkerd2
 * charts/linkerd-control-plane/values.yaml `clusterNetworks`).
 */
const CLUSTER_NETWORKS = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c)!);

/** Whether `ip` lies in the block written `cidr` (the scenario loader has validated it). */
const inCidr = (ip: string, cidr: string): boolean => {
  const block: Cidr | undefined = parseCidr(cidr);
  return block !== undefined && cidrContains(block, ip);
};

type HttpRouteRule = LinkerdHttpRoute['spec']['rules'][number];
type HttpRouteMatch = NonNullable<HttpRouteRule['matches']>[number];

const regexes = new Map<string, RegExp>();
const fullRegex = (source: string): RegExp => {
  let re = regexes.get(source);
  if (!re) regexes.set(source, (re = new RegExp(`^(?:${source})$`)));
  return re;
};

/** Gateway API HTTPRoute semantics: a match needs each of its parts; a rule without matches takes every request. */
function matchAccepts(m: HttpRouteMatch, req: HttpRequest): boolean {
  const path = req.path.split('?')[0]!;
  if (m.path) {
    const { type, value } = m.path;
    // PathPrefix matches whole path elements, as on service routes (config.ts pathPrefixMatches).
    const ok = type === 'Exact' ? path === value : type === 'RegularExpression' ? fullRegex(value).test(path) : pathPrefixMatches(value, path);
    if (!ok) return false;
  }
  if (m.method && m.method !== req.method) return false;
  for (const h of m.headers ?? []) {
    // Requests carry header names in lowercase (traffic.ts); HTTP names are case-insensitive (RFC 9110 §5.1).
    const v = req.headers[h.name.toLowerCase()];
    if (v === undefined || (h.type === 'RegularExpression' ? !fullRegex(h.value).test(v) : v !== h.value)) return false;
  }
  return true;
}

export const ruleAccepts = (rule: HttpRouteRule, req: HttpRequest): boolean => !rule.matches?.length || rule.matches.some((m) => matchAccepts(m, req));
export const hostAccepted = (hostnames: readonly string[] | undefined, host: string): boolean => !hostnames?.length || hostnames.includes(host);

/**
 * The EgressNetwork that captures a client's traffic to an outside address: one of its own
 * namespace that covers the address, else one of the global egress namespace (FIDELITY E2).
 */
export function egressNetworkChooser(all: SourcedResource<LinkerdResource>[]): (namespace: string, ip: string) => SourcedResource<EgressNetwork> | undefined {
  const networks = ofKind(all, 'EgressNetwork');
  // The chart's clusterNetworks when HelmValues sets them (FIDELITY A7), else its default.
  const helmNetworks = ofKind(all, 'HelmValues').at(-1)?.resource.values.clusterNetworks;
  const clusterNetworks = helmNetworks ? helmNetworks.split(',').map((c) => parseCidr(c.trim())!) : CLUSTER_NETWORKS;
  const covers = (r: SourcedResource<EgressNetwork>, ip: string): boolean =>
    r.resource.spec.networks
      ? r.resource.spec.networks.some((n) => inCidr(ip, n.cidr) && !(n.except ?? []).some((e) => inCidr(ip, e)))
      : // FIDELITY E2: unset networks mean all address space except the clusterNetworks.
        !clusterNetworks.some((c) => cidrContains(c, ip));
  return (namespace, ip) => {
    const local = networks.filter((r) => nsOf(r.resource) === namespace && covers(r, ip));
    return (local.length ? local : networks.filter((r) => nsOf(r.resource) === GLOBAL_EGRESS_NAMESPACE && covers(r, ip)))[0];
  };
}

/** Whether a route rule sends its requests to an in-cluster Service rather than out (Linkerd 2.17+ egress redirection). */
export const redirectsInside = (rule: HttpRouteRule): boolean => (rule.backendRefs ?? []).some((b) => (b.kind ?? 'Service') === 'Service');

export function compileLinkerdEgress(
  scenario: LoadedScenario,
  all: SourcedResource<LinkerdResource>[],
): (from: ProxyView, host: ExternalHost, req: HttpRequest) => EgressVerdict {
  const networkFor = egressNetworkChooser(all);
  const httpRoutes = ofKind(all, 'HTTPRoute');
  const tlsRoutes = ofKind(all, 'TLSRoute');
  return (from, host, req) => {
    const chosen = networkFor(from.namespace, host.ip);
    if (!chosen) return { allow: true, summary: `${host.host}: no EgressNetwork covers it, so it goes out unrestricted`, cause: UNRESTRICTED };
    const name = chosen.resource.metadata.name;
    const cause: Cause = resourceCause(
      scenario,
      chosen,
      `.spec.trafficPolicy ${chosen.resource.spec.trafficPolicy}`,
      '.spec.trafficPolicy',
      'FIDELITY E2: EgressNetwork',
    );
    // A parentRef with a port attaches the route to that port of the network only (FIDELITY E2: linkerd2
    // policy-controller k8s/index/src/outbound/index.rs, edge-26.8).
    const underIt = (parents: { name: string; kind?: string; port?: number | undefined }[]): boolean =>
      parents.some((p) => p.kind === 'EgressNetwork' && p.name === name && (p.port === undefined || p.port === host.port));
    // An HTTPRoute lets out the requests one of its rules matches; a TLSRoute a connection whose SNI it names.
    let rule = -1;
    const route =
      host.protocol === 'https'
        ? tlsRoutes.find((r) => underIt(r.resource.spec.parentRefs) && hostAccepted(r.resource.spec.hostnames, host.host))
        : httpRoutes.find(
            (r) =>
              underIt(r.resource.spec.parentRefs) &&
              hostAccepted(r.resource.spec.hostnames, host.host) &&
              // A rule that redirects to a Service never lets a request out.
              (rule = r.resource.spec.rules.findIndex((x) => ruleAccepts(x, req) && !redirectsInside(x))) >= 0,
          );
    if (route) {
      const where =
        route.resource.kind === 'HTTPRoute' ? `.spec.rules[${rule}]` : route.resource.spec.hostnames?.length ? '.spec.hostnames' : '.spec.parentRefs';
      const what = route.resource.kind === 'HTTPRoute' ? `${req.method} ${req.path.split('?')[0]} to ${host.host}` : host.host;
      return {
        allow: true,
        summary: `${what} allowed by ${route.resource.kind} ${route.resource.metadata.name}${route.resource.kind === 'HTTPRoute' ? ` rule ${rule}` : ''} under EgressNetwork ${name}`,
        cause: resourceCause(scenario, route, where, where, 'FIDELITY E2: routes with an EgressNetwork parent (linkerd.io tasks/managing-egress-traffic)'),
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
          summary: `${req.method} ${req.path.split('?')[0]} to ${host.host} denied by EgressNetwork ${name}: no route under it matches, so 403 (http-egress-deny)`,
          reason: 'forbidden (http-egress-deny)',
          cause,
        };
  };
}

/** ingress-nginx's table: which Service serves host + path (the first matching rule path). */
export function compileNginxIngress(scenario: LoadedScenario, all: SourcedResource<LinkerdResource>[]) {
  const ingresses = ofKind(all, 'Ingress');
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
      // A host listed on several ports (HTTP on 80, HTTPS on 443) gets a route per port, each of its
      // port's kind, whose parentRef names the port: linkerd2 policy-controller
      // k8s/index/src/outbound/index.rs applies a route whose parentRef has a port to that port of
      // the EgressNetwork only (edge-26.8, FIDELITY E2). A host on one port keeps one portless route.
      const entries = scenario.external.filter((e) => e.host === h);
      for (const ext of entries.length > 1 ? entries : [entries[0]]) {
        const port = entries.length > 1 ? (ext!.port ?? (ext!.protocol === 'https' ? 443 : 80)) : undefined;
        const parentRefs = [
          {
            name: 'all-egress',
            kind: 'EgressNetwork',
            group: 'policy.linkerd.io',
            namespace: GLOBAL_EGRESS_NAMESPACE,
            ...(port === undefined ? {} : { port }),
          },
        ];
        const name = `allow-${h.replace(/\./g, '-')}${port === undefined ? '' : `-${port}`}`;
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
  }
  return out;
}
