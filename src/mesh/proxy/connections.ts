/**
 * Connections from a client (a proxy, or an unmeshed app) to the next hop toward a pod, and their
 * reuse. A connection goes where the data plane's hop says: to a pod's sidecar (or its app), or a
 * tunnel to a proxy that carries streams for many pods. New connections go through the handshake
 * in handshake.ts. When the client's cluster has pool limits
 * (Istio DestinationRule connectionPool → Envoy circuit breakers, FIDELITY C1), they are enforced
 * here, counted per cluster and shared by its hosts:
 *
 * - more active requests than `maxRequests` → overflow;
 * - no ready connection → the request waits as pending (for a connection being set up, or for
 *   one to free up when `maxConnections` is reached), and more pending than `maxPending` →
 *   overflow. Envoy still lets each host have one connection.
 * - after `maxRequestsPerConnection` requests a connection is closed.
 *
 * Overflow is answered locally (503 UO) and the server never sees the request.
 */
import type { startChartActor, NodeId } from '../../sim/index.ts';
import { ENVOY_POOL_FIELDS, type AuthzVerdict, type PoolLimits } from '../config.ts';
import type { Certificate, Pod, TransportFailure } from '../types.ts';
import type { World } from '../world.ts';
import type { ClientTlsChoice } from '../profiles/types.ts';
import type { Hop } from '../dataPlane.ts';
import type { Proxy } from './Proxy.ts';
import { dial } from './handshake.ts';
import { withEntry } from './firstEntry.ts';

/** Where a new connection goes and for whom: the hop, the pod it is first opened for, and the identity the client presents. */
export interface DialTarget {
  hop: Hop;
  /** The pod the connection is opened toward (its TLS settings and SNI). */
  workload: Pod;
  clientIdentity: string | undefined;
}

/** The side that opens connections: a proxy, or an app (a pod) with none. */
export interface ConnectionOwner {
  readonly name: string;
  readonly proxy: Proxy | undefined;
}

export type DialOutcome =
  | { ok: true; conn: Connection }
  | { ok: false; failure: Extract<TransportFailure, 'connect-failure' | 'reset'>; reason: string }
  | { ok: false; overflow: string };

type Waiter = (outcome: DialOutcome) => void;

/** Pool counters of one upstream cluster, shared by all its hosts. */
export interface PoolCounters {
  limits: PoolLimits | null;
  connections: number;
  active: number;
  pending: number;
}

/**
 * What every connection one pool opens shares: the client's end and the pool's release handler.
 * Kept once per pool and read through the connection's getters, not copied into each connection
 * (at 30 replicas per service a 10 s run opens ~7,800 connections, most kept to its end).
 */
export interface ClientEnd {
  readonly from: NodeId;
  /** What the client side is called in entities and the report (the pod, for a sidecar). */
  readonly clientName: string;
  /** The client's proxy; undefined for an app connecting by itself. */
  readonly clientProxy: Proxy | undefined;
  /** One-way latency of its connections' path. */
  readonly latencyMs: number;
  /** Called when a stream ends or a connection dies (the pool's). */
  readonly onRelease?: (conn: Connection) => void;
}

/** The waiters of a connection that has none (never written: a first waiter gets a list of its own). */
const NO_WAITERS: Waiter[] = [];

