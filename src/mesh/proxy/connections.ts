/**
 * Connections from a client (a sidecar, or an unmeshed app) to a server pod: the TCP handshake,
 * for mTLS the TLS 1.3 mutual handshake message by message (RFC 8446 §2, FIDELITY A8) with the
 * identity checks each side makes, then reuse by later requests.
 *
 * Timing, with L the one-way link latency: SYN at 0, SYN-ACK back at 2L; ClientHello arrives at
 * 3L; the server's flight (ServerHello … Finished) at 4L; the client's Certificate,
 * CertificateVerify and Finished at 5L. mesh-sim lets the first request go once the server has
 * checked the client's certificate, so a rejected client certificate shows as a failed handshake.
 */
import { startRecordedActor, type NodeId } from '../../sim/index.ts';
import { tlsConnectionMachine } from '../machines/tlsConnectionMachine.ts';
import { hasValidCertificate } from '../identity.ts';
import type { Pod, TransportFailure } from '../types.ts';
import type { World } from '../world.ts';
import type { ClientTlsChoice } from '../profiles/types.ts';

export type DialOutcome = { ok: true; conn: Connection } | { ok: false; failure: Extract<TransportFailure, 'connect-failure' | 'reset'>; reason: string };

type Waiter = (outcome: DialOutcome) => void;

/** One transport connection; carries up to `maxStreams` requests at once. */
export class Connection {
  state: 'connecting' | 'established' | 'failed' | 'closed' = 'connecting';
  streams = 0;
  /** Requests waiting for this connection to be established. */
  readonly waiters: Waiter[] = [];
  private readonly resetHandlers = new Map<number, () => void>();
  private nextStream = 1;
  readonly serverGeneration: number;
  actor?: ReturnType<typeof startRecordedActor>;

  constructor(
    readonly id: number,
    readonly from: NodeId,
    readonly client: Pod,
    readonly server: Pod,
    readonly mtls: boolean,
    readonly maxStreams: number,
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
    this.resetHandlers.set(id, onReset);
    return id;
  }

  closeStream(id: number): void {
    if (this.resetHandlers.delete(id)) this.streams--;
  }

  /** The server went away: every request on the connection fails as a reset. */
  reset(): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.state = 'closed';
    this.actor?.send({ type: 'connection.reset' });
    const handlers = [...this.resetHandlers.values()];
    this.resetHandlers.clear();
    this.streams = 0;
    for (const h of handlers) h();
  }
}

/** The connections one client keeps, by server pod. */
export class ConnectionPool {
  private readonly byServer = new Map<string, Connection[]>();

  constructor(
    private readonly world: World,
    private readonly owner: Pod,
    private readonly fromNode: NodeId,
    /** 1 for HTTP/1.1 (one request per connection at a time), Infinity for HTTP/2. */
    private readonly maxStreams: number,
  ) {}

  /** Connections to `server` that are open or opening. */
  to(server: Pod): Connection[] {
    return this.byServer.get(server.name) ?? [];
  }

  /** Finds a connection to `server` with room for one more request, or opens one. */
  acquire(server: Pod, tls: ClientTlsChoice | null, done: Waiter): void {
    const mtls = tls?.mtls ?? false;
    const list = (this.byServer.get(server.name) ?? []).filter((c) => c.state === 'connecting' || c.alive);
    this.byServer.set(server.name, list);
    for (const c of list) {
      if (c.mtls !== mtls) continue;
      if (c.state === 'established' && c.streams < c.maxStreams) return done({ ok: true, conn: c });
      if (c.state === 'connecting' && c.streams + c.waiters.length < c.maxStreams) {
        c.waiters.push(done);
        return;
      }
    }
    const conn = new Connection(this.world.nextConnectionId(), this.fromNode, this.owner, server, mtls, this.maxStreams);
    list.push(conn);
    this.world.track(conn);
    conn.waiters.push(done);
    dial(this.world, conn, tls);
  }
}

function settle(conn: Connection, outcome: DialOutcome): void {
  const waiters = conn.waiters.splice(0);
  for (const w of waiters) w(outcome);
}

/** Runs the TCP (and TLS) handshake of `conn`, recording every message as a flight. */
function dial(world: World, conn: Connection, tls: ClientTlsChoice | null): void {
  const { client, server } = conn;
  const L = world.linkMs;
  const from = conn.from;
  const to = server.proxyNode;
  const tcp = world.profile.tls;
  conn.actor = startRecordedActor(tlsConnectionMachine, {
    scheduler: world.scheduler,
    recorder: world.recorder,
    entity: `conn:${client.name}→${server.name}#${conn.id}`,
    node: from,
  });
  const actor = conn.actor;
  const fail = (failure: 'connect-failure' | 'reset', reason: string, event: 'tcp.refused' | 'tls.alert' | 'connection.reset'): void => {
    conn.state = 'failed';
    actor.send({ type: event });
    settle(conn, { ok: false, failure, reason });
  };
  const serverUp = (): boolean => server.up && server.generation === conn.serverGeneration;

  actor.send({ type: 'tcp.syn' });
  world.scheduler.at(world.flight('tcp', from, to, L, 'SYN'), () => {
    if (!serverUp()) {
      world.scheduler.at(world.flight('tcp', to, from, L, 'RST'), () =>
        fail('connect-failure', `connection refused: ${server.name} is not running`, 'tcp.refused'),
      );
      return;
    }
    world.scheduler.at(world.flight('tcp', to, from, L, 'SYN-ACK'), () => {
      if (!conn.mtls) {
        conn.state = 'established';
        actor.send({ type: 'tcp.established' });
        settle(conn, { ok: true, conn });
        return;
      }
      actor.send({ type: 'tls.clientHello' });
      const hello = world.flight('tls', from, to, L, 'ClientHello', {
        detail: { version: tcp.version, alpn: tcp.alpnClient.join(','), keyShare: tcp.keyExchange, sni: server.service.fqdn },
      });
      world.scheduler.at(hello, () => serverFlight(world, conn, tls!, fail));
    });
  });
}

