/**
 * Istio ambient's data plane (FIDELITY-MORE H1–H3, H6): a ztunnel on every Kubernetes node,
 * which captures the traffic of the ambient pods on its node and holds a certificate per identity
 * of those pods; waypoints (Envoy, alone in their pod) in front of the services enrolled to them;
 * Istio's gateways at the edge as in sidecar mode. Between them, HBONE: mTLS HTTP/2 CONNECT
 * tunnels to port 15008 carrying up to 100 streams (H2). An unmeshed destination gets plain TCP.
 */
import type { DataPlane, Hop, IdentitySpec, ProxySpec } from '../../dataPlane.ts';
import type { Pod } from '../../types.ts';
import type { World } from '../../world.ts';
import { GATEWAY_STACK, L7_OUTBOUND, SIDECAR_STACK } from '../../proxy/pipeline.ts';
import { mtlsOriginationLayer } from '../../proxy/layers/mtlsOriginationLayer.ts';
import { mtlsTerminationLayer } from '../../proxy/layers/mtlsTerminationLayer.ts';
import { reassertTrackedConnections, untrackAppConnection, ztunnelAuthorizationLayer } from './ztunnelInbound.ts';
import { waypointAuthorizationLayer } from './waypointAuthz.ts';
import { ztunnelOutboundLayer } from './ztunnelLayer.ts';
import { compileWaypoints, waypointNames } from './waypoints.ts';
import { scenarioAfter } from '../../changes.ts';

/** The ztunnel on Kubernetes node `node` (a DaemonSet pod in istio-system). */
export const ztunnelName = (node: string): string => `ztunnel-${node}`;

/** FIDELITY-MORE H2: HBONE = HTTP/2 CONNECT over mTLS to 15008; POOL_MAX_STREAMS_PER_CONNECTION 100 (istio/ztunnel src/config.rs, 1.24.0–1.30.3). */
export const HBONE = { protocol: 'HBONE', maxStreams: 100, port: 15008 } as const;

const ztunnelOf = (world: World, pod: Pod) => world.proxies.get(ztunnelName(pod.nodeName));
const proxyIn = (world: World, pod: Pod) => world.proxiesIn.get(pod.name)?.[0];

/**
 * A workload whose service asks for sidecars (`dataPlane: sidecar`, Istio's istio-injection=enabled
 * namespace label) in an ambient mesh: an Envoy in the pod, not the node's ztunnel. FIDELITY-MORE
 * H8: a pod labelled for both gets the sidecar ("sidecar injection wins").
 */
export const hasSidecar = (pod: Pod): boolean => pod.meshed && pod.role === 'workload' && pod.service.spec.dataPlane === 'sidecar';
/** The proxy that receives traffic for a meshed workload: its sidecar, or its node's ztunnel. */
const receiverOf = (world: World, pod: Pod) => (hasSidecar(pod) ? proxyIn(world, pod) : world.proxies.get(ztunnelName(pod.nodeName)));
const isWaypoint = (world: World, pod: Pod): boolean => pod.role === 'gateway' && waypointNames(world.scenario).has(pod.service.name);

/** Hops are the same for a run: made once per endpoint, for senders other than sidecars and for sidecars. */
const hops = new WeakMap<Pod, Hop>();
const sidecarHops = new WeakMap<Pod, Hop>();