/** One transport connection; carries up to `maxStreams` requests at once. */
export class Connection {
  /**
   * A connection is its own successful {@link DialOutcome} (`ok`, and `conn` itself), handed to
   * every request it carries: at 30 replicas per service most connections live to the end of the
   * run, and a separate outcome object each was ~40 bytes more to keep. A getter, not a field: one
   * field fewer in each connection.
   */
  get ok(): true {
    return true;
  }
  state: 'connecting' | 'established' | 'failed' | 'closed' = 'connecting';
  streams = 0;
  /** Requests served so far (for maxRequestsPerConnection). */
  served = 0;
  /** Already taken off its cluster's connection count. */
  counted = false;
  /**
   * Requests waiting for this connection to be established: a list of its own from the first
   * (firstEntry.ts), the request that opened it; the handshake takes the list away when it settles.
   */
  waiters: Waiter[] = NO_WAITERS;
  /**
   * The open streams' reset handlers: the first in a slot of its own (an HTTP/1.1 connection
   * carries one stream at a time, so most never need more), the others in a map made when a second
   * stream opens beside it. Ids start at 1; 0 is an empty slot.
   */
  private soleStream = 0;
  private soleReset: (() => void) | undefined;
  private moreResets: Map<number, () => void> | undefined;
  private nextStream = 1;
  readonly serverGeneration: number;
  actor?: ReturnType<typeof startChartActor>;
  counters?: PoolCounters;
  /** The server's answer for this connection when its policy decides per connection (AuthzVerdict scope). */
  authz?: AuthzVerdict;

  /** Where it goes. */
  readonly hop: Hop;
  /** The pod it was opened toward. */
  readonly workload: Pod;
  /** The identity the client presents (which of its proxy's certificates). */
  readonly clientIdentity: string | undefined;

  constructor(
    readonly id: number,
    /** The client's end, shared by its pool's connections. */
    readonly end: ClientEnd,
    target: DialTarget,
    readonly mtls: boolean,
    readonly maxStreams: number,
    /** Pool key: connections with the same key are interchangeable. */
    readonly key: string,
  ) {
    this.hop = target.hop;
    this.workload = target.workload;
    this.clientIdentity = target.clientIdentity;
    this.serverGeneration = target.hop.life.generation;
  }

  get from(): NodeId {
    return this.end.from;
  }

  /** What the client side is called in entities and the report (the pod, for a sidecar). */
  get clientName(): string {
    return this.end.clientName;
  }

  /** The client's proxy; undefined for an app connecting by itself. */
  get clientProxy(): Proxy | undefined {
    return this.end.clientProxy;
  }

  /** One-way latency of this connection's path. */
  get latencyMs(): number {
    return this.end.latencyMs;
  }

  /** The outcome that hands this connection to a request: the connection itself ({@link ok}, {@link conn}), no object of its own. */
  get usable(): DialOutcome {
    return this;
  }

  /** Itself as the connection of a successful {@link DialOutcome}. */
  get conn(): Connection {
    return this;
  }

  /** What the far end is called (the server pod, or the proxy a tunnel ends at). */
  get serverName(): string {
    return this.hop.name;
  }

  /** The far end is still the one this connection was made to. */
  get serverAlive(): boolean {
    return this.hop.life.up && this.hop.life.generation === this.serverGeneration;
  }

  get alive(): boolean {
    return this.state === 'established' && this.hop.life.generation === this.serverGeneration && this.hop.life.up;
  }

  /** The certificate the client presents now (its proxy's, for the identity it acts as). */
  clientCertificate(): Certificate | null {
    return this.clientProxy ? this.clientProxy.certificateFor(this.clientIdentity) : null;
  }

  /** The certificate the far end's proxy presents now for the identity the hop names. */
  serverCertificate(): Certificate | null {
    return this.hop.proxy ? this.hop.proxy.certificateFor(this.hop.identity) : null;
  }

  /**
   * The handshake ended: every request waiting for it gets `outcome`, in the order they came. A
   * connection that failed leaves its cluster's connection count first.
   */
  settle(outcome: DialOutcome): void {
    const waiters = this.waiters;
    this.waiters = NO_WAITERS;
    if (!outcome.ok) this.uncount();
    for (let i = 0; i < waiters.length; i++) waiters[i]!(outcome);
  }

  /** Leaves its cluster's connection count (it failed or closed), once. */
  uncount(): void {
    if (!this.counters || this.counted) return;
    this.counted = true;
    this.counters.connections--;
  }

  /** Starts a request on this connection; `onReset` runs if the connection dies under it. */
  openStream(onReset: () => void): number {
    const id = this.nextStream++;
    this.streams++;
    this.served++;
    if (this.counters) this.counters.active++;
    if (this.soleStream === 0) {
      this.soleStream = id;
      this.soleReset = onReset;
    } else (this.moreResets ??= new Map()).set(id, onReset);
    return id;
  }

