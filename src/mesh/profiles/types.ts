/**
 * What a mesh profile provides. A profile is data plus a compiler: the defaults of its mesh (each
 * with the documentation it follows), its data plane (which proxies it runs and how traffic moves
 * through them), how it names identities and renews certificates, how its proxies report local
 * failures, and how it turns the scenario's intent and native resources into the mesh-neutral
 * config the proxy layers run. Adding a mesh is adding a profile.
 */
import type { Cause, NodeId, ProxyKind } from '../../sim/index.ts';
import type { LoadedScenario } from '../../scenario/index.ts';
import type {
  AuthzRequest,
  AuthzVerdict,
  BalancerConfig,
  EgressVerdict,
  HealthPolicy,
  InboundRetryPolicy,
  PoolLimits,
  ServerTls,
  ServiceRoutes,
} from '../config.ts';
import type { ExternalHost, HttpRequest, Pod, Workload } from '../types.ts';
import type { SimulateOptions, World } from '../world.ts';
import type { Trace } from '../../sim/index.ts';
import type { RunReport } from '../report.ts';
import type { ControlPlane } from '../controlPlane.ts';
import type { DataPlane, IdentitySpec } from '../dataPlane.ts';
import type { ProxyView } from '../proxy/Proxy.ts';
import type { MeshFootprint } from './footprint.ts';

/** How a proxy answers when it, not the app, ends a request. */
export interface LocalReply {
  status: number;
  /** Starts with Envoy's response flag under Istio (`UO upstream overflow`), the proxy's own term under Linkerd. */
  reason: string;
  cause: Cause;
}

export interface LocalReplies {
  /** The request timeout fired (whole request, retries included). */
  requestTimeout: LocalReply;
  /** A per-attempt timeout fired and was not retried. */
  attemptTimeout: LocalReply;
  /** The connection to the chosen endpoint could not be made (refused, TLS failure). */
  connectFailure: LocalReply;
  /** The connection was reset before a response arrived. */
  reset: LocalReply;
  /** No endpoint to send to. */
  noHealthy: LocalReply;
  /** No route matched. */
  noRoute: LocalReply;
  /** The server's inbound policy denied the request. */
  forbidden: LocalReply;
  /** Connection-pool overflow (Envoy circuit breakers), for meshes that have pool limits. */
  overflow?: LocalReply;
  /** Prefix added to the reason when retries ran out on a retriable failure (Envoy `URX`), if the mesh has one. */
  retriesExhaustedFlag?: string;
}

/** How a mesh names, issues and renews workload identities. */
export interface IdentityRules {
  /** The control-plane node that signs CSRs. */
  caNode: NodeId;
  /**
   * `spiffe://cluster.local/ns/default/sa/reviews` or `reviews.default.serviceaccount.identity.linkerd.cluster.local`;
   * Consul names the service instead (`service`), not the account.
   */
  identityOf(serviceAccount: string, namespace: string, service: string): string;
  certTtlMs: number;
  ttlCause: Cause;
  /** Delay from issuance to the renewal attempt, for a certificate valid `lifetimeMs`. */
  renewAfterMs(lifetimeMs: number, rngNext: () => number): number;
  renewCause: Cause;
  /**
   * Wait before the n-th consecutive failed CSR (n ≥ 1) is retried; `remainingMs` is what is left
   * of the certificate the proxy still holds (0 when it has none or it expired). `rngNext` draws
   * jitter; `why` says whether the CA was unreachable or refused for its rate limit.
   */
  retryAfterMs(failures: number, remainingMs: number, rngNext: () => number, why: 'unreachable' | 'rate-limited'): number;
  retryCause: Cause;
  /**
   * Set when the CA's own loop rotates certificates (OSM's controller, FIDELITY-MORE J2): a
   * renewal that found the control plane stopped is not retried while it is down — nothing runs
   * the loop — but asked again once it is back; `retryAfterMs` covers a CA that is up but cut off.
   */
  waitsForCa?: Cause;
  /** Label of the CSR flight and what it carries, for the identity asked for. */
  csrLabel: string;
  csrDetail(identity: IdentitySpec): Record<string, string>;
  csrCause: Cause;
  /** Local hand-over of the certificate to the proxy after issuance (Istio: agent → Envoy over SDS). */
  delivery?: { label: string; cause: Cause };
  /** Rules for one kind of proxy where they differ from these (ambient: a waypoint or sidecar is an Envoy with istio-agent, not ztunnel). */
  forProxy?(kind: ProxyKind): IdentityRules | undefined;
}

/** TLS parameters of meshed traffic, shown on handshake flights. */
export interface TlsRules {
  version: string;
  cipher: string;
  keyExchange: string;
  /** ALPN offered and accepted; empty where the mesh's values are not known to mesh-sim. */
  alpnClient: string[];
  alpnServer: string[];
  /** The SNI the client proxy puts in its ClientHello to `server`. */
  sni(server: Workload): string;
  cause: Cause;
}

