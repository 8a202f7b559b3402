/**
 * The handshake of a new connection: TCP, then for mTLS the TLS 1.3 mutual handshake message by message (RFC 8446 §2, FIDELITY A8) with the
 * identity checks each side makes, then reuse by later requests.
 *
 * Timing, with L the one-way link latency: SYN at 0, SYN-ACK back at 2L; ClientHello arrives at
 * 3L; the server's flight (ServerHello … Finished) at 4L; the client's Certificate,
 * CertificateVerify and Finished at 5L. mesh-sim lets the first request go once the server has
 * checked the client's certificate, so a rejected client certificate shows as a failed handshake.
 *
 * A mesh whose proxies negotiate TLS 1.2 (Consul: Envoy's client default, FIDELITY-MORE I3) runs
 * the 2-RTT handshake of FIDELITY A8 instead: the server's flight ends in ServerHelloDone, the
 * client answers with Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec and
 * Finished, and the server's ChangeCipherSpec and Finished reach the client at 6L, when the first
 * request goes (no False Start).
 */
import { NONE, startChartActor } from '../../sim/index.ts';
import { tlsConnectionChart } from '../machines/charts.ts';
import type { World } from '../world.ts';
import type { ClientTlsChoice } from '../profiles/types.ts';
import type { Certificate } from '../types.ts';
import type { Connection } from './connections.ts';
import {
  certificateMessage,
  clientCertificateMessage,
  establishedBetween,
  factsOf,
  helloMessage,
  UNSET,
  type HandshakeFacts,
  type Message,
} from './handshakeFacts.ts';

/**
 * Records message `m` as a flight of `kind` between two nodes (their string ids); returns its
 * arrival time. The kind's and label's ids and the detail's row are looked up the first time the
 * run records them, in the order {@link World.flightOf} interns a flight's strings (kind, label,
 * detail), so the trace's tables come out as before.
 */
function send(world: World, f: HandshakeFacts, kind: 'tcp' | 'tls', from: number, to: number, delayMs: number, m: Message): number {
  const store = world.recorder.store;
  let k = kind === 'tls' ? f.tls : f.tcp;
  if (k === UNSET) {
    k = store.str(kind);
    if (kind === 'tls') f.tls = k;
    else f.tcp = k;
  }
  if (m.labelId === UNSET) m.labelId = store.str(m.label);
  if (m.row === UNSET) m.row = m.detail === undefined ? NONE : store.detailRow(m.detail);
  return world.flightIds(k, from, to, delayMs, m.labelId, m.row);
}

/** Runs the TCP (and TLS) handshake of `conn`, recording every message as a flight. */
export function dial(world: World, conn: Connection, tls: ClientTlsChoice | null): void {
  new Handshake(world, conn, tls).start();
}

// The events every handshake sends its machine, one object each (an event is read, never kept).
const TCP_SYN = { type: 'tcp.syn' } as const;
const TCP_ESTABLISHED = { type: 'tcp.established' } as const;
const TLS_CLIENT_HELLO = { type: 'tls.clientHello' } as const;
const TLS_SERVER_FINISHED = { type: 'tls.serverFinished' } as const;
const TLS_CLIENT_FINISHED = { type: 'tls.clientFinished' } as const;

/** What a handshake does when its next message arrives ({@link Handshake.stage}). */
type Stage = number;
/** The SYN reaches the server. */
const SYN = 0;
/** The SYN-ACK reaches the client. */
const SYN_ACK = 1;
/** The ClientHello reaches the server. */
const CLIENT_HELLO = 2;
/** The server's flight reaches the client. */
const SERVER_FLIGHT = 3;
/** The client's flight reaches the server. */
const CLIENT_FLIGHT = 4;
/** TLS 1.2: the server's Finished reaches the client. */
const SERVER_FINISHED = 5;
/** The connection fails now ({@link Handshake.failLater}). */
const FAIL = 6;

/**
 * One connection's handshake, step by step: each message that arrives runs {@link step} (the one
 * task a handshake has scheduled at a time), which records the next messages and schedules their
 * arrival. One object and one task function per handshake, instead of a closure per message (at 30
 * replicas per service a 10 s run makes ~7,800 handshakes).
 */
