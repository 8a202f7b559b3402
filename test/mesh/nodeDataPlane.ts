/**
 * A small data plane that exists only for tests, to show that the engine takes a data plane
 * other than sidecars: one proxy per Kubernetes node, shaped like Istio's ztunnel in ambient mode
 * (FIDELITY-MORE H1–H3), in the simplest form.
 *
 * - Every meshed pod's traffic is captured by its node's proxy (H2: in-pod redirection).
 * - The node proxy holds one certificate per identity of the pods on its node, and no other
 *   (H3: the CA issues an identity only to the node where a pod with it runs).
 * - Toward a meshed endpoint it opens a tunnel to the endpoint node's proxy: mTLS, presenting the
 *   calling pod's identity, answered with the destination pod's — HTTP/2 CONNECT streams, up to
 *   100 on one connection (H2: HBONE, port 15008, POOL_MAX_STREAMS_PER_CONNECTION).
 * - Its outbound layers are L4: the destination service, then the endpoint, then the tunnel (no
 *   routes, retries or timeouts: H7); inbound it terminates mTLS and applies policy (H4).
 *
 * The ambient profile (issue 13) starts from this; it is not a mesh a learner can pick.
 */
import type { DataPlane, Hop, IdentitySpec, ProxySpec } from '../../src/mesh/dataPlane.ts';
import type { MeshProfile } from '../../src/mesh/profiles/types.ts';
import type { OutboundLayer } from '../../src/mesh/proxy/exchange.ts';
import type { Pod } from '../../src/mesh/types.ts';
import type { World } from '../../src/mesh/world.ts';
import { istioProfile } from '../../src/mesh/profiles/istio.ts';
import { loadBalanceLayer } from '../../src/mesh/proxy/layers/loadBalanceLayer.ts';
import { mtlsOriginationLayer } from '../../src/mesh/proxy/layers/mtlsOriginationLayer.ts';
import { mtlsTerminationLayer } from '../../src/mesh/proxy/layers/mtlsTerminationLayer.ts';
import { authorizationLayer } from '../../src/mesh/proxy/layers/authorizationLayer.ts';

/** The node proxy's name on `node`. */
export const nodeProxyName = (node: string): string => `nodeproxy-${node}`;

/**
 * L4 destination: the service the app dialled (its ClusterIP), as one backend — no HTTP routes.
 * The control plane is asked for its endpoints first, as the route layer would.
 */
const l4DestinationLayer: OutboundLayer = {
  name: 'l4Destination',
  wrap: (next) => (ex, respond) => {
    const { world, proxy, req } = ex;
    const service = world.serviceByHost(req.host);
    if (!service) return respond({ status: 0, failure: 'connect-failure', reason: `no service ${req.host}`, mtls: false });
    ex.service = service;
    ex.backend = { service: service.name, weight: 1 };
    world.controlPlane.discover(proxy, service, () => next(ex, respond));
  },
};

const nodeProxyOf = (world: World, pod: Pod) => world.proxies.get(nodeProxyName(pod.nodeName));

export const nodeDataPlane: DataPlane = {
  proxies: (world) =>
    world.clusterNodes.map((node): ProxySpec => {
      const name = nodeProxyName(node);
      const pods = [...world.pods.values()].filter((p) => p.meshed && p.role === 'workload' && p.nodeName === node);
      // One certificate per identity of the pods on this node (H3).
      const identities = new Map<string, IdentitySpec>();
      for (const p of pods) {
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
        node: `${node}/node-proxy`,
        label: `node proxy on ${node}`,
        namespace: 'istio-system',
        nodeName: node,
        actsFor: 'workloads',
        pods,
        services: [],
        identities: [...identities.values()],
      };
    }),
  capture: (world, pod) => (pod.meshed ? nodeProxyOf(world, pod) : undefined),
  nextHop: (world, _from, endpoint): Hop => {
    const proxy = endpoint.meshed ? nodeProxyOf(world, endpoint) : undefined;
    if (!proxy) return { proxy: undefined, node: endpoint.appNode, key: endpoint.name, name: endpoint.name, identity: undefined, life: endpoint };
    return {
      proxy,
      node: proxy.node,
      // One tunnel per pair of identities and destination proxy (H2: the pool key).
      key: `${proxy.name}/${endpoint.identity}`,
      name: proxy.name,
      identity: endpoint.identity,
      life: proxy,
      tunnel: { protocol: 'HBONE', maxStreams: 100, port: 15008 },
    };
  },
  stacks: {
    node: { outbound: [l4DestinationLayer, loadBalanceLayer, mtlsOriginationLayer], inbound: [mtlsTerminationLayer, authorizationLayer], onward: 'app' },
  },
};

/** Istio's control plane, identity and config, with node proxies instead of sidecars. */
export const nodeProxyProfile: MeshProfile = {
  ...istioProfile,
  id: 'node-proxy-test',
  name: 'Node proxies (test)',
  dataPlane: nodeDataPlane,
  injection: (pod) => ({
    injected: false,
    summary: `${pod.name} gets no sidecar: its node's proxy captures its traffic`,
    cause: { config: 'test data plane', isDefault: true, source: 'FIDELITY-MORE H1: ambient pods need no restart or injection' },
  }),
};
