/**
 * A data plane: the proxies a mesh runs and how traffic moves through them. Each profile supplies
 * one ({@link MeshProfile.dataPlane}); the rest of the engine asks it and never assumes that a pod
 * has a sidecar. It answers four questions:
 *
 * 1. Which proxies exist ({@link DataPlane.proxies}): a sidecar in each meshed pod, gateways at
 *    the edge, a proxy per Kubernetes node, waypoints in front of services — each with the
 *    identities it holds certificates for.
 * 2. How a pod's outbound traffic is captured ({@link DataPlane.capture}): to its own sidecar,
 *    to its node's proxy, or not at all (the app connects by itself).
 * 3. The next hop toward an endpoint ({@link DataPlane.nextHop}): the endpoint's sidecar, the
 *    endpoint node's proxy, a waypoint; plain or tunnelled.
 * 4. The layer stack of each kind of proxy ({@link DataPlane.stacks}), which the pipeline
 *    composes (proxy/pipeline.ts).
 */
import type { NodeId, ProxyKind } from '../sim/index.ts';
import type { Pod, Workload } from './types.ts';
import type { World } from './world.ts';
import type { Proxy } from './proxy/Proxy.ts';
import type { InboundLayer, OutboundLayer } from './proxy/exchange.ts';

export type { ProxyKind };

/** An identity a proxy holds a certificate for. */
export interface IdentitySpec {
  /** What the certificate names (`spiffe://cluster.local/ns/default/sa/reviews`). */
  identity: string;
  serviceAccount: string;
  namespace: string;
  /**
   * Name of its certificate in machine entities and the report (`cert:<key>`): the pod's name for
   * a sidecar's one certificate; `<proxy>/<sa>.<ns>` style for a proxy holding several.
   */
  key: string;
  /** The pods running under this identity that the proxy serves (a certificate fault names one). */
  pods: Pod[];
}

/** One proxy of the data plane, as the data plane declares it. */
export interface ProxySpec {
  kind: ProxyKind;
  /** Entities, links and the report call it this: the pod's name for a sidecar or a gateway. */
  name: string;
  /** Its drawable node in the trace: flights start and end there. */
  node: NodeId;
  /** Words for the picture and the inspector (`reviews-0 proxy`, `ztunnel on node-1`). */
  label: string;
  namespace: string;
  /** The Kubernetes node it runs on. */
  nodeName: string;
  /** The pod it runs in, and starts and stops with (a sidecar's pod, a gateway's own). Without one it runs from the start. */
  pod?: Pod;
  /**
   * Whose identity and address the proxy sends with: `self` (its own, or its pod's — a sidecar,
   * a gateway, a waypoint) or `workloads` (each client pod's own — a node proxy acting for the
   * pods of its node, FIDELITY-MORE H3).
   */
  actsFor: 'self' | 'workloads';
  /** The workload whose identity a `self` proxy presents (its pod, or the proxy's own Deployment). */
  workload?: Workload;
  /** Pods whose traffic it handles. */
  pods: Pod[];
  /** Services it serves (a waypoint's, a gateway's own). */
  services: string[];
  /** Identities it holds certificates for. */
  identities: IdentitySpec[];
  /** For a gateway: which way traffic goes through it. */
  edge?: 'ingress' | 'egress';
}

/** Where a connection toward an endpoint goes, as the data plane routes it. */
export interface Hop {
  /** The proxy that accepts the connection (the endpoint's sidecar, its node's proxy, a waypoint); none when the app does. */
  proxy: Proxy | undefined;
  /** Where the connection ends in the trace: that proxy's node, or the app's. */
  node: NodeId;
  /** Connections to the same key (from the same client identity, with the same TLS choice) are shared. */
  key: string;
  /** What the far end is called in entities, cut links and the report: the endpoint pod, or the proxy a tunnel ends at. */
  name: string;
  /** The identity the accepting proxy presents: which of its certificates answers the handshake. */
  identity: string | undefined;
  /** Whose life the connection depends on: when it goes down or restarts, the connection is gone. */
  life: { readonly up: boolean; readonly generation: number };
  /**
   * The connection is a tunnel (HBONE: HTTP/2 CONNECT over mTLS): many streams, one per request,
   * each naming its destination (FIDELITY-MORE H2).
   */
  tunnel?: { protocol: string; maxStreams: number; port: number };
}

/**
 * The layers of one kind of proxy, in order, and what comes after the inbound ones: the app of
 * the pod the request is for (`app`), or the proxy's own outbound pipeline (`forward` — a gateway
 * or a waypoint sends the request on).
 */
export interface ProxyStack {
  readonly outbound: readonly OutboundLayer[];
  readonly inbound: readonly InboundLayer[];
  readonly onward: 'app' | 'forward';
}

/** What a profile supplies about its proxies. */
export interface DataPlane {
  /** Every proxy of a run, once its pods exist; called once. */
  proxies(world: World): ProxySpec[];
  /** The proxy that captures `pod`'s outbound traffic; none when the app connects by itself (unmeshed, outside clients). */
  capture(world: World, pod: Pod): Proxy | undefined;
  /** Where a connection toward `endpoint` goes from `from` (a proxy; undefined for an app connecting by itself). */
  nextHop(world: World, from: Proxy | undefined, endpoint: Pod): Hop;
  /** The layer stack of each kind of proxy it has. */
  readonly stacks: Partial<Record<ProxyKind, ProxyStack>>;
  /**
   * `proxy` has just applied a pushed config version other than `previous` (its `configVersion` is
   * the new one): a data plane that re-checks live connections against new policy does it here.
   */
  configApplied?(world: World, proxy: Proxy, previous: number): void;
  /** A calling app closed its connection `downstream` (`HttpRequest.downstream`): its calls are done. */
  appConnectionClosed?(world: World, downstream: string): void;
}
