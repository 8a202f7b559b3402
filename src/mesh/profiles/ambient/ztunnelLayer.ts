/**
 * ztunnel's outbound side (FIDELITY-MORE H2, H7): L4 only. It resolves the service the app
 * dialled, detours service traffic through the service's waypoint when one is enrolled (H6), and
 * picks one endpoint per connection at random — no HTTP routes, retries, timeouts, outlier
 * detection or pool limits. With no endpoint the connection fails: the app sees a reset, not a 503.
 */
import type { Pod } from '../../types.ts';
import { addTried, type Exchange, type OutboundLayer, type Respond, type Handler } from '../../proxy/exchange.ts';
import type { Proxy } from '../../proxy/Proxy.ts';
import { defaultCause } from '../../cause.ts';

// FIDELITY-MORE H7: ztunnel src/state.rs load_balance picks a random healthy endpoint (uniform in
// 1.24.0; weighted by workload capacity in 1.30.3, and every capacity here is the default 1).
const RANDOM = defaultCause(
  'ztunnel: a random healthy endpoint per connection (not configurable; no outlier detection, no retries)',
  'FIDELITY-MORE H7: istio/ztunnel src/state.rs load_balance (1.24.0 uniform, 1.30.3 capacity-weighted)',
);
// FIDELITY-MORE H7: outbound.rs fails the connection with NoHealthyUpstream; the app sees it closed.
const NO_HEALTHY = defaultCause(
  'ztunnel: no healthy endpoint — the connection is closed (NoHealthyUpstream), not answered with a 503',
  'FIDELITY-MORE H7: istio/ztunnel src/proxy/outbound.rs',
);

/** The endpoint each app connection was sent to, per ztunnel life: balancing is per connection (H7). */
const sticky = new WeakMap<Proxy, { generation: number; byConnection: Map<string, Pod> }>();

function connectionPick(proxy: Proxy, connection: string | undefined, usable: Pod[]): { pod: Pod; reused: boolean } {
  let s = sticky.get(proxy);
  if (!s || s.generation !== proxy.generation) sticky.set(proxy, (s = { generation: proxy.generation, byConnection: new Map() }));
  const kept = connection === undefined ? undefined : s.byConnection.get(connection);
  if (kept && usable.includes(kept)) return { pod: kept, reused: true };
  const pod = usable[proxy.rng.int(usable.length)]!;
  if (connection !== undefined) s.byConnection.set(connection, pod);
  return { pod, reused: false };
}

/** The waypoints each ztunnel life has seen ready. */
const programmed = new WeakMap<Proxy, { generation: number; names: Set<string> }>();

/**
 * Whether `proxy` sends traffic through waypoint `name` yet. FIDELITY-MORE H6: istiod gives a
 * service its waypoint only once the waypoint's Gateway has an address, which it gets when the
 * waypoint's Deployment has a ready pod, and never takes it back (istio/istio
 * pilot/pkg/serviceregistry/ambient/waypoints.go gatewayToWaypointTransform, 1.30.3; kube/controller/
 * ambient/waypoints.go at 1.24.0). [inference] The ztunnel learns it with the push that carries the
 * waypoint's ready endpoint.
 */
function waypointProgrammed(proxy: Proxy, name: string): boolean {
  let p = programmed.get(proxy);
  if (!p || p.generation !== proxy.generation) programmed.set(proxy, (p = { generation: proxy.generation, names: new Set() }));
  if (p.names.has(name)) return true;
  if (proxy.endpointsOf(name).length === 0) return false;
  p.names.add(name);
  return true;
}

/**
 * The app's connection `downstream` is gone (closed by the app, or by a reset): its next request
 * comes on a new connection, which gets a new endpoint (FIDELITY-MORE H7: balancing is per connection).
 */
export function forgetAppConnection(proxy: Proxy, downstream: string): void {
  const s = sticky.get(proxy);
  if (s && s.generation === proxy.generation) s.byConnection.delete(downstream);
}

function pick(ex: Exchange, target: string, next: Handler, respond: Respond): void {
  const { world, proxy, req } = ex;
  // What istiod last sent: a pod that stopped answering stays until its readiness reaches WDS (H7).
  const usable = proxy.endpointsOf(target);
  if (usable.length === 0) {
    world.decide({
      node: proxy.node,
      layer: 'loadBalance',
      kind: 'no-endpoint',
      summary: `no healthy endpoint for ${target}: connection closed`,
      cause: NO_HEALTHY,
      requestId: req.id,
      attempt: ex.attempt,
    });
    return respond({ status: 0, failure: 'reset', reason: `connection reset: no healthy upstream for ${target}`, local: true, loopback: true, mtls: false });
  }
  const { pod, reused } = connectionPick(proxy, req.downstream, usable);
  ex.endpoint = pod;
  addTried(ex.request, pod.name);
  world.decide({
    node: proxy.node,
    layer: 'loadBalance',
    kind: 'endpoint',
    summary: reused ? `${pod.name}: the app's connection stays on the endpoint picked when it opened` : `${pod.name}, at random among ${usable.length}`,
    cause: RANDOM,
    requestId: req.id,
    attempt: ex.attempt,
  });
  const downstream = req.downstream;
  if (downstream === undefined) return next(ex, respond);
  // FIDELITY-MORE H4, H7: a reset of the inner connection closes the app's connection with it.
  next(ex, (res) => {
    if (res.status === 0) forgetAppConnection(proxy, downstream);
    respond(res);
  });
}

export const ztunnelOutboundLayer: OutboundLayer = {
  name: 'l4Destination',
  wrap: (next) => (ex, respond) => {
    const { world, proxy, req } = ex;
    const service = world.serviceByHost(req.host);
    if (!service) {
      const external = world.externalFor(req.host, req.port);
      // Outside hosts leave as plain TCP (no ServiceEntry routing at L4).
      if (external) {
        ex.external = external;
        return next(ex, respond);
      }
      return respond({ status: 0, failure: 'connect-failure', reason: `no address for ${req.host}`, local: true, loopback: true, mtls: false });
    }
    ex.service = service;
    const enrolled = proxy.config.waypointFor?.(service.name);
    const waypoint = enrolled && waypointProgrammed(proxy, enrolled.name) ? enrolled : undefined;
    const target = waypoint ? world.services.get(waypoint.name) : service;
    if (waypoint && target) {
      // FIDELITY-MORE H2: service traffic with a waypoint goes over HBONE to the waypoint, which routes it.
      world.decide({
        node: proxy.node,
        layer: 'route',
        kind: 'waypoint',
        summary: `${service.name} has waypoint ${waypoint.name}: the connection goes to the waypoint, which applies L7 policy and routing`,
        cause: waypoint.cause,
        requestId: req.id,
        attempt: ex.attempt,
      });
    }
    const dest = target ?? service;
    ex.backend = { service: dest.name, weight: 1 };
    world.controlPlane.discover(proxy, dest, () => pick(ex, dest.name, next, respond));
  },
};
