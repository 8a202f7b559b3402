/**
 * Connections from a client (a sidecar, or an unmeshed app) to server pods, and their reuse. New
 * connections go through the handshake in handshake.ts. When the client's cluster has pool limits
 * (Istio DestinationRule connectionPool → Envoy circuit breakers, FIDELITY C1), they are enforced
 * here, counted per cluster and shared by its hosts:
 *
 * - more active requests than `maxRequests` → overflow;
 * - no free connection and `maxConnections` reached → the request waits as pending, and more
 *   pending than `maxPending` → overflow. Envoy still lets each host have one connection.
 * - after `maxRequestsPerConnection` requests a connection is closed.
 *
 * Overflow is answered locally (503 UO) and the server never sees the request.
 */
import type { startRecordedActor, NodeId } from '../../sim/index.ts';
import type { PoolLimits } from '../config.ts';
import type { Pod, TransportFailure } from '../types.ts';
import type { World } from '../world.ts';
import type { ClientTlsChoice } from '../profiles/types.ts';
import { dial } from './handshake.ts';

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

/** One transport connection; carries up to `maxStreams` requests at once. */
export class Connection {
  state: 'connecting' | 'established' | 'failed' | 'closed' = 'connecting';
  streams = 0;
  /** Requests served so far (for maxRequestsPerConnection). */
  served = 0;
  /** Already taken off its cluster's connection count. */
  counted = false;
  /** Requests waiting for this connection to be established. */
  readonly waiters: Waiter[] = [];
  private readonly resetHandlers = new Map<number, () => void>();
  private nextStream = 1;
  readonly serverGeneration: number;
  actor?: ReturnType<typeof startRecordedActor>;
  /** Called when a stream ends or the connection dies (set by the pool). */
  onRelease?: (conn: Connection) => void;
  counters?: PoolCounters;

  constructor(
    readonly id: number,
    readonly from: NodeId,
    readonly client: Pod,
    readonly server: Pod,
    readonly mtls: boolean,
    readonly maxStreams: number,
    /** One-way latency of this connection's path. */
    readonly latencyMs: number,
  ) {
    this.serverGeneration = server.generation;
  }

  get alive(): boolean {
    return this.state === 'established' && this.server.generation === this.serverGeneration && this.server.up;
  }

  /** Starts a request on this connection; `onReset` runs if the connection dies under it. */
  openStream(onReset: () => void): number {
    const id = this.nextStream++;
    this.streams++;
    this.served++;
    if (this.counters) this.counters.active++;
    this.resetHandlers.set(id, onReset);
    return id;
  }

  closeStream(id: number): void {
    if (!this.resetHandlers.delete(id)) return;
    this.streams--;
    if (this.counters) this.counters.active--;
    this.onRelease?.(this);
  }

  /** The connection ends: every request on it fails as a reset. */
  reset(): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.state = 'closed';
    this.actor?.send({ type: 'connection.reset' });
    const handlers = [...this.resetHandlers.values()];
    this.resetHandlers.clear();
    if (this.counters) this.counters.active -= this.streams;
    this.streams = 0;
    for (const h of handlers) h();
    this.onRelease?.(this);
  }

  /** Closes an idle connection politely (keep-alive limit reached). */
  close(): void {
    if (this.state !== 'established') return;
    this.state = 'closed';
    this.actor?.send({ type: 'connection.closed' });
  }
}

/** The connections one client keeps, by server pod. */
export class ConnectionPool {
  private readonly byServer = new Map<string, Connection[]>();
  /** Requests waiting for a connection to a server (pool full), with their cluster. */
  private readonly pendingByServer = new Map<string, { counters: PoolCounters; tls: ClientTlsChoice | null; done: Waiter }[]>();

  constructor(
    private readonly world: World,
    private readonly owner: Pod,
    private readonly fromNode: NodeId,
    /** 1 for HTTP/1.1 (one request per connection at a time), Infinity for HTTP/2. */
    private readonly maxStreams: number,
    /** One-way latency to the servers (the cluster link, or an outside client's path to the edge). */
    private readonly latencyMs: number = world.linkMs,
  ) {}

