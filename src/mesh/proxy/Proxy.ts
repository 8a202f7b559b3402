/**
 * A proxy of the data plane, whatever its kind (a sidecar, a per-node proxy, a waypoint, a
 * gateway): its identity holder (the certificates it presents, one per identity it acts for), its
 * config version, its view of the mesh (the endpoints and config the control plane has pushed to
 * it, which can lag), its connections, balancer state and retry budgets, and its two layer
 * stacks. Requests it sends go through its outbound pipeline; requests it receives through its
 * inbound one, then to the app or onward.
 */
import { TraceName, type Chart, type NodeId, type ProxyKind, type RecordedActor, type Rng } from '../../sim/index.ts';
import type { RouteRule, Backend } from '../config.ts';
import type { Certificate, HttpRequest, HttpResponse, Pod, Workload } from '../types.ts';
import type { World } from '../world.ts';
import type { CompiledMesh } from '../profiles/types.ts';
import type { IdentitySpec, ProxySpec, ProxyStack } from '../dataPlane.ts';
import { ConnectionPool } from './connections.ts';
import { UpstreamCluster } from './UpstreamCluster.ts';
import { composeInbound, composeOutbound } from './pipeline.ts';
import { newRequestState, type Exchange, type Handler, type InboundExchange, type InboundHandler, type RequestState, type Respond } from './exchange.ts';
import { pickBackend } from './layers/routeLayer.ts';
import { RetryBudgetState } from './retryBudget.ts';
import { PodList } from '../podList.ts';

/** A certificate a proxy holds for one identity, and the machine that renews it. */
export interface CertificateSlot extends IdentitySpec {
  certificate: Certificate | null;
  actor?: RecordedActor;
}

/** What compiled config may ask about the proxy that asks it (routes of a gateway, egress by namespace...). */
export interface ProxyView {
  readonly kind: ProxyKind;
  readonly name: string;
  readonly namespace: string;
  readonly nodeName: string;
  readonly edge?: 'ingress' | 'egress';
  /** The workload whose identity it presents (its pod, or its own Deployment), if one. */
  readonly workload?: Workload | undefined;
}

/** The endpoints of a proxy that has none yet (shared, never written). */
const NO_ENDPOINTS: ReadonlyMap<string, Pod[]> = new Map();

export class Proxy implements ProxyView {
  readonly kind: ProxyKind;
  readonly name: string;
  /** Its node in the trace, with the node's id in the run's trace found once (an end of every request's flights). */
  readonly nodeTraceName: TraceName;
  readonly label: string;
  readonly namespace: string;
  readonly nodeName: string;
  /** The pod it runs in and dies with, if any. */
  readonly pod: Pod | undefined;
  readonly actsFor: 'self' | 'workloads';
  readonly workload: Workload | undefined;
  readonly pods: readonly Pod[];
  readonly services: readonly string[];
  readonly edge?: 'ingress' | 'egress';
  /** The certificates it holds, one per identity. */
  readonly slots: CertificateSlot[];

  /** Running: started and not stopped (a sidecar's pod is up). */
  up = false;
  /** It has the config it needs to start (the control plane's first answer). */
  synced = false;
  /** The config version it has applied (index into World.configs). */
  configVersion = 0;
  /** The config version when it started (Linkerd fixes its default inbound policy then). */
  startConfigVersion = 0;
  configActor?: RecordedActor<Chart>;
  /** Pods waiting for this proxy to serve them (their certificate and its config), in the order they came. */
  waiting: { pod: Pod; run: () => void }[] = [];

  rng!: Rng;
  /** The pool of its first worker thread: where requests that arrive on no app connection of their own go. */
  pool!: ConnectionPool;
  /** One connection pool per worker thread (Envoy's are per worker; FIDELITY C1). */
  private pools: ConnectionPool[] = [];
  // The tables below are made on first use and dropped by begin(): at 30 replicas a run has 600
  // sidecars, most of which never use some of them.
  /** The worker thread each app connection (`HttpRequest.downstream`) was accepted on. */
  private workerOf: Map<string, number> | undefined;
  /**
   * Endpoints this proxy knows, by service (from xDS EDS or the destination watch). A table handed
   * over by {@link shareEndpoints} is read only, shared with other proxies, and copied on the first
   * {@link setEndpoints}.
   */
  private endpoints: ReadonlyMap<string, Pod[]> = NO_ENDPOINTS;
  private endpointsOwn = false;
  /** Upstream clusters by config version, service and subset (`''` for none). */
  private clusters: Map<number, Map<string, Map<string, UpstreamCluster>>> | undefined;
  /**
   * The cluster {@link cluster} gave last and the config version it was for: most proxies send to
   * one service, and three map lookups per call in a proxy's own tables were a run's cache misses
   * (at 30 replicas per service a run has 600 sidecars).
   */
  private lastCluster: UpstreamCluster | undefined;
  private lastClusterVersion = -1;
  private budgets: Map<string, RetryBudgetState> | undefined;
  /** Whether it last sent to each endpoint in mTLS ({@link decideTls}). */
  private tlsSeen: PodList<boolean> | undefined;
  /** Services routed so far, by config version ({@link firstRoute}). */
  private routed: Map<number, Set<string>> | undefined;
  /** The service {@link firstRoute} last found routed before, and under which config version. */
  private lastRouted: string | undefined;
  private lastRoutedVersion = -1;
  private egressed: Set<string> | undefined;
  private lives = 0;
  private readonly outbound: Handler;
  private readonly inbound: InboundHandler;

