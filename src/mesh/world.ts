/**
 * The world of one run: the clock, the randomness, the trace, every workload and every proxy in
 * it, and the profile's data plane, which says how traffic moves between them. Layers, machines
 * and control planes reach each other through it, and record what they do with the
 * small helpers here, so every flight and decision has the same shape.
 */
import { Rng, Scheduler, TraceName, TraceRecorder, type DecisionEvent, type UniqueText, type FlightEvent, type NodeId } from '../sim/index.ts';
import { serviceOfHost, type LoadedScenario, type MeshVersions } from '../scenario/index.ts';
import type { MeshProfile, CompiledMesh } from './profiles/types.ts';
import type { Pod, RequestLabel, ServiceRuntime, ExternalHost } from './types.ts';
import type { DataPlane } from './dataPlane.ts';
import type { Proxy } from './proxy/Proxy.ts';
import type { ControlPlane } from './controlPlane.ts';
import { RunStats } from './stats.ts';
import type { Connection } from './proxy/connections.ts';
import type { InboundHandler } from './proxy/exchange.ts';

/** A flight as a component sends it: where, what, and how long it takes to arrive. */
export interface FlightSpec extends Omit<FlightEvent, 'type' | 't' | 'seq' | 'id' | 'departMs' | 'arriveMs'> {
  /** Time to arrival; 0 for a hop inside a pod. */
  delayMs: number;
}

/** A decision as a component records it; the world stamps the time. */
export type DecisionSpec = Omit<DecisionEvent, 'type' | 't' | 'seq'>;

/** Options of a run beyond the scenario and the profile. */
export interface SimulateOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Simulate only up to this time (default: the scenario's duration). */
  untilMs?: number;
  /**
   * The release per mesh (`{ istio: '1.23' }`, from the URL), over the scenario's `meshVersions`
   * and the profile's default; checked by the caller (checkReleases).
   */
  versions?: MeshVersions;
}

/**
 * `req-` and the zeros before a request number of k digits, by k: one string joined per request
 * id, not three made (the number's, padStart's, the template's).
 */
const REQUEST_PREFIXES = ['req-', 'req-00000', 'req-0000', 'req-000', 'req-00', 'req-0', 'req-'];

/** Status codes as flight labels, one string each (a response's flight is labelled with its status on every hop back). */
const statusLabels: string[] = [];

/** `String(status)`, one string per status code. */
export function statusText(status: number): string {
  return (statusLabels[status] ??= String(status));
}

/** A response's flight label: its status (`503`), or `RST` for a reset (status 0). */
export function responseLabel(status: number): string {
  return status === 0 ? 'RST' : statusText(status);
}

