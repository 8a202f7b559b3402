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
import { startRecordedActor } from '../../sim/index.ts';
import { tlsConnectionMachine } from '../machines/tlsConnectionMachine.ts';
import type { World } from '../world.ts';
import type { ClientTlsChoice } from '../profiles/types.ts';
import type { Connection, DialOutcome } from './connections.ts';

export function settle(conn: Connection, outcome: DialOutcome): void {
  const waiters = conn.waiters.splice(0);
  for (const w of waiters) w(outcome);
}

/** Runs the TCP (and TLS) handshake of `conn`, recording every message as a flight. */
export function dial(world: World, conn: Connection, tls: ClientTlsChoice | null): void {
  const client = conn.clientName;
  const server = conn.serverName;
  const L = conn.latencyMs;
  const from = conn.from;
  const to = conn.hop.node;
  const tcp = world.profile.tls;
  conn.actor = startRecordedActor(tlsConnectionMachine, {
    scheduler: world.scheduler,
    recorder: world.recorder,
    entity: `conn:${client}→${server}#${conn.id}`,
    node: from,
    peer: to,
  });
  const actor = conn.actor;
  const fail = (failure: 'connect-failure' | 'reset', reason: string, event: 'tcp.refused' | 'tls.alert' | 'connection.reset'): void => {
    conn.state = 'failed';
    actor.send({ type: event });
    settle(conn, { ok: false, failure, reason });
  };

  actor.send({ type: 'tcp.syn' });
  const syn = world.flight({ kind: 'tcp', from, to, delayMs: L, label: 'SYN' });
  if (world.linkCut(client, server)) {
    // The SYN is lost: nothing answers, and the client gives up at its connect timeout.
    const timeoutMs = conn.counters?.limits?.connectTimeoutMs ?? world.profile.connectTimeout.ms;
    world.scheduler.after(timeoutMs, () => fail('connect-failure', `connect timeout after ${timeoutMs}ms: the link to ${server} is cut`, 'tcp.refused'));
    return;
  }
  world.scheduler.at(syn, () => {
    if (!conn.serverAlive) {
      world.scheduler.at(world.flight({ kind: 'tcp', from: to, to: from, delayMs: L, label: 'RST' }), () =>
        fail('connect-failure', `connection refused: ${server} is not running`, 'tcp.refused'),
      );
      return;
    }
    world.scheduler.at(world.flight({ kind: 'tcp', from: to, to: from, delayMs: L, label: 'SYN-ACK' }), () => {
      if (!conn.mtls) {
        conn.state = 'established';
        actor.send({ type: 'tcp.established' });
        settle(conn, { ok: true, conn });
        return;
      }
      actor.send({ type: 'tls.clientHello' });
      const hello = world.flight({
        kind: 'tls',
        from,
        to,
        delayMs: L,
        label: 'ClientHello',
        detail: {
          version: tcp.version,
          ...(tcp.alpnClient.length ? { alpn: tcp.alpnClient.join(',') } : {}),
          keyShare: tcp.keyExchange,
          ...(tcp.sni(conn.workload) ? { sni: tcp.sni(conn.workload) } : {}),
        },
      });
      world.scheduler.at(hello, () => serverFlight(world, conn, tls!, fail));
    });
  });
}

type Fail = (failure: 'connect-failure' | 'reset', reason: string, event: 'tcp.refused' | 'tls.alert' | 'connection.reset') => void;