  constructor(
    readonly world: World,
    spec: ProxySpec,
    stack: ProxyStack,
    /** Requests one proxy-to-proxy connection carries at once: 1 for HTTP/1.1, Infinity for HTTP/2. */
    private readonly streamsPerConnection: number,
    /** Worker threads with a connection pool each (Envoy: 2 in an Istio sidecar). */
    private readonly poolWorkers = 1,
  ) {
    this.kind = spec.kind;
    this.name = spec.name;
    this.nodeTraceName = new TraceName(spec.node);
    this.label = spec.label;
    this.namespace = spec.namespace;
    this.nodeName = spec.nodeName;
    this.pod = spec.pod;
    this.actsFor = spec.actsFor;
    this.workload = spec.workload;
    this.pods = spec.pods;
    this.services = spec.services;
    if (spec.edge) this.edge = spec.edge;
    this.slots = spec.identities.map((i) => ({ ...i, certificate: null }));
    this.outbound = composeOutbound(stack.outbound);
    this.inbound = composeInbound(stack.inbound, stack.onward);
  }

  /** Its node in the trace ({@link nodeTraceName}'s text). */
  get node(): NodeId {
    return this.nodeTraceName.text;
  }

  /** Its incarnation: its pod's when it runs in one, else its own count of starts. */
  get generation(): number {
    return this.pod ? this.pod.generation : this.lives;
  }

  /** A new life begins: fresh randomness, connections, balancer state and budgets (nothing survives a restart). */
  begin(): void {
    if (!this.pod) this.lives++;
    this.up = true;
    this.synced = false;
    this.rng = this.world.rng.fork(`proxy:${this.name}:${this.generation}`);
    const owner = { name: this.name, proxy: this };
    this.pools = [];
    for (let k = 0; k < this.poolWorkers; k++) this.pools.push(new ConnectionPool(this.world, owner, this.node, this.streamsPerConnection));
    this.pool = this.pools[0]!;
    // Nothing of a previous life is kept: each table is made again when first used.
    this.workerOf = undefined;
    this.endpoints = NO_ENDPOINTS;
    this.endpointsOwn = false;
    this.clusters = undefined;
    this.lastCluster = undefined;
    this.budgets = undefined;
    this.tlsSeen = undefined;
    this.routed = undefined;
    this.lastRouted = undefined;
    this.egressed = undefined;
  }

  /**
   * A request this proxy sends (from its pod's app, or onward) enters the outbound pipeline; `done`
   * gets the answer, the attempts made and the request's state (whose `tries` may still grow: an
   * attempt abandoned by a timeout ends later).
   */
  send(req: HttpRequest, done: (res: HttpResponse, attempts: number, request: RequestState) => void): void {
    const request = newRequestState();
    const ex: Exchange = {
      world: this.world,
      proxy: this,
      req,
      request,
      service: undefined,
      external: undefined,
      rule: undefined,
      backend: undefined,
      attempt: 1,
      abandoned: false,
      cluster: undefined,
      endpoint: undefined,
      hop: undefined,
      mtls: false,
      abort: undefined,
      connection: undefined,
    };
    this.outbound(ex, (res) => {
      request.done = true;
      done(res, Math.max(1, request.attempts), request);
    });
  }

  /**
   * The connection pool of the worker thread `req` is handled on: the thread that accepted its app
   * connection, chosen at random the first time the connection is seen (the kernel spreads accepted
   * connections over the listener's threads) — the pool of the first worker for a request that came
   * on no connection of its own.
   */
  poolFor(req: HttpRequest): ConnectionPool {
    if (this.pools.length < 2 || req.downstream === undefined) return this.pool;
    const workerOf = (this.workerOf ??= new Map());
    let w = workerOf.get(req.downstream);
    if (w === undefined) workerOf.set(req.downstream, (w = this.rng.int(this.pools.length)));
    return this.pools[w]!;
  }