/** What the client proxy does toward one endpoint: originate mTLS or send plaintext. */
export interface ClientTlsChoice {
  mtls: boolean;
  /** The identities the client accepts from the server (secure naming / destination identity). */
  expectedIdentities: string[];
  cause: Cause;
}

/**
 * The mesh-neutral config a profile compiles from a scenario. It answers per proxy (the one that
 * asks: a sidecar, a gateway, a node proxy) and per workload (the one traffic is for); it holds
 * no runtime state of either.
 */
export interface CompiledMesh {
  /**
   * Routes proxy `from` (a sidecar, a gateway) uses for requests to `host` — a service, an outside
   * host, or the ingress host — in match order; undefined when it has none. `external` is the
   * outside host and port the request is for, when `host` is one.
   */
  routesFor(from: ProxyView, host: string, external?: ExternalHost): ServiceRoutes | undefined;
  /** Whether `req` from proxy `from` may leave for `host` (Linkerd routes under an EgressNetwork match paths too). */
  egress(from: ProxyView, host: ExternalHost, req: HttpRequest): EgressVerdict;
  /** For an ingress controller that forwards as an app (ingress-nginx): which service serves host + path. */
  ingressBackend?(host: string, path: string): { service: string; cause: Cause } | undefined;
  /** What the proxy receiving traffic for `workload` accepts: mTLS only, or plaintext too. */
  serverTls(workload: Workload): ServerTls;
  /**
   * `proxy`, receiving traffic for `workload`, decides whether `request` may reach it (FIDELITY
   * A5, A7); `atProxyStart` is the config the proxy started with (Linkerd fixes its default
   * policy then).
   */
  authorize(workload: Workload, request: AuthzRequest, proxy: ProxyView, atProxyStart?: CompiledMesh): AuthzVerdict;
  /** What proxy `client` does toward workload `server`: originate mTLS (expecting which identities) or send plaintext. */
  clientTls(client: ProxyView, server: Workload): ClientTlsChoice;
  /** Endpoint selection toward a cluster (a service, or one subset of it). */
  balancer(service: string, subset?: string): BalancerConfig;
  /**
   * Connection-pool limits toward a cluster, for the proxy of `from` (Consul keeps them in the
   * calling service's config); null when the mesh has none (FIDELITY C1, C3).
   */
  pool(service: string, subset?: string, from?: ProxyView): PoolLimits | null;
  /**
   * Retries `pod`'s own proxy makes when its app resets the connection before the request was
   * written (Istio 1.24+ inbound reset-before-request, FIDELITY B1); null when it makes none.
   */
  inboundRetry(pod: Pod): InboundRetryPolicy | null;
  /** Passive health checking of a cluster's endpoints, for the proxy of `from`; null when off (FIDELITY C2, C3). */
  health(service: string, subset?: string, from?: ProxyView): HealthPolicy | null;
  /**
   * The waypoint that service traffic to `service` goes through (ambient mode: a Namespace or
   * Service labelled istio.io/use-waypoint, FIDELITY-MORE H6); undefined for none, and for meshes
   * without waypoints.
   */
  waypointFor?(service: string): { name: string; namespace: string; cause: Cause } | undefined;
  /** The native resources in effect: generated from `policies`, then the scenario's own. */
  resources: { generated: unknown[]; authored: unknown[] };
}

/** A workload the mesh puts at the cluster's edge for a scenario (a gateway, an ingress controller). */
export interface EdgeWorkload {
  service: string;
  namespace: string;
  serviceAccount: string;
  /** gateway: a proxy alone (Istio's gateways); workload: an app with a sidecar (a meshed ingress-nginx). */
  role: 'gateway' | 'workload';
  /** ingress, egress, or an ambient waypoint (a proxy alone in front of enrolled services, FIDELITY-MORE H6). */
  purpose: 'ingress' | 'egress' | 'waypoint';
}

/** The release of its mesh a profile models, and why that one (the default, the scenario, the URL). */
export interface MeshRelease {
  /** `1.30` — a major.minor line, modelled at its latest patch release. */
  readonly version: string;
  /** Every release this profile can model, oldest first. */
  readonly known: readonly string[];
  /** The current line: what runs when nothing picks another. */
  readonly default: string;
  /** `Istio 1.30` */
  readonly label: string;
  /** Where the choice came from: the default, the scenario's `meshVersions`, or the URL. */
  readonly cause: Cause;
}

/**
 * A mesh's behaviour. `S` is its native section: one of the catalog's for a shipped profile
 * (`MeshProfile<SectionKey>`, checked when it is written), any registered key for one added at
 * run time.
 */