  /**
   * Finds a connection to `server` with room for one more request, opens one, or queues the
   * request as pending. The caller opens a stream on the connection it gets, at once.
   */
  acquire(server: Pod, tls: ClientTlsChoice | null, counters: PoolCounters | null, done: Waiter): void {
    const limits = counters?.limits;
    if (limits && counters.active + this.reserved(counters) >= limits.maxRequests) {
      return done({ ok: false, overflow: `${counters.active} active requests reach http2MaxRequests ${limits.maxRequests}` });
    }
    const mtls = tls?.mtls ?? false;
    const list = this.live(server);
    for (const c of list) {
      if (c.mtls !== mtls) continue;
      if (c.state === 'established' && c.streams < c.maxStreams && !this.spent(c)) return done({ ok: true, conn: c });
      if (c.state === 'connecting' && c.streams + c.waiters.length < c.maxStreams) {
        c.waiters.push(done);
        return;
      }
    }
    // Envoy lets every host have at least one connection, whatever maxConnections says.
    if (!limits || counters.connections < limits.maxConnections || list.length === 0) return this.open(server, tls, counters, done);
    if (counters.pending >= limits.maxPending) {
      return done({
        ok: false,
        overflow: `${counters.connections} connections (maxConnections ${limits.maxConnections}) busy and ${counters.pending} pending (http1MaxPendingRequests ${limits.maxPending})`,
      });
    }
    counters.pending++;
    let queue = this.pendingByServer.get(server.name);
    if (!queue) this.pendingByServer.set(server.name, (queue = []));
    queue.push({ counters, tls, done });
  }

  private reserved(counters: PoolCounters): number {
    let n = 0;
    for (const list of this.byServer.values()) for (const c of list) if (c.counters === counters && c.state === 'connecting') n += c.waiters.length;
    return n;
  }

  private live(server: Pod): Connection[] {
    const list = (this.byServer.get(server.name) ?? []).filter((c) => c.state === 'connecting' || c.alive);
    this.byServer.set(server.name, list);
    return list;
  }

  private spent(c: Connection): boolean {
    const max = c.counters?.limits?.maxRequestsPerConnection ?? 0;
    return max > 0 && c.served >= max;
  }

  private open(server: Pod, tls: ClientTlsChoice | null, counters: PoolCounters | null, done: Waiter): void {
    const conn = new Connection(this.world.nextConnectionId(), this.fromNode, this.owner, server, tls?.mtls ?? false, this.maxStreams, this.latencyMs);
    if (counters) {
      conn.counters = counters;
      counters.connections++;
    }
    conn.onRelease = (c) => this.released(c);
    this.live(server).push(conn);
    this.world.track(conn);
    conn.waiters.push((outcome) => {
      if (!outcome.ok) this.uncount(conn);
      done(outcome);
    });
    dial(this.world, conn, tls);
  }

  /** A connection that failed or closed leaves its cluster's connection count, once. */
  private uncount(conn: Connection): void {
    if (!conn.counters || conn.counted) return;
    conn.counted = true;
    conn.counters.connections--;
  }

  /** A stream ended or a connection died: close spent connections, then serve a pending request. */
  private released(conn: Connection): void {
    if (conn.state === 'established' && conn.streams === 0 && this.spent(conn)) conn.close();
    if (conn.state !== 'established' && conn.state !== 'connecting') this.uncount(conn);
    const queue = this.pendingByServer.get(conn.server.name);
    if (!queue || queue.length === 0) return;
    const next = queue[0]!;
    const free = conn.alive && conn.streams < conn.maxStreams && !this.spent(conn);
    const limits = next.counters.limits;
    if (!free && limits && next.counters.connections >= limits.maxConnections && this.live(conn.server).length > 0) return;
    queue.shift();
    next.counters.pending--;
    if (free) next.done({ ok: true, conn });
    else this.open(conn.server, next.tls, next.counters, next.done);
  }
}
