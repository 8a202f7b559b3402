/**
 * Cross-reference checks of the `istio:` section: hosts and subsets a DestinationRule or
 * VirtualService names, namespaces of PeerAuthentication, AuthorizationPolicy and
 * RequestAuthentication (the root namespace is mesh-wide), and selectors that select no pod. In a
 * cluster most of these would be accepted and silently do nothing; in a lesson they are mistakes.
 */
import { describe } from '../units.ts';
import { guessHint, isObj, list, str } from '../raw.ts';
import { serviceOfHost } from '../names.ts';
import { selectorProblem, type SectionContext } from '../sections.ts';

/**
 * Istio's root namespace: `meshConfig.rootNamespace` of the first IstioOperator, as the Istio
 * profile reads it, else istio-system (FIDELITY A1).
 */
export function istioRootNamespace(istio: unknown): string {
  const operator = list(istio).find((r) => isObj(r) && r.kind === 'IstioOperator');
  const meshConfig = isObj(operator) && isObj(operator.spec) && isObj(operator.spec.meshConfig) ? operator.spec.meshConfig : {};
  return str(meshConfig.rootNamespace) ?? 'istio-system';
}

/** Istio's own gateways are Services too: the egress task routes through istio-egressgateway. */
const EGRESS_GATEWAY_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';
const ISTIO_GATEWAY_HOSTS = [EGRESS_GATEWAY_HOST, 'istio-ingressgateway.istio-system.svc.cluster.local'];

