/**
 * The sidecar data plane (Istio sidecar mode, Linkerd): a proxy inside every meshed pod, which
 * iptables sends all of the pod's traffic through — outbound from its app, inbound to it
 * (FIDELITY F1, F2) — and gateways at the edge, which are a proxy alone in their pod (FIDELITY
 * E1). A connection toward an endpoint goes to that pod's own proxy, or to its app when it has
 * none; each proxy holds one certificate, its pod's identity.
 */
import type { DataPlane, Hop, ProxySpec } from '../dataPlane.ts';
import type { Pod } from '../types.ts';
import type { World } from '../world.ts';
import { GATEWAY_STACK, SIDECAR_STACK } from './pipeline.ts';

/** The proxy inside `pod`, if it has one. */
const proxyIn = (world: World, pod: Pod) => (pod.meshed ? world.proxiesIn.get(pod.name)?.[0] : undefined);

/** The hop toward each pod: the same for every attempt of a run, so made once per pod (pods belong to one run). */
const hops = new WeakMap<Pod, Hop>();

export const sidecarDataPlane: DataPlane = {
  proxies: (world) =>
    [...world.pods.values()]
      .filter((pod) => pod.meshed && pod.role !== 'client')
      .map((pod): ProxySpec => {
        const gateway = pod.role === 'gateway';
        return {
          kind: gateway ? 'gateway' : 'sidecar',
          name: pod.name,
          // A gateway pod is the proxy alone: its node is the pod's.
          node: gateway ? pod.appNode : `${pod.name}/proxy`,
          label: gateway ? pod.name : `${pod.name} proxy`,
          namespace: pod.namespace,
          nodeName: pod.nodeName,
          pod,
          actsFor: 'self',
          workload: pod,
          pods: [pod],
          services: gateway ? [pod.service.name] : [],
          identities: [{ identity: pod.identity!, serviceAccount: pod.serviceAccount, namespace: pod.namespace, key: pod.name, pods: [pod] }],
          ...(gateway && pod.edge ? { edge: pod.edge } : {}),
        };
      }),
  capture: proxyIn,
  nextHop: (world, _from, endpoint): Hop => {
    let hop = hops.get(endpoint);
    if (!hop) {
      const proxy = proxyIn(world, endpoint);
      hop = { proxy, node: proxy ? proxy.node : endpoint.appNode, key: endpoint.name, name: endpoint.name, identity: endpoint.identity, life: endpoint };
      hops.set(endpoint, hop);
    }
    return hop;
  },
  stacks: { sidecar: SIDECAR_STACK, gateway: GATEWAY_STACK },
};