export class World {
  readonly scheduler = new Scheduler();
  readonly recorder = new TraceRecorder();
  readonly rng: Rng;
  readonly pods = new Map<string, Pod>();
  readonly services = new Map<string, ServiceRuntime>();
  /** Outside hosts by `host:port`: one host may listen on several ports (HTTP on 80, HTTPS on 443). */
  readonly externals = new Map<string, ExternalHost>();
  /** Callers outside the cluster, by name. */
  readonly clients = new Map<string, Pod>();
  /** Every proxy of the data plane, by name (a sidecar goes by its pod's name). */
  readonly proxies = new Map<string, Proxy>();
  /** Proxies that run inside a pod and live and die with it, by pod name. */
  readonly proxiesIn = new Map<string, Proxy[]>();
  /** Proxies that hold each pod's identity for it (its sidecar, its node's proxy), by pod name. */
  readonly servingProxies = new Map<string, Proxy[]>();
  /** The profile's data plane: which proxies exist and how traffic moves through them. */
  readonly dataPlane: DataPlane;
  /** The cluster's Kubernetes nodes, in order. */
  readonly clusterNodes: string[] = [];
  readonly stats = new RunStats();
  /** Every version of the compiled config: 0 as written, then one per applied `changes` entry. */
  readonly configs: CompiledMesh[] = [];
  controlPlane!: ControlPlane;
  /**
   * The apps as servers (appServer.ts): where a request goes once it is through the receiving
   * proxy. Wired by simulate(), so the proxy code does not import the app code that calls back
   * into it.
   */
  serveApp!: InboundHandler;
  /** The kinds of every request's flights, with their ids in this run's trace. */
  readonly flightKinds = { request: new TraceName('http-request'), response: new TraceName('http-response'), reset: new TraceName('tcp') };
  /** The layer and kind of the endpoint each request's balancer picks (loadBalanceLayer.ts), with their ids in this run's trace. */
  readonly pickNames = { layer: new TraceName('loadBalance'), kind: new TraceName('endpoint') };
  /** Requests' `METHOD path` labels, methods and paths by method and path (traffic.ts labelOf), with their ids in this run's trace. */
  readonly requestLabels = new Map<string, Map<string, RequestLabel>>();
  private readonly statusNames: TraceName[] = [];
  private resetName: TraceName | undefined;
  private nextRequest = 1;
  private nextFlight = 1;
  private nextConnection = 1;
  private nextPod = 0;
  /**
   * Connections by server pod, in the order they were opened, so a crash can reset them. A list, not
   * a set: each is added once, when it is opened, and only ever read in order (a set entry cost
   * three times a list slot, for ~7,800 connections at 30 replicas per service).
   */
  private readonly connectionsTo = new Map<string, Connection[]>();

  constructor(
    readonly scenario: LoadedScenario,
    readonly profile: MeshProfile,
    readonly seed: number,
  ) {
    this.rng = new Rng(seed);
    this.dataPlane = profile.dataPlane;
    this.configs.push(profile.compile(scenario));
  }

  /** The newest config: what the control plane holds. */
  get config(): CompiledMesh {
    return this.configs[this.configs.length - 1]!;
  }

  /** The config `proxy` runs with (it may lag the control plane). */
  configOf(proxy: Proxy): CompiledMesh {
    return this.configs[proxy.configVersion] ?? this.config;
  }

  /** The proxy that captures `pod`'s outbound traffic, if any (the data plane says which). */
  captureOf(pod: Pod): Proxy | undefined {
    return this.dataPlane.capture(this, pod);
  }

  /** Where traffic addressed straight to `pod` arrives: the proxy that receives it, or the app. */
  receiverOf(pod: Pod): NodeId {
    return this.dataPlane.nextHop(this, undefined, pod).node;
  }

  get now(): number {
    return this.scheduler.now;
  }

  /** Network latency between two pods of the cluster (one way). */
  get linkMs(): number {
    return this.scenario.network.latency;
  }

  private readonly hostCache = new Map<string, ServiceRuntime | null>();

  /** The service a host names (`reviews`, `reviews.default`, `reviews.default.svc.cluster.local`). */
  serviceByHost(host: string): ServiceRuntime | undefined {
    let s = this.hostCache.get(host);
    if (s === undefined) {
      const name = serviceOfHost(host, [...this.services.values()]);
      s = (name && this.services.get(name)) || null;
      this.hostCache.set(host, s);
    }
    return s ?? undefined;
  }

  /**
   * The outside host `host` on `port`; without a port, the one the scenario lists first (the
   * only one, since a host listed on several ports must be addressed with a port — references.ts).
   */
  externalFor(host: string, port?: number): ExternalHost | undefined {
    if (port !== undefined) return this.externals.get(`${host}:${port}`);
    for (const e of this.externals.values()) if (e.host === host) return e;
    return undefined;
  }

  private waiters: { ready: () => boolean; run: () => void }[] = [];

  /** Runs `run` as soon as `ready()` holds — checked now and whenever pods or proxy config change. */
  when(ready: () => boolean, run: () => void): void {
    if (ready()) return run();
    this.waiters.push({ ready, run });
  }