  /** A request arriving at this proxy goes through its inbound layers. */
  receive(ex: InboundExchange, respond: Respond): void {
    this.inbound(ex, respond);
  }

  /** The certificate slot for `identity`, if this proxy holds one. */
  slotFor(identity: string | undefined): CertificateSlot | undefined {
    if (identity === undefined) return undefined;
    // An index loop, not `find` or for-of: asked on every mTLS request and handshake, and a callback
    // (or an iterator, where V8 has not optimised the loop yet) would be made each time.
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) if (slots[i]!.identity === identity) return slots[i];
    return undefined;
  }

  /** The certificate it holds now for `identity` (null when none was issued yet, or after a restart). */
  certificateFor(identity: string | undefined): Certificate | null {
    return this.slotFor(identity)?.certificate ?? null;
  }

  /** The identity it presents when it sends `req`: its own, or the calling pod's (a node proxy acting for it). */
  identityFor(req: HttpRequest): string | undefined {
    return this.actsFor === 'workloads' ? req.client.identity : this.workload?.identity;
  }

  /** The workload a server sees `req` come from (its identity's owner and address). */
  sourceOf(req: HttpRequest): Workload {
    return this.actsFor === 'workloads' || !this.workload ? req.client : this.workload;
  }

  endpointsOf(service: string): Pod[] {
    return this.endpoints.get(service) ?? [];
  }

  /** The control plane's endpoints of `service` reach this proxy. */
  setEndpoints(service: string, endpoints: Pod[]): void {
    if (!this.endpointsOwn) {
      this.endpoints = new Map(this.endpoints);
      this.endpointsOwn = true;
    }
    (this.endpoints as Map<string, Pod[]>).set(service, endpoints);
  }

  /**
   * Takes `table` as every service's endpoints: a table the control plane hands every proxy alike
   * (read, never changed: this proxy copies it before its first {@link setEndpoints}).
   */
  shareEndpoints(table: ReadonlyMap<string, Pod[]>): void {
    this.endpoints = table;
    this.endpointsOwn = false;
  }

  /** The config this proxy runs with: the version the control plane last got to it. */
  get config(): CompiledMesh {
    return this.world.configOf(this);
  }

  /** The upstream cluster for a service, or one of its subsets (rebuilt when the config changes). */
  cluster(service: string, subset?: string): UpstreamCluster {
    const last = this.lastCluster;
    if (last !== undefined && last.service === service && last.subset === subset && this.lastClusterVersion === this.configVersion) return last;
    // By config version, then service, then subset: no key string built per request.
    const clusters = (this.clusters ??= new Map());
    let byService = clusters.get(this.configVersion);
    if (!byService) clusters.set(this.configVersion, (byService = new Map()));
    let bySubset = byService.get(service);
    if (!bySubset) byService.set(service, (bySubset = new Map()));
    const key = subset ?? '';
    let c = bySubset.get(key);
    if (!c) bySubset.set(key, (c = new UpstreamCluster(this.world, this, service, subset)));
    this.lastCluster = c;
    this.lastClusterVersion = this.configVersion;
    return c;
  }

  budget(service: string): RetryBudgetState {
    const budgets = (this.budgets ??= new Map());
    let b = budgets.get(service);
    if (!b) budgets.set(service, (b = new RetryBudgetState()));
    return b;
  }

  rechooseBackend(rule: RouteRule): Backend | undefined {
    return pickBackend(rule.backends, this.rng.next());
  }

  /** True the first time this proxy sends to outside host `host`. */
  firstEgress(host: string): boolean {
    const egressed = (this.egressed ??= new Set());
    if (egressed.has(host)) return false;
    egressed.add(host);
    return true;
  }

  /** True the first time this proxy routes to `service` under config version `version`. */
  firstRoute(version: number, service: string): boolean {
    if (service === this.lastRouted && version === this.lastRoutedVersion) return false;
    const routed = (this.routed ??= new Map());
    let seen = routed.get(version);
    if (!seen) routed.set(version, (seen = new Set()));
    this.lastRouted = service;
    this.lastRoutedVersion = version;
    if (seen.has(service)) return false;
    seen.add(service);
    return true;
  }

  /** True the first time (or when it changes) that this proxy uses mTLS / plaintext toward `pod`. */
  decideTls(pod: Pod, mtls: boolean): boolean {
    const tlsSeen = (this.tlsSeen ??= new PodList());
    if (tlsSeen.get(pod) === mtls) return false;
    tlsSeen.set(pod, mtls);
    return true;
  }
}