  closeStream(id: number): void {
    if (id !== 0 && id === this.soleStream) {
      this.soleStream = 0;
      this.soleReset = undefined;
    } else if (!this.moreResets?.delete(id)) return;
    this.streams--;
    if (this.counters) this.counters.active--;
    this.end.onRelease?.(this);
  }

  /** The connection ends: every request on it fails as a reset. */
  reset(): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.state = 'closed';
    this.actor?.send({ type: 'connection.reset' });
    // Every open stream's handler, in the order the streams opened (their ids).
    const open: [number, () => void][] = this.moreResets ? [...this.moreResets] : [];
    if (this.soleStream !== 0) open.push([this.soleStream, this.soleReset!]);
    open.sort((a, b) => a[0] - b[0]);
    const handlers = open.map(([, h]) => h);
    this.soleStream = 0;
    this.soleReset = undefined;
    this.moreResets?.clear();
    if (this.counters) this.counters.active -= this.streams;
    this.streams = 0;
    for (const h of handlers) h();
    this.end.onRelease?.(this);
  }

  /** Closes an idle connection politely (keep-alive limit reached). */
  close(): void {
    if (this.state !== 'established') return;
    this.state = 'closed';
    this.actor?.send({ type: 'connection.closed' });
  }
}

/** `done`, counting the request as pending in `counters` until its connection is ready (or fails). */
function pendingUntilSettled(counters: PoolCounters, done: Waiter): Waiter {
  counters.pending++;
  return (outcome) => {
    counters.pending--;
    done(outcome);
  };
}

const isLive = (c: Connection): boolean => c.state === 'connecting' || c.alive;

/** The live connections to a hop a pool has never connected to. */
const NO_CONNECTIONS: readonly Connection[] = [];

/** The connections one client keeps, by hop (for a sidecar: by server pod). */
export class ConnectionPool {
  private readonly byServer = new Map<string, Connection[]>();
  /** Requests waiting for a connection to a hop (pool full), with their cluster; made when one first waits. */
  private pendingByServer: Map<string, { counters: PoolCounters; tls: ClientTlsChoice | null; done: Waiter }[]> | undefined;
  /** What its connections share: the client's end, and {@link released} as their release handler. */
  private readonly end: ClientEnd;

  constructor(
    private readonly world: World,
    private readonly owner: ConnectionOwner,
    fromNode: NodeId,
    /** 1 for HTTP/1.1 (one request per connection at a time), Infinity for HTTP/2. */
    private readonly maxStreams: number,
    /** One-way latency to the servers (the cluster link, or an outside client's path to the edge). */
    latencyMs: number = world.linkMs,
  ) {
    // One handler per pool, not a closure made per connection: that would share the opening call's
    // scope, and so keep the request that opened the connection, and all it holds, for its life.
    this.end = { from: fromNode, clientName: owner.name, clientProxy: owner.proxy, latencyMs, onRelease: (conn) => this.released(conn) };
  }