export interface MeshProfile<S extends string = string> {
  /** Its id in the mesh catalog (src/scenario/catalog.ts). */
  readonly id: string;
  readonly name: string;
  /** The release this profile models; behaviours that changed between releases follow it. */
  readonly release: MeshRelease;
  /** The same mesh as another release it knows (`known`); `cause` says who picked it. */
  atRelease(version: string, cause: Cause): MeshProfile<S>;
  /** The catalog section that holds this mesh's native resources (and a change's resources for it). */
  readonly resourcesKey: S;
  /** Which proxies the mesh runs (sidecars, node proxies, waypoints, gateways) and how traffic moves through them. */
  readonly dataPlane: DataPlane;
  readonly controlPlaneNodes: { id: NodeId; label: string }[];
  readonly identity: IdentityRules;
  readonly tls: TlsRules;
  readonly replies: LocalReplies;
  /**
   * Local replies of one kind of proxy where they differ from {@link replies}: an L4 proxy answers
   * with a reset, not an HTTP status (ztunnel, FIDELITY-MORE H7).
   */
  readonly proxyReplies?: Partial<Record<ProxyKind, LocalReplies>>;
  /** How long a proxy waits for a TCP connection before giving up (when nothing answers the SYN). */
  readonly connectTimeout: { ms: number; cause: Cause };
  /** Requests one proxy-to-proxy connection carries at once: 1 for HTTP/1.1, Infinity for HTTP/2. */
  readonly streamsPerConnection: number;
  /**
   * Worker threads of a proxy that each keep their own connection pools (Envoy), while the pool
   * limits stay shared by the proxy's clusters; 1 where the proxy shares one pool.
   */
  readonly poolWorkers: number;
  /**
   * Published resource figures of each kind of proxy it runs, with their sources (FIDELITY-MORE
   * H10, J7, L6): the run report's `footprint` multiplies them by the run's proxies. A profile
   * without them (one registered at run time) gets its proxies counted, not estimated.
   */
  readonly footprint?: MeshFootprint;
  /**
   * The data planes a service may ask for with `services[].dataPlane`, its default first
   * (FIDELITY-MORE H1, H8): `['sidecar']` when unset — a sidecar mesh; Istio ambient mixes
   * `ambient` and `sidecar` pods. A service asking for one the mesh lacks stops the run with a
   * located message (src/mesh/profiles/dataPlaneModes.ts); `none` (outside the mesh) is always allowed.
   */
  readonly dataPlaneModes?: readonly ('sidecar' | 'ambient')[];
  /** Why the injector does or does not add a sidecar to a pod. */
  injection(pod: Pod): { injected: boolean; summary: string; cause: Cause };
  /** Edge workloads this scenario needs under this mesh. */
  edgeWorkloads(scenario: LoadedScenario): EdgeWorkload[];
  compile(scenario: LoadedScenario): CompiledMesh;
  createControlPlane(world: World): ControlPlane;
}

/** What simulating a scenario produced: its trace, its run report, the engine tasks it ran. */
export interface ProfileRun {
  trace: Trace;
  report: RunReport;
  engineEvents: number;
}

/**
 * A mesh whose unit is a connection, not a request: Network Service Mesh builds L2/L3 vWires
 * between a client and an endpoint and carries packets (FIDELITY-MORE K1). It has none of
 * {@link MeshProfile}'s request pipeline — no HTTP proxies, routes, retries, timeouts or request
 * balancing — so it simulates its own world, and runs only the scenarios written for it.
 */
export interface ConnectionMeshProfile<S extends string = string> {
  /** Tells it apart from a request mesh's {@link MeshProfile}. */
  readonly plane: 'connections';
  readonly id: string;
  readonly name: string;
  readonly release: MeshRelease;
  atRelease(version: string, cause: Cause): ConnectionMeshProfile<S>;
  readonly resourcesKey: S;
  readonly controlPlaneNodes: { id: NodeId; label: string }[];
  /** Simulates `scenario` to the end (or `options.untilMs`). */
  simulate(scenario: LoadedScenario, options: SimulateOptions): ProfileRun;
  /** The native resources in effect (the YAML pane): the file's own; nothing is generated. */
  compile(scenario: LoadedScenario): { resources: { generated: unknown[]; authored: unknown[] } };
}

/** Any mesh's profile: a request mesh (Istio, Linkerd, …) or a connection mesh (NSM). */
export type AnyMeshProfile<S extends string = string> = MeshProfile<S> | ConnectionMeshProfile<S>;

/** Whether `p` is a connection mesh's profile (NSM), which simulates its own world. */
export function isConnectionMesh(p: AnyMeshProfile): p is ConnectionMeshProfile {
  return (p as Partial<ConnectionMeshProfile>).plane === 'connections';
}