class Handshake {
  private stage: Stage = SYN;
  /** The server's certificate as it presented it, and the client's (from the server's flight on). */
  private cert: Certificate | null = null;
  private own: Certificate | null = null;
  // What a failure scheduled with failLater does: record the handshake (unless `recorded` is undefined), fail the connection.
  private failure: 'connect-failure' | 'reset' = 'reset';
  private reason = '';
  private event: 'tcp.refused' | 'tls.alert' | 'connection.reset' = 'tcp.refused';
  private recorded: string | undefined;
  /** The task every arrival runs. */
  private readonly task = (): void => this.step();
  /** The client's and the server's nodes' string ids in the run's trace (their machine interned them first). */
  private fromId = 0;
  private toId = 0;
  private readonly f: HandshakeFacts;

  constructor(
    private readonly world: World,
    private readonly conn: Connection,
    private readonly tls: ClientTlsChoice | null,
  ) {
    this.f = factsOf(world);
  }

  start(): void {
    const { world, conn } = this;
    const from = conn.from;
    const actor = (conn.actor = startChartActor(tlsConnectionChart, {
      scheduler: world.scheduler,
      recorder: world.recorder,
      entity: `conn:${conn.clientName}→${conn.serverName}#${conn.id}`,
      uniqueEntity: true,
      // The ends as their proxies keep them, when the ends are the proxies' nodes.
      node: conn.clientProxy?.node === from ? conn.clientProxy.nodeTraceName : from,
      peer: conn.hop.proxy?.node === conn.hop.node ? conn.hop.proxy.nodeTraceName : conn.hop.node,
    }));
    // The machine interned both ends first: their ids, not two more lookups.
    this.fromId = actor.node;
    this.toId = actor.peer;
    conn.actor.send(TCP_SYN);
    const syn = send(world, this.f, 'tcp', this.fromId, this.toId, conn.latencyMs, this.f.syn);
    if (world.linkCut(conn.clientName, conn.serverName)) {
      // The SYN is lost: nothing answers, and the client gives up at its connect timeout.
      const timeoutMs = conn.counters?.limits?.connectTimeoutMs ?? world.profile.connectTimeout.ms;
      this.failLater(world.now + timeoutMs, 'connect-failure', `connect timeout after ${timeoutMs}ms: the link to ${conn.serverName} is cut`, 'tcp.refused');
      return;
    }
    this.next(syn, SYN);
  }

  /** Runs `stage` at `atMs`. */
  private next(atMs: number, stage: Stage): void {
    this.stage = stage;
    this.world.scheduler.at(atMs, this.task);
  }

  /** At `atMs` the connection fails; with `recorded` the handshake's failure is recorded first, with that reason. */
  private failLater(atMs: number, failure: 'connect-failure' | 'reset', reason: string, event: Handshake['event'], recorded?: string): void {
    this.failure = failure;
    this.reason = reason;
    this.event = event;
    this.recorded = recorded;
    this.next(atMs, FAIL);
  }

  private step(): void {
    switch (this.stage) {
      case SYN:
        return this.synArrived();
      case SYN_ACK:
        return this.synAckArrived();
      case CLIENT_HELLO:
        return this.serverFlight();
      case SERVER_FLIGHT:
        return this.serverFlightArrived();
      case CLIENT_FLIGHT:
        return this.clientFlightArrived();
      case SERVER_FINISHED:
        if (!this.conn.serverAlive) return fail(this.conn, 'reset', `${this.conn.serverName} went away during the handshake`, 'connection.reset');
        return this.establish();
      case FAIL:
        if (this.recorded !== undefined) record(this.world, this.conn, false, this.recorded);
        return fail(this.conn, this.failure, this.reason, this.event);
    }
  }