/** Checks the Istio resources in force. */
export function checkIstioReferences(resources: readonly unknown[], ctx: SectionContext): void {
  const { key, services, namespaces, groups } = ctx;
  const root = istioRootNamespace(resources);
  const subsetsByHost = new Map<string, string[]>();
  resources.forEach((r, i) => {
    if (!isObj(r) || !isObj(r.spec)) return;
    const spec = r.spec;
    const own = resourceNamespace(r);
    if (r.kind === 'DestinationRule' && spec.host === EGRESS_GATEWAY_HOST) {
      // The Egress Gateways task's rule for the gateway's own host (FIDELITY E1).
      egressGatewayRule(spec, [key, i, 'spec'], ctx);
      const names = list(spec.subsets).flatMap((sub) => (isObj(sub) && typeof sub.name === 'string' ? [sub.name] : []));
      subsetsByHost.set(EGRESS_GATEWAY_HOST, [...(subsetsByHost.get(EGRESS_GATEWAY_HOST) ?? []), ...names]);
    } else if (r.kind === 'DestinationRule') {
      ctx.serviceHost(spec.host, [key, i, 'spec', 'host'], true, own);
      const svc = typeof spec.host === 'string' ? serviceOfHost(spec.host, services, own) : undefined;
      const versions = services.find((s) => s.name === svc)?.versions ?? [];
      if (typeof spec.host === 'string' && ctx.externalPorts.has(spec.host)) externalHostRule(spec, [key, i, 'spec'], ctx);
      else
        tlsModes(spec, [key, i, 'spec']).forEach(({ mode, path }) => {
          if (mode === 'SIMPLE')
            ctx.report({
              path,
              message:
                'SIMPLE (TLS with your own certificates) is simulated only toward an external host (TLS origination); toward a service use ISTIO_MUTUAL or DISABLE',
            });
        });
      list(spec.subsets).forEach((sub, j) => {
        if (!isObj(sub)) return;
        // A subset without labels is every endpoint of the host (istio/api Subset.labels).
        const v = isObj(sub.labels) ? sub.labels.version : undefined;
        if (svc && typeof v === 'string' && !versions.includes(v))
          ctx.report({
            path: [key, i, 'spec', 'subsets', j, 'labels', 'version'],
            message: `selects no pod: service ${describe(svc)} has versions ${versions.length ? versions.join(', ') : '(none declared)'}`,
          });
        if (svc && typeof sub.name === 'string') subsetsByHost.set(svc, [...(subsetsByHost.get(svc) ?? []), sub.name]);
      });
    }
    if (r.kind === 'PeerAuthentication' && isObj(r.metadata)) {
      const ns = r.metadata.namespace;
      if (typeof ns === 'string' && ns !== root && !namespaces.includes(ns))
        ctx.report({
          path: [key, i, 'metadata', 'namespace'],
          message: `names namespace ${describe(ns)} where no service runs (the mesh-wide root namespace is ${root})`,
        });
    }
  });
  // A VirtualService bound to a gateway may name the hosts its Gateways serve.
  const gatewayHosts = resources.flatMap((g) =>
    isObj(g) && g.kind === 'Gateway' && isObj(g.spec) ? list(g.spec.servers).flatMap((s) => (isObj(s) ? list(s.hosts) : [])) : [],
  );
  resources.forEach((r, i) => {
    if (!isObj(r) || r.kind !== 'VirtualService' || !isObj(r.spec)) return;
    const own = resourceNamespace(r);
    list(r.spec.hosts).forEach((h, j) => {
      if (!gatewayHosts.includes(h)) ctx.serviceHost(h, [key, i, 'spec', 'hosts', j], true, own);
    });
    list(r.spec.http).forEach((h, j) => {
      if (!isObj(h)) return;
      // Where requests go, and where their mirrored copies go (FIDELITY B5).
      const destinations = [
        ...list(h.route).map((rt, k) => ({ rt, path: [key, i, 'spec', 'http', j, 'route', k, 'destination'] })),
        ...(h.mirror === undefined ? [] : [{ rt: { destination: h.mirror }, path: [key, i, 'spec', 'http', j, 'mirror'] }]),
        ...list(h.mirrors).map((rt, k) => ({ rt, path: [key, i, 'spec', 'http', j, 'mirrors', k, 'destination'] })),
      ];
      destinations.forEach(({ rt, path }) => {
        if (!isObj(rt) || !isObj(rt.destination)) return;
        if (!ISTIO_GATEWAY_HOSTS.includes(rt.destination.host as string)) ctx.serviceHost(rt.destination.host, [...path, 'host'], true, own);
        const svc = typeof rt.destination.host === 'string' ? serviceOfHost(rt.destination.host, services, own) : undefined;
        // An outside host's port must be one it is listed on (external[].port).
        const ports = typeof rt.destination.host === 'string' ? ctx.externalPorts.get(rt.destination.host) : undefined;
        const port = isObj(rt.destination.port) ? rt.destination.port.number : undefined;
        if (ports && typeof port === 'number' && !ports.includes(port))
          ctx.report({
            path: [...path, 'port', 'number'],
            message: `${port} is not a port of external host ${describe(rt.destination.host)} (it listens on ${ports.join(', ')})`,
          });
        const subset = rt.destination.subset;
        const subsetHost = rt.destination.host === EGRESS_GATEWAY_HOST ? EGRESS_GATEWAY_HOST : svc;
        if (subsetHost && typeof subset === 'string' && !(subsetsByHost.get(subsetHost) ?? []).includes(subset))
          ctx.report({ path: [...path, 'subset'], message: `names subset ${describe(subset)} that no DestinationRule for ${describe(subsetHost)} defines` });
      });
      list(h.match).forEach((m, k) => {
        if (isObj(m) && typeof m.port === 'number')
          gatewayPortMatch(r.spec as Record<string, unknown>, m, [key, i, 'spec', 'http', j, 'match', k, 'port'], resources, ctx);
      });
    });
  });

  // Namespace and selector of AuthorizationPolicy and RequestAuthentication.
  resources.forEach((r, i) => {
    if (!isObj(r) || (r.kind !== 'AuthorizationPolicy' && r.kind !== 'RequestAuthentication') || !isObj(r.metadata)) return;
    const ns = str(r.metadata.namespace) ?? 'default';
    if (ns !== root && !namespaces.includes(ns)) {
      ctx.report({
        path: [key, i, 'metadata', 'namespace'],
        message: `names namespace "${ns}" where no service runs (the mesh-wide root namespace is ${root})${guessHint(ns, namespaces)}`,
      });
      return;
    }
    const pool = ns === root ? groups : groups.filter((g) => g.namespace === ns);
    const match = isObj(r.spec) && isObj(r.spec.selector) ? r.spec.selector.matchLabels : undefined;
    const problem = selectorProblem(match, pool, ns === root ? 'in any namespace' : `in namespace ${ns}`);
    if (problem) ctx.report({ path: [key, i, 'spec', 'selector', 'matchLabels'], message: problem });
  });
}

