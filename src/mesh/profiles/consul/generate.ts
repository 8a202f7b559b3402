/**
 * Consul config entries generated from the scenario's mesh-neutral `policies` and `ingress` — what
 * a user would `kubectl apply` to get that intent in Consul. An intent Consul cannot express is a
 * note the run shows, never a silent drop.
 *
 * - mtls: strict is Consul's default (FIDELITY-MORE I3) → ProxyDefaults mutualTLSMode strict;
 *   permissive → the Mesh entry's consent plus ProxyDefaults permissive; off cannot be said.
 * - retries, timeouts → ServiceDefaults protocol http (routers need it, I5) and a ServiceRouter
 *   whose catch-all route carries numRetries, retryOn… and requestTimeout (I6). Consul has no
 *   per-try timeout.
 * - circuitBreaking → the callers' ServiceDefaults upstreamConfig.overrides: limits and
 *   passiveHealthCheck (I7). The limits belong to the calling proxy, so each caller gets them.
 * - loadBalancing → ServiceResolver loadBalancer.policy (I8).
 * - egress → Mesh meshDestinationsOnly for registry-only; each allowed host a transparent-proxy
 *   destination (ServiceDefaults destination) linked by a TerminatingGateway (I9).
 * - ingress → an API gateway: a Gateway of class consul and an HTTPRoute (I9).
 */
import type { ConsulResource, LoadedScenario } from '../../../scenario/index.ts';
import { podNames, serviceOfHost } from '../../../scenario/index.ts';
import type { SourcedResource } from '../resources.ts';
import type { PolicyNote } from './entries.ts';

const API = 'consul.hashicorp.com/v1alpha1';
/** The API gateway and terminating gateway mesh-sim deploys for the mesh-neutral intent. */
export const CONSUL_API_GATEWAY = 'api-gateway';
export const CONSUL_TERMINATING_GATEWAY = 'terminating-gateway';

type Generated = SourcedResource<ConsulResource>;

/** The name a destination outside the mesh gets: its host with dots as dashes. */
export const destinationName = (host: string): string => host.replace(/\./g, '-');
const portOf = (h: { port?: number | undefined; protocol: 'http' | 'https' }): number => h.port ?? (h.protocol === 'https' ? 443 : 80);

/** Services that send requests to `service`: traffic sources and callers in `services[].calls`. */
export function callersOf(scenario: LoadedScenario, service: string): string[] {
  const out = new Set<string>();
  const serviceOfPod = (from: string): string | undefined =>
    scenario.services.find((s) => s.name === from)?.name ?? scenario.services.find((s) => podNames(s.name, s.replicas, s.versions).includes(from))?.name;
  for (const t of scenario.traffic) {
    if (serviceOfHost(t.to, scenario.services) !== service) continue;
    const from = serviceOfPod(t.from);
    if (from) out.add(from);
  }
  for (const s of scenario.services) if (s.calls.some((c) => serviceOfHost(c.to, scenario.services) === service)) out.add(s.name);
  return [...out].filter((s) => s !== service);
}