  /** A pod became ready or a proxy applied config: wake the waiters whose condition now holds. */
  configApplied(): void {
    // Asked after every pod that becomes ready (600 at 30 replicas): no list made while none is due.
    let due: { ready: () => boolean; run: () => void }[] | undefined;
    const waiters = this.waiters;
    for (let i = 0; i < waiters.length; i++) if (waiters[i]!.ready()) (due ??= []).push(waiters[i]!);
    if (!due) return;
    const ran = due;
    this.waiters = this.waiters.filter((w) => !ran.includes(w));
    for (const w of due) w.run();
  }

  /** Kubernetes reports the service's ready endpoints to the control plane after `endpointDelay`. */
  endpointsChangedLater(service: ServiceRuntime): void {
    this.scheduler.after(this.scenario.network.endpointDelay, () => this.controlPlane.endpointsChanged(service));
  }

  /** The next pod's {@link Pod.index}. */
  nextPodIndex(): number {
    return this.nextPod++;
  }

  nextConnectionId(): number {
    return this.nextConnection++;
  }

  /** Remembers a connection so that {@link resetConnectionsTo} can find it. */
  track(conn: Connection): void {
    const list = this.connectionsTo.get(conn.serverName);
    if (list) list.push(conn);
    else this.connectionsTo.set(conn.serverName, [conn]);
  }

  /** Cut links between pods (or a pod and the control plane), by `a|b` with the names sorted. */
  private readonly cutLinks = new Set<string>();

  /** Whether the network between two pods (or a pod and `control-plane`) is cut now. */
  linkCut(a: Pod | string, b: Pod | string): boolean {
    if (this.cutLinks.size === 0) return false;
    const x = typeof a === 'string' ? a : a.name;
    const y = typeof b === 'string' ? b : b.name;
    return this.cutLinks.has(x < y ? `${x}|${y}` : `${y}|${x}`);
  }

  /** Cuts or mends a link; cutting resets the connections that cross it. */
  setLinkCut(a: string, b: string, cut: boolean): void {
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    if (!cut) {
      this.cutLinks.delete(key);
      // A proxy cut off from the control plane catches up once it can reach it again.
      if (a === 'control-plane' || b === 'control-plane') this.controlPlane.resync();
      return;
    }
    this.cutLinks.add(key);
    for (const [server, list] of this.connectionsTo) {
      for (const conn of list) {
        const ends = [conn.clientName, server];
        if (ends.includes(a) && ends.includes(b)) conn.reset();
      }
    }
  }

  /** The proxy can talk to the control plane: it is up and no cut link separates them. */
  controlPlaneReachable(proxy: Proxy): boolean {
    return this.controlPlane.up && !this.linkCut(proxy.name, 'control-plane');
  }

  /** A pod (or a proxy) went away: every connection to it is reset, failing the requests on it. */
  resetConnectionsTo(name: string): void {
    const list = this.connectionsTo.get(name);
    if (!list) return;
    this.connectionsTo.delete(name);
    for (const conn of list) conn.reset();
  }

  /** `req-` and the request's number padded with zeros to six digits (`req-000042`), as `padStart` would write it. */
  newRequestId(): string {
    const n = String(this.nextRequest++);
    return (REQUEST_PREFIXES[n.length] ?? 'req-') + n;
  }

  /** Records a flight leaving now and arriving after `f.delayMs`; returns its arrival time. */
  flight(f: FlightSpec): number {
    return this.flightOf(f.kind, f.from, f.to, f.delayMs, f.label, f.requestId, f.attempt, f.mtls, f.status, f.detail);
  }