  /**
   * Finds a connection to `target`'s hop with room for one more request, opens one, or queues the
   * request as pending. The caller opens a stream on the connection it gets, at once.
   */
  acquire(target: DialTarget, tls: ClientTlsChoice | null, counters: PoolCounters | null, done: Waiter): void {
    // A proxy acting for many workloads keeps their connections apart (one tunnel per pair of identities).
    const key = this.owner.proxy?.actsFor === 'workloads' ? `${target.hop.key}|${target.clientIdentity ?? ''}` : target.hop.key;
    const limits = counters?.limits;
    if (limits && counters.active + this.reserved(counters) >= limits.maxRequests) {
      const name = (limits.fields ?? ENVOY_POOL_FIELDS).maxRequests;
      return done({ ok: false, overflow: `${counters.active} active requests reach ${name} ${limits.maxRequests}` });
    }
    const mtls = tls?.mtls ?? false;
    const list = this.live(key);
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (c.mtls === mtls && c.state === 'established' && c.streams < c.maxStreams && !this.spent(c)) return done(c.usable);
    }
    // No ready connection: Envoy queues the request as pending — also while the connection it waits
    // for is still being set up — and refuses it when the pending queue is full (FIDELITY C1;
    // envoy source/common/conn_pool/conn_pool_base.cc newStreamImpl: no ready client →
    // pendingRequests().canCreate() or overflow, then newPendingStream and tryCreateNewConnections).
    if (limits && counters.pending >= limits.maxPending) {
      const names = limits.fields ?? ENVOY_POOL_FIELDS;
      return done({
        ok: false,
        overflow: `no ready connection (${counters.connections} open or opening, ${names.maxConnections} ${limits.maxConnections}) and ${counters.pending} pending (${names.maxPending} ${limits.maxPending})`,
      });
    }
    const wait = limits ? pendingUntilSettled(counters, done) : done;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (c.mtls === mtls && c.state === 'connecting' && c.streams + c.waiters.length < c.maxStreams) {
        c.waiters = withEntry(c.waiters, wait);
        return;
      }
    }
    // Envoy lets every host have at least one connection, whatever maxConnections says.
    if (!limits || counters.connections < limits.maxConnections || list.length === 0) return this.open(key, target, tls, counters, wait);
    const pending = (this.pendingByServer ??= new Map());
    let queue = pending.get(key);
    if (!queue) pending.set(key, (queue = []));
    queue.push({ counters, tls, done: wait });
  }

  private reserved(counters: PoolCounters): number {
    let n = 0;
    for (const list of this.byServer.values()) for (const c of list) if (c.counters === counters && c.state === 'connecting') n += c.waiters.length;
    return n;
  }

  /**
   * The connections to `key` that are connecting or alive. The list kept is returned as it is when
   * every one still is (most requests: no new array each time); else a new list of the live ones
   * replaces it. For a hop it has never connected to, {@link NO_CONNECTIONS} (read, never written).
   */
  private live(key: string): readonly Connection[] {
    const kept = this.byServer.get(key);
    if (kept === undefined) return NO_CONNECTIONS;
    if (kept.every(isLive)) return kept;
    const list = kept.filter(isLive);
    this.byServer.set(key, list);
    return list;
  }

  private spent(c: Connection): boolean {
    const max = c.counters?.limits?.maxRequestsPerConnection ?? 0;
    return max > 0 && c.served >= max;
  }

  private open(key: string, target: DialTarget, tls: ClientTlsChoice | null, counters: PoolCounters | null, done: Waiter): void {
    const conn = new Connection(this.world.nextConnectionId(), this.end, target, tls?.mtls ?? false, target.hop.tunnel?.maxStreams ?? this.maxStreams, key);
    if (counters) {
      conn.counters = counters;
      counters.connections++;
    }
    // A hop's first connection starts a list of one (firstEntry.ts: at 30 replicas most connections are a hop's first).
    this.byServer.set(key, withEntry(this.live(key), conn));
    this.world.track(conn);
    // The request that opened it, as it is: no closure around it per connection (settle() uncounts a failed one).
    conn.waiters = [done];
    dial(this.world, conn, tls);
  }

  /** A stream ended or a connection died: close spent connections, then serve a pending request. */
  private released(conn: Connection): void {
    if (conn.state === 'established' && conn.streams === 0 && this.spent(conn)) conn.close();
    if (conn.state !== 'established' && conn.state !== 'connecting') conn.uncount();
    const queue = this.pendingByServer?.get(conn.key);
    if (!queue || queue.length === 0) return;
    const next = queue[0]!;
    const free = conn.alive && conn.streams < conn.maxStreams && !this.spent(conn);
    const limits = next.counters.limits;
    if (!free && limits && next.counters.connections >= limits.maxConnections && this.live(conn.key).length > 0) return;
    queue.shift();
    if (free) next.done(conn.usable);
    else this.open(conn.key, { hop: conn.hop, workload: conn.workload, clientIdentity: conn.clientIdentity }, next.tls, next.counters, next.done);
  }
}