type Fail = (failure: 'connect-failure' | 'reset', reason: string, event: 'tcp.refused' | 'tls.alert' | 'connection.reset') => void;

/** The server answers the ClientHello — if it speaks mTLS and holds a valid certificate. */
function serverFlight(world: World, conn: Connection, tls: ClientTlsChoice, fail: Fail): void {
  const { client, server } = conn;
  const L = world.linkMs;
  const from = conn.from;
  const to = server.proxyNode;
  const rules = world.profile.tls;
  const record = (ok: boolean, reason?: string): void => {
    world.stats.handshakes.push({
      client: client.name,
      server: server.name,
      clientIdentity: client.certificate?.identity ?? '',
      serverIdentity: server.certificate?.identity ?? '',
      ok,
      atMs: world.now,
      ...(reason ? { reason } : {}),
    });
  };
  const serverTls = server.meshed ? world.config.serverTls(server) : null;
  if (!server.meshed || serverTls?.mode === 'disable') {
    // No TLS listener: the ClientHello reaches a plaintext handler, which drops the connection.
    const why = server.meshed ? `${server.name} does not terminate mTLS (${serverTls!.cause.config})` : `${server.name} has no sidecar to terminate mTLS`;
    world.decide(to, 'mtls', 'handshake-failed', `TLS from ${client.name} not accepted: ${why}`, serverTls?.cause ?? tls.cause);
    world.scheduler.at(world.flight('tcp', to, from, L, 'RST'), () => {
      record(false, why);
      fail('reset', `TLS handshake failed: ${why}`, 'connection.reset');
    });
    return;
  }
  if (!hasValidCertificate(world, server)) {
    const why = server.certificate ? `${server.name}'s certificate expired` : `${server.name} has no certificate yet`;
    world.decide(to, 'mtls', 'handshake-failed', `cannot complete the handshake: ${why}`, world.profile.identity.ttlCause);
    world.scheduler.at(world.flight('tls', to, from, L, 'alert: internal_error'), () => {
      record(false, why);
      fail('connect-failure', `TLS handshake failed: ${why}`, 'tls.alert');
    });
    return;
  }
  const cert = server.certificate!;
  const messages: [string, Record<string, string | number | boolean>?][] = [
    ['ServerHello', { version: rules.version, keyShare: rules.keyExchange, cipher: rules.cipher }],
    ['{EncryptedExtensions}', { alpn: rules.alpnServer.filter((a) => rules.alpnClient.includes(a))[0] ?? rules.alpnServer[0]! }],
    ['{CertificateRequest}', { mutual: true }],
    ['{Certificate}', { identity: cert.identity, expiresAtMs: cert.expiresAtMs }],
    ['{CertificateVerify}'],
    ['{Finished}'],
  ];
  let arrive = 0;
  for (const [label, detail] of messages) arrive = world.flight('tls', to, from, L, label, detail ? { detail } : undefined);
  world.scheduler.at(arrive, () => {
    // Client checks: validity, then secure naming (Istio) / the destination's expected identity (Linkerd).
    let why: string | undefined;
    if (cert.expiresAtMs <= world.now) why = `server certificate of ${server.name} expired`;
    else if (!tls.expectedIdentities.includes(cert.identity))
      why = `server identity ${cert.identity} is not the expected ${tls.expectedIdentities.join(' or ') || '(none)'}`;
    if (why) {
      world.decide(from, 'mtls', 'handshake-failed', `rejected ${server.name}: ${why}`, tls.cause);
      world.flight('tls', from, to, L, cert.expiresAtMs <= world.now ? 'alert: certificate_expired' : 'alert: bad_certificate');
      record(false, why);
      fail('connect-failure', `TLS handshake failed: ${why}`, 'tls.alert');
      return;
    }
    conn.actor!.send({ type: 'tls.serverFinished' });
    const own = client.certificate;
    const clientMsgs: [string, Record<string, string | number | boolean>?][] = [
      ['{Certificate}', { identity: own?.identity ?? '(none)' }],
      ['{CertificateVerify}'],
      ['{Finished}'],
    ];
    let back = 0;
    for (const [label, detail] of clientMsgs) back = world.flight('tls', from, to, L, label, detail ? { detail } : undefined);
    world.scheduler.at(back, () => {
      if (!server.up || server.generation !== conn.serverGeneration) return fail('reset', `${server.name} went away during the handshake`, 'connection.reset');
      if (!own || own.expiresAtMs <= world.now) {
        const reason = own ? `client certificate of ${client.name} expired` : `${client.name} presented no certificate`;
        world.decide(to, 'mtls', 'handshake-failed', `rejected ${client.name}: ${reason}`, world.profile.identity.ttlCause);
        world.scheduler.at(world.flight('tls', to, from, L, own ? 'alert: certificate_expired' : 'alert: certificate_required'), () => {
          record(false, reason);
          fail('connect-failure', `TLS handshake failed: ${reason}`, 'tls.alert');
        });
        return;
      }
      world.decide(to, 'mtls', 'handshake-ok', `mTLS established: ${own.identity} → ${cert.identity}`, rules.cause, {
        data: { clientIdentity: own.identity, serverIdentity: cert.identity },
      });
      record(true);
      conn.state = 'established';
      conn.actor!.send({ type: 'tls.clientFinished' });
      settle(conn, { ok: true, conn });
    });
  });
}