/** Every tls.mode of a DestinationRule spec (its trafficPolicy, its subsets', their portLevelSettings), with its path. */
function tlsModes(spec: Record<string, unknown>, at: (string | number)[]): { mode: unknown; path: (string | number)[] }[] {
  const ofPolicy = (tp: unknown, p: (string | number)[]): { mode: unknown; path: (string | number)[] }[] => {
    if (!isObj(tp)) return [];
    const own = isObj(tp.tls) ? [{ mode: tp.tls.mode, path: [...p, 'tls', 'mode'] }] : [];
    const ports = list(tp.portLevelSettings).flatMap((e, k) =>
      isObj(e) && isObj(e.tls) ? [{ mode: e.tls.mode, path: [...p, 'portLevelSettings', k, 'tls', 'mode'] }] : [],
    );
    return [...own, ...ports];
  };
  return [
    ...ofPolicy(spec.trafficPolicy, [...at, 'trafficPolicy']),
    ...list(spec.subsets).flatMap((s, j) => (isObj(s) ? ofPolicy(s.trafficPolicy, [...at, 'subsets', j, 'trafficPolicy']) : [])),
  ];
}

/**
 * A DestinationRule for an external host: what the sidecar does with its ServiceEntry's cluster.
 * mesh-sim simulates its TLS origination (the Egress TLS Origination task) and nothing else there,
 * so the other settings are refused by name rather than silently ignored.
 */
function externalHostRule(spec: Record<string, unknown>, at: (string | number)[], ctx: SectionContext): void {
  const refuse = (path: (string | number)[], what: string): void =>
    ctx.report({ path, message: `is not simulated for ${what}: only tls (TLS origination, SIMPLE or DISABLE) is` });
  if (spec.subsets !== undefined) refuse([...at, 'subsets'], 'an external host (subsets pick pods)');
  const policies = isObj(spec.trafficPolicy)
    ? [
        { tp: spec.trafficPolicy, path: [...at, 'trafficPolicy'] },
        ...list(spec.trafficPolicy.portLevelSettings).map((e, k) => ({ tp: e, path: [...at, 'trafficPolicy', 'portLevelSettings', k] })),
      ]
    : [];
  for (const { tp, path } of policies) {
    if (!isObj(tp)) continue;
    for (const field of ['connectionPool', 'outlierDetection', 'loadBalancer', 'retryBudget'])
      if (tp[field] !== undefined) refuse([...path, field], 'an external host');
  }
  tlsModes(spec, at).forEach(({ mode, path }) => {
    if (mode === 'ISTIO_MUTUAL')
      ctx.report({ path, message: 'ISTIO_MUTUAL toward an external host is not simulated (it holds no mesh certificate): use SIMPLE or DISABLE' });
  });
}

/**
 * A DestinationRule for the egress gateway's own host (the Egress Gateways task's
 * egressgateway-for-cnn): its subsets name every gateway pod (no labels) and its trafficPolicy's tls
 * is the sidecar's TLS toward the gateway. The rest is refused by name rather than silently ignored.
 */