export const ambientDataPlane: DataPlane = {
  proxies: (world) => {
    const pods = [...world.pods.values()];
    const ztunnels = world.clusterNodes.map((node): ProxySpec => {
      const name = ztunnelName(node);
      const local = pods.filter((p) => p.meshed && p.role === 'workload' && !hasSidecar(p) && p.nodeName === node);
      // FIDELITY-MORE H3: one certificate per service account of the pods on this node, and no other.
      const identities = new Map<string, IdentitySpec>();
      for (const p of local) {
        const id = identities.get(p.identity!);
        if (id) id.pods.push(p);
        else
          identities.set(p.identity!, {
            identity: p.identity!,
            serviceAccount: p.serviceAccount,
            namespace: p.namespace,
            key: `${name}/${p.serviceAccount}.${p.namespace}`,
            pods: [p],
          });
      }
      return {
        kind: 'node',
        name,
        node: `${node}/ztunnel`,
        label: `ztunnel on ${node}`,
        namespace: 'istio-system',
        nodeName: node,
        actsFor: 'workloads',
        pods: local,
        services: [],
        identities: [...identities.values()],
      };
    });
    // The waypoint enrollment of each version of the config: as written, then after each change.
    let enrolled: ReturnType<typeof compileWaypoints>[] | undefined;
    const versions = () =>
      (enrolled ??= Array.from({ length: world.scenario.changes.length + 1 }, (_, k) => compileWaypoints(scenarioAfter(world.scenario, k))));
    const alone = pods
      .filter((p) => p.meshed && p.role === 'gateway')
      .map((pod): ProxySpec => {
        const waypoint = isWaypoint(world, pod);
        return {
          kind: waypoint ? 'waypoint' : 'gateway',
          name: pod.name,
          node: pod.appNode,
          label: waypoint ? (pod.service.name === 'waypoint' ? 'waypoint' : `waypoint ${pod.service.name}`) : pod.name,
          namespace: pod.namespace,
          nodeName: pod.nodeName,
          pod,
          actsFor: 'self',
          workload: pod,
          pods: [pod],
          // A waypoint serves the services enrolled to it in any version of the config (a changes[] step may enroll one later).
          services: waypoint
            ? world.scenario.services.filter((s) => versions().some((w) => w(s.name)?.name === pod.service.name)).map((s) => s.name)
            : [pod.service.name],
          identities: [{ identity: pod.identity!, serviceAccount: pod.serviceAccount, namespace: pod.namespace, key: pod.name, pods: [pod] }],
          ...(pod.edge ? { edge: pod.edge } : {}),
        };
      });
    // FIDELITY-MORE H8: sidecar and ambient pods coexist; a sidecar pod keeps its own Envoy and identity.
    const sidecars = pods.filter(hasSidecar).map((pod): ProxySpec => ({
      kind: 'sidecar',
      name: pod.name,
      node: `${pod.name}/proxy`,
      label: `${pod.name} proxy`,
      namespace: pod.namespace,
      nodeName: pod.nodeName,
      pod,
      actsFor: 'self',
      workload: pod,
      pods: [pod],
      services: [],
      identities: [{ identity: pod.identity!, serviceAccount: pod.serviceAccount, namespace: pod.namespace, key: pod.name, pods: [pod] }],
    }));
    return [...ztunnels, ...alone, ...sidecars];
  },
  // FIDELITY-MORE H2: in-pod redirection sends an ambient pod's traffic to its node's ztunnel.
  capture: (world, pod) => (!pod.meshed ? undefined : pod.role === 'workload' && !hasSidecar(pod) ? ztunnelOf(world, pod) : proxyIn(world, pod)),
  nextHop: (world, from, endpoint): Hop => {
    // An app outside the mesh connects in plain TCP; the destination's ztunnel takes it in (H5: PERMISSIVE by default).
    if (!from) {
      const proxy = endpoint.meshed ? (endpoint.role === 'workload' ? receiverOf(world, endpoint) : proxyIn(world, endpoint)) : undefined;
      return { proxy, node: proxy ? proxy.node : endpoint.appNode, key: endpoint.name, name: endpoint.name, identity: endpoint.identity, life: endpoint };
    }
    const fromSidecar = from.kind === 'sidecar';
    const cache = fromSidecar ? sidecarHops : hops;
    let hop = cache.get(endpoint);
    if (hop) return hop;
    if (!endpoint.meshed) {
      // FIDELITY-MORE H2 step 3: a destination that is not HBONE-capable gets plain TCP.
      hop = { proxy: undefined, node: endpoint.appNode, key: endpoint.name, name: endpoint.name, identity: undefined, life: endpoint };
    } else if (endpoint.role === 'gateway') {
      // A waypoint (or a gateway) terminates HBONE itself, on its own 15008 (H6).
      const proxy = proxyIn(world, endpoint)!;
      hop = { proxy, node: proxy.node, key: proxy.name, name: proxy.name, identity: endpoint.identity, life: endpoint, tunnel: HBONE };
    } else if (hasSidecar(endpoint)) {
      const proxy = proxyIn(world, endpoint)!;
      hop = fromSidecar
        ? // [inference] sidecar to sidecar stays Istio's sidecar mTLS, as in sidecar mode (FIDELITY-MORE H8 names HBONE only toward ambient pods).
          { proxy, node: proxy.node, key: endpoint.name, name: endpoint.name, identity: endpoint.identity, life: endpoint }
        : // FIDELITY-MORE H2 step 3: toward an HBONE-capable destination ("in ambient, or a sidecar") ztunnel opens HBONE to the pod's 15008, which its sidecar serves.
          { proxy, node: proxy.node, key: endpoint.name, name: endpoint.name, identity: endpoint.identity, life: endpoint, tunnel: HBONE };
    } else {
      // FIDELITY-MORE H2: HBONE to the destination pod's 15008, served by its node's ztunnel with the pod's identity.
      // FIDELITY-MORE H8: a sidecar client toward an ambient pod uses HBONE too (ISTIO_META_ENABLE_HBONE, set by the ambient profile).
      const proxy = ztunnelOf(world, endpoint)!;
      hop = { proxy, node: proxy.node, key: `${proxy.name}/${endpoint.identity}`, name: proxy.name, identity: endpoint.identity, life: proxy, tunnel: HBONE };
    }
    cache.set(endpoint, hop);
    return hop;
  },
  stacks: {
    // FIDELITY-MORE H1, H7: L4 only — destination, endpoint, HBONE; inbound mTLS and L4 policy per connection (H4).
    node: { outbound: [ztunnelOutboundLayer, mtlsOriginationLayer], inbound: [mtlsTerminationLayer, ztunnelAuthorizationLayer], onward: 'app' },
    // FIDELITY-MORE H6: a waypoint applies L7 policy, then routes like a sidecar's outbound side.
    waypoint: { outbound: L7_OUTBOUND, inbound: [mtlsTerminationLayer, waypointAuthorizationLayer], onward: 'forward' },
    gateway: GATEWAY_STACK,
    // FIDELITY-MORE H8: a sidecar in an ambient mesh is Istio's sidecar (FIDELITY F1); it bypasses waypoints (H2: traffic from sidecars does not go through waypoints).
    sidecar: SIDECAR_STACK,
  },
  // FIDELITY-MORE H4: a ztunnel that gets new policy closes the tracked connections it no longer allows.
  configApplied: (world, proxy) => {
    if (proxy.kind === 'node') reassertTrackedConnections(world, proxy);
  },
  appConnectionClosed: untrackAppConnection,
};
