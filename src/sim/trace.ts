/**
 * The trace: what a run produced, as an ordered list of typed events plus the topology they
 * happen on. The player replays it; the renderer draws it; the run report summarises it.
 * Nothing here knows about a particular mesh — node ids, machine names and causes are data.
 */
import type { DecisionKind } from './decisions.ts';
import { TraceStore } from './traceStore.ts';

/** A place a flight starts or ends: an app container, a sidecar, a control-plane component... */
export type NodeId = string;

/** What a flight carries; the renderer gives each kind its own shape and colour. */
export type FlightKind =
  | 'http-request'
  | 'http-response'
  | 'tcp' // SYN, SYN-ACK, RST
  | 'tls' // a TLS handshake message
  | 'config' // xDS push or destination update
  | 'discovery' // a lookup the proxy opens (Linkerd's Get / GetProfile watch)
  | 'csr'
  | 'certificate'
  | 'grpc' // a call of a connection mesh's own API (NSM's Request, Register, Close)
  | 'ip'; // an IP packet carried over a connection a mesh set up (a ping across an NSM vWire)

interface EventBase {
  /** Virtual time in ms at which the event happened (a flight's departure). */
  t: number;
  /** Position in the trace; strictly increasing. */
  seq: number;
}

/** Something travels from one node to another; the renderer interpolates between the times. */
export interface FlightEvent extends EventBase {
  type: 'flight';
  id: string;
  kind: FlightKind;
  from: NodeId;
  to: NodeId;
  departMs: number;
  arriveMs: number;
  /** Short text a learner reads: `GET /reviews/1`, `ClientHello`, `503`, `EDS push`. */
  label: string;
  requestId?: string;
  attempt?: number;
  /** Sent inside an mTLS connection. */
  mtls?: boolean;
  status?: number;
  /** Headers, identities, ALPN and the like, shown by the inspector. */
  detail?: Record<string, string | number | boolean>;
}

/** Where a decision came from: the config that caused it, or the default that applied. */
export interface Cause {
  /** `VirtualService reviews .spec.http[0].retries`, or `Istio default`. */
  config: string;
  /** True when no user config was involved and the mesh's default decided. */
  isDefault: boolean;
  /** The documentation the rule follows (`FIDELITY B1: istio/istio retry.go defaultPolicy`). */
  source: string;
  /** Line of the scenario file that holds the config, when it came from the file. */
  line?: number;
}

/** A state machine changed state. */
export interface TransitionEvent extends EventBase {
  type: 'transition';
  /** Which component: a pod name, `conn:a→b`, `cert:reviews-0`. */
  entity: string;
  /** The machine's id; its graph is in {@link Trace.machines}. */
  machine: string;
  /** Node the component is drawn on. */
  node: NodeId;
  /** The other end, for components between two nodes (a connection's server). */
  peer?: NodeId;
  from: string | null;
  to: string;
  /** The event that caused the transition (`csr.sent`, `xstate.after...` shows as `timer`). */
  cause: string;
}

/** A proxy, gateway or control plane chose something, and why. */
export interface DecisionEvent extends EventBase {
  type: 'decision';
  node: NodeId;
  /** The pipeline layer or component that decided (`route`, `retry`, `loadBalance`, ...). */
  layer: string;
  /** What kind of decision (`retry`, `timeout`, `endpoint`, `deny`, ...): see `DECISION_KINDS` in decisions.ts. */
  kind: DecisionKind;
  summary: string;
  cause: Cause;
  requestId?: string;
  attempt?: number;
  data?: Record<string, string | number | boolean | string[]>;
}

/** A request as the calling application sees it: its start, and its end with the outcome. */
export type RequestEvent = RequestStartEvent | RequestEndEvent;

export interface RequestStartEvent extends EventBase {
  type: 'request';
  phase: 'start';
  requestId: string;
  /** Calling pod (or external client). */
  from: string;
  /** Target service or external host. */
  to: string;
  node: NodeId;
  method: string;
  path: string;
  headers: Record<string, string>;
  bodyBytes: number;
  /** The app connection it went on, when the app keeps one per worker (`traffic[0]#1`: fortio's second connection). */
  connection?: string;
}

export interface RequestEndEvent extends EventBase {
  type: 'request';
  phase: 'end';
  requestId: string;
  node: NodeId;
  /** Status the calling app saw; 0 when the connection failed without an HTTP response. */
  status: number;
  attempts: number;
  latencyMs: number;
  mtls: boolean;
  reason?: string | undefined;
  /**
   * Whether the route's own response classes call the final answer a failure (Linkerd
   * ServiceProfile `responseClasses`, FIDELITY G2); unset when the route has none — then a 2xx is
   * a success and anything else a failure.
   */
  failure?: boolean;
}

/** Scenario text tied to a time or to the first event of a kind. */
export interface NarrationEvent extends EventBase {
  type: 'narration';
  text: string;
  node?: NodeId;
}

export type TraceEvent = FlightEvent | TransitionEvent | DecisionEvent | RequestEvent | NarrationEvent;