  /**
   * {@link flight} with the fields as arguments, for the hops every request takes (app ↔ proxy,
   * proxy ↔ proxy): no spec object per flight.
   */
  flightOf(
    kind: FlightEvent['kind'],
    from: NodeId,
    to: NodeId,
    delayMs: number,
    label: string,
    requestId?: string,
    attempt?: number,
    mtls?: boolean,
    status?: number,
    detail?: FlightEvent['detail'],
  ): number {
    const t = this.scheduler.now;
    const arriveMs = t + delayMs;
    // Straight into the trace's columns: no event object, and the flight's id `f-N` kept as N.
    this.recorder.store.pushFlight(t, this.nextFlight++, kind, from, to, arriveMs, label, requestId, attempt, mtls, status, detail);
    return arriveMs;
  }

  /** {@link statusText}`(status)` with its id in this run's trace. */
  statusName(status: number): TraceName {
    return (this.statusNames[status] ??= new TraceName(statusText(status)));
  }

  /** {@link responseLabel}`(status)` with its id in this run's trace. */
  responseName(status: number): TraceName {
    return status === 0 ? (this.resetName ??= new TraceName(responseLabel(0))) : this.statusName(status);
  }

  /**
   * {@link flightOf} with the kind and ends as {@link TraceName}s (a pod's app node, a proxy's node):
   * their ids found once a run, not looked up once a flight.
   */
  flightBetween(
    kind: TraceName,
    from: TraceName,
    to: TraceName,
    delayMs: number,
    label: TraceName,
    requestId?: string,
    attempt?: number,
    mtls?: boolean,
    status?: number,
    detail?: FlightEvent['detail'],
  ): number {
    const t = this.scheduler.now;
    const arriveMs = t + delayMs;
    const store = this.recorder.store;
    // In the order pushFlight interns them: from, to, kind, label.
    const f = from.idIn(store);
    const to_ = to.idIn(store);
    const k = kind.idIn(store);
    store.pushFlightOf(t, this.nextFlight++, k, f, to_, arriveMs, label.idIn(store), requestId, attempt, mtls, status, detail);
    return arriveMs;
  }

  /**
   * {@link flightOf} for a flight of no request whose kind, ends and label the caller interned in
   * this run's trace, with its detail's row (NONE for none): a handshake's messages (handshake.ts).
   */
  flightIds(kind: number, from: number, to: number, delayMs: number, label: number, detailRow: number): number {
    const t = this.scheduler.now;
    const arriveMs = t + delayMs;
    this.recorder.store.pushFlightIds(t, this.nextFlight++, kind, from, to, arriveMs, label, detailRow);
    return arriveMs;
  }

  /**
   * Runs `fn` when a flight arrives: at once for a hop inside a pod (app ↔ its proxy, no
   * latency), else as a task at the arrival time. Saves a scheduler round trip per local hop.
   */
  arrive(arriveMs: number, fn: () => void): void {
    if (arriveMs <= this.scheduler.now) fn();
    else this.scheduler.at(arriveMs, fn);
  }

  /** Records a decision taken now at `d.node`. */
  decide(d: DecisionSpec): void {
    this.recorder.store.pushDecision(this.scheduler.now, d.node, d.layer, d.kind, d.summary, d.cause, d.requestId, d.attempt, d.data);
  }

  /**
   * {@link decide} with the fields as arguments, node, layer and kind with their ids, for the decisions most requests take: no spec object, three lookups fewer.
   * A summary no other decision can share comes as a {@link UniqueText} (a least-request draw's words): no interning map.
   */
  decideOf(
    node: TraceName,
    layer: TraceName,
    kind: TraceName,
    summary: string | UniqueText,
    cause: DecisionSpec['cause'],
    requestId?: string,
    attempt?: number,
  ): void {
    const store = this.recorder.store;
    store.pushDecisionIds(
      this.scheduler.now,
      node.idIn(store),
      layer.idIn(store),
      kind.idIn(store),
      typeof summary === 'string' ? store.strRare(summary) : summary.idIn(store),
      store.cause(cause),
      requestId,
      attempt,
      undefined,
    );
  }

  narrate(text: string, node?: NodeId): void {
    this.recorder.record({ type: 'narration', t: this.scheduler.now, text, ...(node ? { node } : {}) });
  }
}