function egressGatewayRule(spec: Record<string, unknown>, at: (string | number)[], ctx: SectionContext): void {
  const refuse = (path: (string | number)[], what: string): void =>
    ctx.report({ path, message: `is not simulated toward the egress gateway${what}: only subsets without labels and trafficPolicy.tls are` });
  list(spec.subsets).forEach((sub, j) => {
    if (!isObj(sub)) return;
    if (sub.labels !== undefined) refuse([...at, 'subsets', j, 'labels'], ' (its pods have no versions)');
    if (sub.trafficPolicy !== undefined) refuse([...at, 'subsets', j, 'trafficPolicy'], " (a subset's own policy; set it on the rule's trafficPolicy)");
  });
  if (isObj(spec.trafficPolicy))
    for (const field of ['connectionPool', 'outlierDetection', 'loadBalancer', 'retryBudget', 'portLevelSettings'])
      if (spec.trafficPolicy[field] !== undefined) refuse([...at, 'trafficPolicy', field], '');
  tlsModes(spec, at).forEach(({ mode, path }) => {
    if (mode === 'SIMPLE') ctx.report({ path, message: 'SIMPLE toward the egress gateway is not simulated: use ISTIO_MUTUAL or DISABLE' });
  });
}

/**
 * A VirtualService match `port` for requests at a gateway: the port of the Gateway listener the
 * request arrived on (istio.io Egress Gateways task: `gateways: [istio-egressgateway], port: 80`).
 * FIDELITY E1. It must be a port one of the named Gateways serves the VirtualService's hosts on, and that
 * Gateway must serve them on one port only (mesh-sim gives a gateway one listener per host).
 */
function gatewayPortMatch(
  spec: Record<string, unknown>,
  m: Record<string, unknown>,
  path: (string | number)[],
  resources: readonly unknown[],
  ctx: SectionContext,
): void {
  const at = (Array.isArray(m.gateways) ? m.gateways : Array.isArray(spec.gateways) ? spec.gateways : ['mesh']).filter(
    (g): g is string => typeof g === 'string' && g !== 'mesh',
  );
  const hosts = list(spec.hosts);
  for (const name of at) {
    const ports = listenerPorts(resources, name, hosts);
    if (
      !resources.some(
        (g) => isObj(g) && g.kind === 'Gateway' && isObj(g.metadata) && [g.metadata.name, `${resourceNamespace(g)}/${str(g.metadata.name)}`].includes(name),
      )
    )
      ctx.report({ path, message: `is matched at Gateway ${describe(name)}, which no Gateway resource defines` });
    else if (ports.length > 1)
      ctx.report({ path, message: `is not simulated at Gateway ${describe(name)}: it serves these hosts on several ports (${ports.join(', ')})` });
    else if (!ports.includes(m.port as number))
      ctx.report({
        path,
        message: `${m.port as number} is not a port Gateway ${describe(name)} serves these hosts on${ports.length ? ` (it listens on ${ports.join(', ')})` : ''}`,
      });
  }
}

/** The ports Gateway `name` (name or namespace/name) serves any of `hosts` on (a server for `*` serves every host). */
function listenerPorts(resources: readonly unknown[], name: string, hosts: readonly unknown[]): number[] {
  const ports = resources.flatMap((g) => {
    if (!isObj(g) || g.kind !== 'Gateway' || !isObj(g.spec) || !isObj(g.metadata)) return [];
    const own = str(g.metadata.name);
    if (name !== own && name !== `${resourceNamespace(g)}/${own}`) return [];
    return list(g.spec.servers).flatMap((s) =>
      isObj(s) && isObj(s.port) && typeof s.port.number === 'number' && list(s.hosts).some((h) => h === '*' || hosts.includes(h)) ? [s.port.number] : [],
    );
  });
  return [...new Set(ports)];
}

/** A resource's namespace as written (default: default), where its short host names resolve. */
function resourceNamespace(r: { metadata?: unknown }): string {
  return (isObj(r.metadata) ? str(r.metadata.namespace) : undefined) ?? 'default';
}