/** One drawable thing in the world. */
export interface TopologyNode {
  id: NodeId;
  kind: 'app' | 'proxy' | 'control-plane' | 'gateway' | 'external' | 'client';
  label: string;
  namespace?: string;
  service?: string;
  pod?: string;
}

/** A pod as the renderer groups it: the app beside its sidecar. */
export interface TopologyPod {
  name: string;
  service: string;
  namespace: string;
  serviceAccount: string;
  /** workload (app, maybe with a sidecar), gateway (a proxy alone at the edge), client (outside the cluster). */
  role?: 'workload' | 'gateway' | 'client';
  ip?: string;
  version?: string;
  meshed: boolean;
  app: NodeId;
  /** Its sidecar's node, when a sidecar runs in the pod (other proxies are in {@link Topology.proxies}). */
  proxy?: NodeId;
  /** Identity the pod's certificate names, when meshed. */
  identity?: string;
  /** The Kubernetes node it runs on (none for a client outside the cluster). */
  nodeName?: string;
  /** For a pod a `changes[]` step deploys (a waypoint): when that change applies; it does not exist before. */
  deployedAtMs?: number;
  /** Its zone (`services[].zones`): `zone`, or `region/zone` when the region is known. */
  zone?: string;
}

/**
 * What kind of proxy: a `sidecar` in its pod, a per-node proxy (`node`, such as Istio's ztunnel)
 * serving every pod of its Kubernetes node, a `waypoint` (a standalone L7 proxy serving a service
 * or namespace), or a `gateway` at the cluster's edge (ingress or egress).
 */
export type ProxyKind = 'sidecar' | 'node' | 'waypoint' | 'gateway';

/** A proxy of the data plane, whatever its kind. */
export interface TopologyProxy {
  /** Its drawable node (`reviews-0/proxy`, `istio-ingressgateway-0/gateway`): flights start and end there. */
  id: NodeId;
  /** What it is called in machine entities and the report (`reviews-0` for that pod's sidecar). */
  name: string;
  kind: ProxyKind;
  namespace: string;
  /** The Kubernetes node it runs on. */
  nodeName: string;
  /** The pod it runs in and lives and dies with (a sidecar's pod, a gateway's own), if any. */
  pod?: string;
  /** Pods whose traffic it handles: a sidecar its own; a node proxy every meshed pod on its node. */
  pods: string[];
  /** Services it serves: a waypoint's, a gateway's own. */
  services: string[];
  /**
   * The identities it holds a certificate for — one for a sidecar (its pod's), one per identity of
   * its node's pods for a node proxy — each with the entity of that certificate's machine
   * (`cert:reviews-0`), so the inspector can show its state.
   */
  identities: { identity: string; certificate: string }[];
  /** For a gateway: which way traffic goes through it. */
  edge?: 'ingress' | 'egress';
  /** For a proxy in a pod a `changes[]` step deploys (a waypoint): when that change applies; it does not exist before. */
  deployedAtMs?: number;
}

/** A Kubernetes node of the cluster and what runs on it. */
export interface TopologyClusterNode {
  name: string;
  /** Pods scheduled on it, in scenario order. */
  pods: string[];
  /** Proxies running on it (sidecars, its node proxy, waypoints, gateways), by id. */
  proxies: NodeId[];
}

export interface Topology {
  /** Who calls whom, as the scenario says (traffic, service calls, ingress routes): service or host names. */
  edges: { from: string; to: string }[];
  namespaces: string[];
  services: { name: string; namespace: string; pods: string[] }[];
  pods: TopologyPod[];
  nodes: TopologyNode[];
  /** Every proxy of the data plane. */
  proxies: TopologyProxy[];
  /** The Kubernetes nodes, in order. */
  clusterNodes: TopologyClusterNode[];
}

/** A machine's shape, read from its definition so the inspector can draw it. */
export interface MachineGraph {
  id: string;
  initial: string;
  /** Every state, dotted for nested ones (`issued.valid`); a parent comes before its children. */
  states: string[];
  transitions: { from: string; to: string; event: string }[];
}

/** Everything a run produced. */
export interface Trace {
  version: 1;
  scenario: { id: string; title: string; description?: string };
  mesh: string;
  /** The release of the mesh the run modelled (`Istio 1.30`), when the profile names one. */
  release?: { version: string; label: string };
  seed: number;
  durationMs: number;
  topology: Topology;
  machines: Record<string, MachineGraph>;
  events: TraceEvent[];
}

/** Distributes `Omit` over a union, so each event kind keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a component records it: the recorder adds `seq`. */
export type NewTraceEvent = DistributiveOmit<TraceEvent, 'seq'>;

/** Appends events with increasing `seq`, into a column store. One per run. */
export class TraceRecorder {
  readonly store = new TraceStore();

  /** Stores the event (the object itself is not kept); returns its `seq`. */
  record(event: NewTraceEvent | TraceEvent): number {
    return this.store.push(event);
  }
}
