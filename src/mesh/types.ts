/**
 * The runtime shapes of the world: services, pods, certificates, requests and responses.
 */
import type { Chart, NodeId, RecordedActor, TraceName } from '../sim/index.ts';
import type { ServiceSpec } from '../scenario/index.ts';
import type { ConnectionPool } from './proxy/connections.ts';
import type { AppBehaviour } from './app.ts';
import type { RouteRule } from './config.ts';

export interface ServiceRuntime {
  name: string;
  namespace: string;
  spec: ServiceSpec;
  /** `reviews.default.svc.cluster.local` */
  fqdn: string;
  pods: Pod[];
}

export interface ExternalHost {
  host: string;
  protocol: 'http' | 'https';
  port: number;
  /** What the host answers on this port (200; 301 where plain HTTP is redirected to HTTPS). */
  status: number;
  latencyMs: number;
  /** One node per host, whatever its ports. */
  node: NodeId;
  ip: string;
}

/** A workload certificate as a proxy holds it. */
export interface Certificate {
  identity: string;
  serial: number;
  issuedAtMs: number;
  expiresAtMs: number;
}

/**
 * A workload as config sees it: who it is and where it runs, without its runtime state. Compiled
 * config (PeerAuthentication and AuthorizationPolicy selectors, secure naming, SNI) reads this.
 */
export interface Workload {
  name: string;
  /** workload: an app (with or without a sidecar); gateway: a proxy alone at the cluster's edge; client: a caller outside the cluster. */
  role: 'workload' | 'gateway' | 'client';
  /** For edge workloads: what they are for. */
  edge?: 'ingress' | 'egress';
  service: ServiceRuntime;
  namespace: string;
  serviceAccount: string;
  version?: string;
  labels: Record<string, string>;
  /** Pod IP, from the cluster's pod network 10.244.0.0/16 (one /24 per namespace). */
  ip: string;
  /** In the mesh: its traffic goes through the data plane's proxies. */
  meshed: boolean;
  /** The identity its certificate names (meshed workloads only). */
  identity?: string;
  /** The Kubernetes node it runs on (empty for a client outside the cluster). */
  nodeName: string;
  /** Where it runs (`services[].zones`): the topology.kubernetes.io/region and /zone labels; unset without zones. */
  locality?: Locality;
}

/** A region and a zone ('' where unknown), as Istio reads them from the topology labels. */
export interface Locality {
  region: string;
  zone: string;
}

/**
 * A pod: a workload and its life. Proxies are not part of it — the data plane says which proxy
 * captures its traffic and which receives traffic for it (its sidecar, its node's proxy).
 */
export interface Pod extends Workload {
  /** For outside clients: one-way latency to the cluster's edge. */
  edgeLatencyMs?: number;
  /** Index of the `changes` entry that deploys it: it starts when that change applies (unset: it runs from the start). */
  deployedBy?: number;
  /** The app's node in the trace (for a gateway, the gateway proxy itself): {@link appNodeName}'s text, copied when the pod is made (neither changes). */
  readonly appNode: NodeId;
  /** The app's node with its id in the run's trace, found once (the ends of every request's flights). */
  readonly appNodeName: TraceName;
  /** Its name with its id in the run's trace (the `from` of the requests its app sends). */
  traceName: TraceName;
  /** Its number in the run, in the order pods are made (0, 1, ...): a service's pods have consecutive numbers. */
  readonly index: number;
  /** Containers running. */
  up: boolean;
  /** Ready to serve and to send (app up; for meshed pods, the proxies serving it have its certificate and config). */
  ready: boolean;
  workload: RecordedActor<Chart>;
  /** Connections an unmeshed app opens itself (no proxy to do it). */
  directPool?: ConnectionPool;
  app: AppBehaviour;
  /** Incarnation: bumps on every restart, so work for a previous life can be recognised and dropped. */
  generation: number;
}

/**
 * Whether a pod or proxy is still up in the life (`generation`) that work was started for: work
 * scheduled for an earlier life (a restart since) or for a pod now down is dropped.
 */
export function sameLife(life: { readonly up: boolean; readonly generation: number }, generation: number): boolean {
  return life.up && life.generation === generation;
}

/** A request's `METHOD path` label, method and path, each with its id in the run's trace: one per method and path a run sends. */
export interface RequestLabel {
  label: TraceName;
  method: TraceName;
  path: TraceName;
}

/** A request as the calling application sent it. */
export interface HttpRequest {
  id: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  bodyBytes: number;
  /** What the app addressed: a service name or an external host. */
  host: string;
  /** The port it was addressed to, when the app named one (an external host on several ports). */
  port?: number;
  /** `GET /reviews/1`, the label of its flights (`labelName.text`), with its id in the run's trace, found once a run. */
  labelName: TraceName;
  client: Pod;
  startMs: number;
  /**
   * The app connection it was sent on, when the app keeps one per worker (a closed-loop source's
   * worker, like fortio's -c connections): the proxy handles it on that connection's worker thread.
   */
  downstream?: string;
  /** A mirrored copy (Istio `mirror`): it skips route matching and goes where this rule says; its answer is dropped. */
  shadow?: { rule: RouteRule; of: string };
}

/** How an attempt ended without a normal HTTP answer, for retry conditions. */
/** `no-endpoint`: the balancer had nothing to send to (Istio UH, Linkerd fail-fast). */
export type TransportFailure = 'connect-failure' | 'reset' | 'attempt-timeout' | 'no-endpoint';

/** A response as one layer hands it to the layer above. */
export interface HttpResponse {
  /** HTTP status; 0 when the connection failed without any HTTP response. */
  status: number;
  /** Report reason (`UO upstream overflow`, `URX retry limit exceeded`, `failure accrual`, ...). */
  reason?: string;
  /** Generated by a proxy (local reply) rather than by the application. */
  local?: boolean;
  failure?: TransportFailure;
  /** Never retried, whatever the retry policy says (a request or response timeout). */
  final?: boolean;
  /** Refused by the client's own pool limits: the server never saw it (not a health signal). */
  overflow?: boolean;
  /** Answered by the client's own proxy without leaving the pod (pool overflow, no route, no endpoint). */
  loopback?: boolean;
  /** The connection was reset before the request was written: the app never saw it (Envoy reset-before-request). */
  beforeRequest?: boolean;
  /** Pod that answered, when one did. */
  endpoint?: string;
  mtls: boolean;
}