/** The server answers the ClientHello — if it speaks mTLS and holds a valid certificate. */
function serverFlight(world: World, conn: Connection, tls: ClientTlsChoice, fail: Fail): void {
  const client = conn.clientName;
  const server = conn.serverName;
  const proxy = conn.hop.proxy;
  const L = conn.latencyMs;
  const from = conn.from;
  const to = conn.hop.node;
  const rules = world.profile.tls;
  const record = (ok: boolean, reason?: string): void => {
    world.stats.handshakes.push({
      client,
      server,
      clientIdentity: conn.clientCertificate()?.identity ?? '',
      serverIdentity: conn.serverCertificate()?.identity ?? '',
      ok,
      atMs: world.now,
      ...(reason ? { reason } : {}),
    });
  };
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
    world.scheduler.at(world.flight({ kind: 'tcp', from: to, to: from, delayMs: L, label: 'RST' }), () => {
      record(false, why);
      fail('reset', `TLS handshake failed: ${why}`, 'connection.reset');
    });
    return;
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
    world.scheduler.at(world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label: 'alert: internal_error' }), () => {
      record(false, why);
      fail('connect-failure', `TLS handshake failed: ${why}`, 'tls.alert');
    });
    return;
  }
  const tls12 = rules.version === 'TLSv1.2';
  const messages: [string, Record<string, string | number | boolean>?][] = tls12
    ? [
        ['ServerHello', { version: rules.version, cipher: rules.cipher }],
        ['Certificate', { identity: cert.identity, expiresAtMs: cert.expiresAtMs }],
        ['ServerKeyExchange', { keyShare: rules.keyExchange }],
        ['CertificateRequest', { mutual: true }],
        ['ServerHelloDone'],
      ]
    : [
        ['ServerHello', { version: rules.version, keyShare: rules.keyExchange, cipher: rules.cipher }],
        [
          '{EncryptedExtensions}',
          rules.alpnServer.length ? { alpn: rules.alpnServer.filter((a) => rules.alpnClient.includes(a))[0] ?? rules.alpnServer[0]! } : {},
        ],
        ['{CertificateRequest}', { mutual: true }],
        ['{Certificate}', { identity: cert.identity, expiresAtMs: cert.expiresAtMs }],
        ['{CertificateVerify}'],
        ['{Finished}'],
      ];
  let arrive = 0;
  for (const [label, detail] of messages) arrive = world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label, ...(detail ? { detail } : undefined) });
  world.scheduler.at(arrive, () => {
    // Client checks: validity, then secure naming (Istio) / the destination's expected identity (Linkerd).
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
      record(false, why);
      fail('connect-failure', `TLS handshake failed: ${why}`, 'tls.alert');
      return;
    }
    conn.actor!.send({ type: 'tls.serverFinished' });
    const own = conn.clientCertificate();
    const clientMsgs: [string, Record<string, string | number | boolean>?][] = tls12
      ? [
          ['Certificate', { identity: own?.identity ?? '(none)' }],
          ['ClientKeyExchange', { keyShare: rules.keyExchange }],
          ['CertificateVerify'],
          ['[ChangeCipherSpec]'],
          ['{Finished}'],
        ]
      : [['{Certificate}', { identity: own?.identity ?? '(none)' }], ['{CertificateVerify}'], ['{Finished}']];
    let back = 0;
    for (const [label, detail] of clientMsgs) back = world.flight({ kind: 'tls', from, to, delayMs: L, label, ...(detail ? { detail } : undefined) });
    world.scheduler.at(back, () => {
      if (!conn.serverAlive) return fail('reset', `${server} went away during the handshake`, 'connection.reset');
      if (!own || own.expiresAtMs <= world.now) {
        const reason = own ? `client certificate of ${client} expired` : `${client} presented no certificate`;
        world.decide({
          node: to,
          layer: 'mtls',
          kind: 'handshake-failed',
          summary: `rejected ${client}: ${reason}`,
          cause: world.profile.identity.ttlCause,
        });
        world.scheduler.at(
          world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label: own ? 'alert: certificate_expired' : 'alert: certificate_required' }),
          () => {
            record(false, reason);
            fail('connect-failure', `TLS handshake failed: ${reason}`, 'tls.alert');
          },
        );
        return;
      }
      world.decide({
        node: to,
        layer: 'mtls',
        kind: 'handshake-ok',
        summary: `mTLS established: ${own.identity} → ${cert.identity}`,
        cause: rules.cause,
        data: { clientIdentity: own.identity, serverIdentity: cert.identity },
      });
      record(true);
      const establish = (): void => {
        conn.state = 'established';
        conn.actor!.send({ type: 'tls.clientFinished' });
        settle(conn, { ok: true, conn });
      };
      if (!tls12) return establish();
      // TLS 1.2: the server's ChangeCipherSpec and Finished close the handshake one more trip later.
      world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label: '[ChangeCipherSpec]' });
      world.scheduler.at(world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label: '{Finished}' }), () => {
        if (!conn.serverAlive) return fail('reset', `${server} went away during the handshake`, 'connection.reset');
        establish();
      });
    });
  });
}