export function generateConsul(scenario: LoadedScenario): { resources: Generated[]; notes: PolicyNote[] } {
  const out: Generated[] = [];
  const notes: PolicyNote[] = [];
  const p = scenario.policies;
  const push = (resource: unknown, path: string): void => void out.push({ resource: resource as ConsulResource, path, generated: true });

  // One Mesh entry for everything the intent asks of it.
  const mesh: { spec: Record<string, unknown>; path: string | undefined } = { spec: {}, path: undefined };
  if (p.mtls === 'strict') push({ apiVersion: API, kind: 'ProxyDefaults', metadata: { name: 'global' }, spec: { mutualTLSMode: 'strict' } }, 'policies.mtls');
  if (p.mtls === 'permissive') {
    mesh.spec.allowEnablingPermissiveMutualTLS = true;
    mesh.path = 'policies.mtls';
    push({ apiVersion: API, kind: 'ProxyDefaults', metadata: { name: 'global' }, spec: { mutualTLSMode: 'permissive' } }, 'policies.mtls');
  }
  if (p.mtls === 'off')
    notes.push({ path: 'policies.mtls', message: 'Consul cannot turn mTLS off between sidecars (FIDELITY-MORE I3); permissive is the closest it comes' });

  // Retries and timeouts: one ServiceRouter per service with a catch-all route.
  const routers = new Map<string, { destination: Record<string, unknown>; path: string }>();
  const needsHttp = new Map<string, string>();
  const routeFor = (service: string, path: string): Record<string, unknown> => {
    let r = routers.get(service);
    if (!r) routers.set(service, (r = { destination: {}, path }));
    needsHttp.set(service, needsHttp.get(service) ?? path);
    return r.destination;
  };
  (p.retries ?? []).forEach((r, i) => {
    if (r.attempts === 0) return; // FIDELITY-MORE I6: no retries is Consul's default; nothing to write
    const d = routeFor(r.service, `policies.retries[${i}]`);
    d.numRetries = r.attempts;
    const on = r.on ?? ['5xx'];
    const words = on.filter((c) => typeof c === 'string' && c !== 'connect-failure');
    if (words.length) d.retryOn = words;
    if (on.includes('connect-failure')) d.retryOnConnectFailure = true;
    const codes = on.filter((c): c is number => typeof c === 'number');
    if (codes.length) d.retryOnStatusCodes = codes;
    if (r.perTryTimeout !== undefined)
      notes.push({
        path: `policies.retries[${i}].perTryTimeout`,
        message: 'Consul’s service-router has no per-try timeout (FIDELITY-MORE I6): each attempt runs until the request timeout',
      });
  });
  (p.timeouts ?? []).forEach((t, i) => {
    routeFor(t.service, `policies.timeouts[${i}]`).requestTimeout = t.request;
  });

  // Circuit breaking: upstream limits and passive health checks in each caller's ServiceDefaults.
  const callerDefaults = new Map<string, { overrides: Record<string, unknown>[]; path: string }>();
  (p.circuitBreaking ?? []).forEach((c, i) => {
    const path = `policies.circuitBreaking[${i}]`;
    const limits = {
      ...(c.maxConnections !== undefined ? { maxConnections: c.maxConnections } : {}),
      ...(c.maxPending !== undefined ? { maxPendingRequests: c.maxPending } : {}),
      ...(c.maxRequests !== undefined ? { maxConcurrentRequests: c.maxRequests } : {}),
    };
    const health = {
      ...(c.consecutiveErrors !== undefined ? { maxFailures: c.consecutiveErrors } : {}),
      ...(c.ejection !== undefined ? { baseEjectionTime: c.ejection } : {}),
    };
    const override = {
      name: c.service,
      ...(Object.keys(limits).length ? { limits } : {}),
      ...(Object.keys(health).length ? { passiveHealthCheck: health } : {}),
    };
    const callers = callersOf(scenario, c.service);
    if (callers.length === 0) notes.push({ path, message: `no service calls ${c.service}: Consul's limits belong to the calling service's ServiceDefaults` });
    for (const caller of callers) {
      let d = callerDefaults.get(caller);
      if (!d) callerDefaults.set(caller, (d = { overrides: [], path }));
      d.overrides.push(override);
    }
  });

  // ServiceDefaults: protocol for routed services, upstream overrides for callers.
  const defaultsNames = [...new Set([...needsHttp.keys(), ...callerDefaults.keys()])];
  for (const name of defaultsNames) {
    const spec: Record<string, unknown> = {};
    if (needsHttp.has(name)) spec.protocol = 'http';
    const caller = callerDefaults.get(name);
    if (caller) spec.upstreamConfig = { overrides: caller.overrides };
    push({ apiVersion: API, kind: 'ServiceDefaults', metadata: { name }, spec }, needsHttp.get(name) ?? caller!.path);
  }
  for (const [service, { destination, path }] of routers)
    push({ apiVersion: API, kind: 'ServiceRouter', metadata: { name: service }, spec: { routes: [{ destination }] } }, path);

  const policy = { 'least-request': 'least_request', 'round-robin': 'round_robin', random: 'random' } as const;
  (p.loadBalancing ?? []).forEach((l, i) =>
    push(
      { apiVersion: API, kind: 'ServiceResolver', metadata: { name: l.service }, spec: { loadBalancer: { policy: policy[l.algorithm] } } },
      `policies.loadBalancing[${i}]`,
    ),
  );

  const egress = p.egress;
  if (egress) {
    if (egress.mode === 'registry-only') {
      mesh.spec.transparentProxy = { meshDestinationsOnly: true };
      mesh.path ??= 'policies.egress.mode';
    }
    // Under registry-only the only way out is a destination behind a terminating gateway; with
    // `gateway` the allowed hosts go through it under allow-any too.
    if (egress.mode === 'registry-only' || egress.gateway) {
      // A destination has one port (consul-k8s ServiceDefaults Destination.Port): a host on two
      // ports is two destinations, the second named with its port.
      const hosts = egress.allow.flatMap((h) => scenario.external.filter((e) => e.host === h));
      const name = (h: (typeof hosts)[number]): string =>
        hosts.find((e) => e.host === h.host) === h ? destinationName(h.host) : `${destinationName(h.host)}-${portOf(h)}`;
      for (const h of hosts)
        push(
          {
            apiVersion: API,
            kind: 'ServiceDefaults',
            metadata: { name: name(h) },
            spec: { destination: { addresses: [h.host], port: portOf(h) } },
          },
          'policies.egress.allow',
        );
      if (hosts.length)
        push(
          {
            apiVersion: API,
            kind: 'TerminatingGateway',
            metadata: { name: CONSUL_TERMINATING_GATEWAY },
            spec: { services: hosts.map((h) => ({ name: name(h) })) },
          },
          'policies.egress.allow',
        );
    }
  }

  if (mesh.path) push({ apiVersion: API, kind: 'Mesh', metadata: { name: 'mesh' }, spec: mesh.spec }, mesh.path);

  const ing = scenario.ingress;
  if (ing) {
    push(
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: CONSUL_API_GATEWAY },
        spec: { gatewayClassName: 'consul', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: ing.host }] },
      },
      'ingress',
    );
    push(
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'ingress' },
        spec: {
          parentRefs: [{ name: CONSUL_API_GATEWAY, kind: 'Gateway' }],
          hostnames: [ing.host],
          rules: ing.routes.map((r) => ({ matches: [{ path: { type: 'PathPrefix', value: r.pathPrefix } }], backendRefs: [{ name: r.service, weight: 1 }] })),
        },
      },
      'ingress',
    );
  }
  return { resources: out, notes };
}