  private synArrived(): void {
    const { world, conn } = this;
    const from = conn.from;
    const to = conn.hop.node;
    if (!conn.serverAlive) {
      const rst = world.flight({ kind: 'tcp', from: to, to: from, delayMs: conn.latencyMs, label: 'RST' });
      return this.failLater(rst, 'connect-failure', `connection refused: ${conn.serverName} is not running`, 'tcp.refused');
    }
    this.next(send(world, this.f, 'tcp', this.toId, this.fromId, conn.latencyMs, this.f.synAck), SYN_ACK);
  }

  private synAckArrived(): void {
    const { world, conn } = this;
    if (!conn.mtls) {
      conn.state = 'established';
      conn.actor!.send(TCP_ESTABLISHED);
      conn.settle(conn.usable);
      return;
    }
    conn.actor!.send(TLS_CLIENT_HELLO);
    const hello = send(world, this.f, 'tls', this.fromId, this.toId, conn.latencyMs, helloMessage(world.profile.tls, this.f, conn.workload));
    this.next(hello, CLIENT_HELLO);
  }

  /** The server answers the ClientHello — if it speaks mTLS and holds a valid certificate. */
  private serverFlight(): void {
    const { world, conn } = this;
    const tls = this.tls!;
    const client = conn.clientName;
    const server = conn.serverName;
    const proxy = conn.hop.proxy;
    const L = conn.latencyMs;
    const from = conn.from;
    const to = conn.hop.node;
    const serverTls = proxy ? world.configOf(proxy).serverTls(conn.workload) : null;
    if (!proxy || serverTls?.mode === 'disable') {
      // No TLS listener: the ClientHello reaches a plaintext handler, which drops the connection.
      const why = proxy ? `${server} does not terminate mTLS (${serverTls!.cause.config})` : `${server} has no sidecar to terminate mTLS`;
      world.decide({
        node: to,
        layer: 'mtls',
        kind: 'handshake-failed',
        summary: `TLS from ${client} not accepted: ${why}`,
        cause: serverTls?.cause ?? tls.cause,
      });
      const rst = world.flight({ kind: 'tcp', from: to, to: from, delayMs: L, label: 'RST' });
      return this.failLater(rst, 'reset', `TLS handshake failed: ${why}`, 'connection.reset', why);
    }
    // A proxy with no certificate yet cannot answer the ClientHello. One whose certificate expired
    // still presents it — TLS libraries do not check their own certificate — and the client rejects it.
    const cert = conn.serverCertificate();
    if (!cert) {
      const why = `${server} has no certificate yet`;
      world.decide({
        node: to,
        layer: 'mtls',
        kind: 'handshake-failed',
        summary: `cannot complete the handshake: ${why}`,
        cause: world.profile.identity.ttlCause,
      });
      const alert = world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label: 'alert: internal_error' });
      return this.failLater(alert, 'connect-failure', `TLS handshake failed: ${why}`, 'tls.alert', why);
    }
    this.cert = cert;
    const f = this.f;
    let arrive = 0;
    const flight = f.server;
    for (let i = 0; i < flight.length; i++) arrive = send(world, f, 'tls', this.toId, this.fromId, L, flight[i] ?? certificateMessage(f, cert));
    this.next(arrive, SERVER_FLIGHT);
  }

  /** The client checks the server's certificate: validity, then secure naming (Istio) / the destination's expected identity (Linkerd). */
  private serverFlightArrived(): void {
    const { world, conn } = this;
    const tls = this.tls!;
    const cert = this.cert!;
    const server = conn.serverName;
    const L = conn.latencyMs;
    const from = conn.from;
    const to = conn.hop.node;
    let why: string | undefined;
    if (cert.expiresAtMs <= world.now) why = `server certificate of ${server} expired`;
    else if (!tls.expectedIdentities.includes(cert.identity))
      why = `server identity ${cert.identity} is not the expected ${tls.expectedIdentities.join(' or ') || '(none)'}`;
    if (why) {
      world.decide({
        node: from,
        layer: 'mtls',
        kind: 'handshake-failed',
        summary: `rejected ${server}: ${why}`,
        cause: cert.expiresAtMs <= world.now ? world.profile.identity.ttlCause : tls.cause,
      });
      world.flight({ kind: 'tls', from, to, delayMs: L, label: cert.expiresAtMs <= world.now ? 'alert: certificate_expired' : 'alert: bad_certificate' });
      record(world, conn, false, why);
      fail(conn, 'connect-failure', `TLS handshake failed: ${why}`, 'tls.alert');
      return;
    }
    conn.actor!.send(TLS_SERVER_FINISHED);
    const f = this.f;
    const own = (this.own = conn.clientCertificate());
    send(world, f, 'tls', this.fromId, this.toId, L, clientCertificateMessage(f, own?.identity ?? '(none)'));
    let back = 0;
    const after = f.clientAfterCertificate;
    for (let i = 0; i < after.length; i++) back = send(world, f, 'tls', this.fromId, this.toId, L, after[i]!);
    this.next(back, CLIENT_FLIGHT);
  }

  /** The server checks the client's certificate; the connection is established (TLS 1.3) or one trip from it (TLS 1.2). */
  private clientFlightArrived(): void {
    const { world, conn } = this;
    const client = conn.clientName;
    const L = conn.latencyMs;
    const from = conn.from;
    const to = conn.hop.node;
    const own = this.own;
    if (!conn.serverAlive) return fail(conn, 'reset', `${conn.serverName} went away during the handshake`, 'connection.reset');
    if (!own || own.expiresAtMs <= world.now) {
      const reason = own ? `client certificate of ${client} expired` : `${client} presented no certificate`;
      world.decide({
        node: to,
        layer: 'mtls',
        kind: 'handshake-failed',
        summary: `rejected ${client}: ${reason}`,
        cause: world.profile.identity.ttlCause,
      });
      const alert = world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label: own ? 'alert: certificate_expired' : 'alert: certificate_required' });
      return this.failLater(alert, 'connect-failure', `TLS handshake failed: ${reason}`, 'tls.alert', reason);
    }
    const f = this.f;
    const said = establishedBetween(f, own.identity, this.cert!.identity);
    // The handshake-ok decision from ids found once a run (its summary once per pair of
    // identities), in the order pushDecision interns them: node (the server's, interned at
    // start), layer, kind, summary, cause.
    const store = world.recorder.store;
    if (f.okKind === UNSET) {
      f.mtlsLayer = store.str('mtls');
      f.okKind = store.str('handshake-ok');
    }
    if (said.summaryId === UNSET) said.summaryId = store.strRare(said.summary);
    const cause = world.profile.tls.cause;
    if (f.okCauseOf !== cause) {
      f.okCauseOf = cause;
      f.okCause = store.cause(cause);
    }
    store.pushDecisionIds(world.now, this.toId, f.mtlsLayer, f.okKind, said.summaryId, f.okCause, undefined, undefined, said.data);
    record(world, conn, true);
    if (!f.tls12) return this.establish();
    // TLS 1.2: the server's ChangeCipherSpec and Finished close the handshake one more trip later.
    world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label: '[ChangeCipherSpec]' });
    this.next(world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label: '{Finished}' }), SERVER_FINISHED);
  }

  private establish(): void {
    const conn = this.conn;
    conn.state = 'established';
    conn.actor!.send(TLS_CLIENT_FINISHED);
    conn.settle(conn.usable);
  }
}

/** The connection could not be made: its machine hears `event`, and every request waiting for it fails. */
function fail(conn: Connection, failure: 'connect-failure' | 'reset', reason: string, event: 'tcp.refused' | 'tls.alert' | 'connection.reset'): void {
  conn.state = 'failed';
  conn.actor!.send({ type: event });
  conn.settle({ ok: false, failure, reason });
}

/** The handshake's outcome in the run report (its identities as the certificates name them now). */
function record(world: World, conn: Connection, ok: boolean, reason?: string): void {
  const client = conn.clientName;
  const server = conn.serverName;
  const clientIdentity = conn.clientCertificate()?.identity ?? '';
  const serverIdentity = conn.serverCertificate()?.identity ?? '';
  world.stats.handshakes.push(
    reason
      ? { client, server, clientIdentity, serverIdentity, ok, atMs: world.now, reason }
      : { client, server, clientIdentity, serverIdentity, ok, atMs: world.now },
  );
}
