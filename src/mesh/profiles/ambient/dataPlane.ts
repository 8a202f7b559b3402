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
import { GATEWAY_STACK, L7_OUTBOUND } from '../../proxy/pipeline.ts';
import { mtlsOriginationLayer } from '../../proxy/layers/mtlsOriginationLayer.ts';
import { mtlsTerminationLayer } from '../../proxy/layers/mtlsTerminationLayer.ts';
import { authorizationLayer } from '../../proxy/layers/authorizationLayer.ts';
import { waypointAuthorizationLayer } from './waypointAuthz.ts';
import { ztunnelOutboundLayer } from './ztunnelLayer.ts';
import { waypointNames } from './waypoints.ts';

/** The ztunnel on Kubernetes node `node` (a DaemonSet pod in istio-system). */
export const ztunnelName = (node: string): string => `ztunnel-${node}`;

/** FIDELITY-MORE H2: HBONE = HTTP/2 CONNECT over mTLS to 15008; POOL_MAX_STREAMS_PER_CONNECTION 100 (istio/ztunnel src/config.rs, 1.24.0–1.30.3). */
export const HBONE = { protocol: 'HBONE', maxStreams: 100, port: 15008 } as const;

const ztunnelOf = (world: World, pod: Pod) => world.proxies.get(ztunnelName(pod.nodeName));
const proxyIn = (world: World, pod: Pod) => world.proxiesIn.get(pod.name)?.[0];
const isWaypoint = (world: World, pod: Pod): boolean => pod.role === 'gateway' && waypointNames(world.scenario).has(pod.service.name);

/** Hops are the same for a run: made once per (endpoint) or (endpoint, waypoint). */
const hops = new WeakMap<Pod, Hop>();

export const ambientDataPlane: DataPlane = {
  proxies: (world) => {
    const pods = [...world.pods.values()];
    const ztunnels = world.clusterNodes.map((node): ProxySpec => {
      const name = ztunnelName(node);
      const local = pods.filter((p) => p.meshed && p.role === 'workload' && p.nodeName === node);
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
          services: waypoint
            ? world.scenario.services.filter((s) => world.configs[0]?.waypointFor?.(s.name)?.name === pod.service.name).map((s) => s.name)
            : [pod.service.name],
          identities: [{ identity: pod.identity!, serviceAccount: pod.serviceAccount, namespace: pod.namespace, key: pod.name, pods: [pod] }],
          ...(pod.edge ? { edge: pod.edge } : {}),
        };
      });
    return [...ztunnels, ...alone];
  },
  // FIDELITY-MORE H2: in-pod redirection sends an ambient pod's traffic to its node's ztunnel.
  capture: (world, pod) => (!pod.meshed ? undefined : pod.role === 'workload' ? ztunnelOf(world, pod) : proxyIn(world, pod)),
  nextHop: (world, from, endpoint): Hop => {
    // An app outside the mesh connects in plain TCP; the destination's ztunnel takes it in (H5: PERMISSIVE by default).
    if (!from) {
      const proxy = endpoint.meshed ? (endpoint.role === 'workload' ? ztunnelOf(world, endpoint) : proxyIn(world, endpoint)) : undefined;
      return { proxy, node: proxy ? proxy.node : endpoint.appNode, key: endpoint.name, name: endpoint.name, identity: endpoint.identity, life: endpoint };
    }
    let hop = hops.get(endpoint);
    if (hop) return hop;
    if (!endpoint.meshed) {
      // FIDELITY-MORE H2 step 3: a destination that is not HBONE-capable gets plain TCP.
      hop = { proxy: undefined, node: endpoint.appNode, key: endpoint.name, name: endpoint.name, identity: undefined, life: endpoint };
    } else if (endpoint.role === 'gateway') {
      // A waypoint (or a gateway) terminates HBONE itself, on its own 15008 (H6).
      const proxy = proxyIn(world, endpoint)!;
      hop = { proxy, node: proxy.node, key: proxy.name, name: proxy.name, identity: endpoint.identity, life: endpoint, tunnel: HBONE };
    } else {
      // FIDELITY-MORE H2: HBONE to the destination pod's 15008, served by its node's ztunnel with the pod's identity.
      const proxy = ztunnelOf(world, endpoint)!;
      hop = { proxy, node: proxy.node, key: `${proxy.name}/${endpoint.identity}`, name: proxy.name, identity: endpoint.identity, life: proxy, tunnel: HBONE };
    }
    hops.set(endpoint, hop);
    return hop;
  },
  stacks: {
    // FIDELITY-MORE H1, H7: L4 only — destination, endpoint, HBONE; inbound mTLS and L4 policy (H4).
    node: { outbound: [ztunnelOutboundLayer, mtlsOriginationLayer], inbound: [mtlsTerminationLayer, authorizationLayer], onward: 'app' },
    // FIDELITY-MORE H6: a waypoint applies L7 policy, then routes like a sidecar's outbound side.
    waypoint: { outbound: L7_OUTBOUND, inbound: [mtlsTerminationLayer, waypointAuthorizationLayer], onward: 'forward' },
    gateway: GATEWAY_STACK,
  },
};
