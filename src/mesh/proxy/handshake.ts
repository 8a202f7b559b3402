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
import { startChartActor } from '../../sim/index.ts';
import { tlsConnectionChart } from '../machines/charts.ts';
import type { World } from '../world.ts';
import type { ClientTlsChoice, TlsRules } from '../profiles/types.ts';
import type { Certificate, Workload } from '../types.ts';
import type { Connection } from './connections.ts';

type Detail = Record<string, string | number | boolean>;
type Message = readonly [label: string, detail?: Detail];

/**
 * What every handshake of a run says the same way (under its profile's TLS rules), worked out once: the
 * server's and client's messages with their fixed details (a flight's detail is read, never
 * changed, so handshakes share them), the ClientHello's detail per server workload, the
 * Certificate message's per certificate. With 30 replicas per service a 10 s run makes ~7,800
 * handshakes; each used to build these arrays and objects afresh.
 */
interface HandshakeFacts {
  tls12: boolean;
  /** The server's flight, `null` where its Certificate goes. */
  server: readonly (Message | null)[];
  /** The client's flight after its Certificate. */
  clientAfterCertificate: readonly Message[];
  hello: WeakMap<Workload, Detail>;
  certificates: WeakMap<Certificate, Detail>;
  /** The client's Certificate detail by identity. */
  clientCertificates: Map<string, Detail>;
  /** The handshake-ok decision's summary and data, by client identity, then server identity. */
  established: Map<string, Map<string, { summary: string; data: { clientIdentity: string; serverIdentity: string } }>>;
}

/** Per run (nothing is kept from one run to the next). */
const facts = new WeakMap<World, HandshakeFacts>();

function factsOf(world: World): HandshakeFacts {
  const known = facts.get(world);
  if (known) return known;
  const rules = world.profile.tls;
  const tls12 = rules.version === 'TLSv1.2';
  const f: HandshakeFacts = {
    tls12,
    server: tls12
      ? [
          ['ServerHello', { version: rules.version, cipher: rules.cipher }],
          null,
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
          null,
          ['{CertificateVerify}'],
          ['{Finished}'],
        ],
    clientAfterCertificate: tls12
      ? [['ClientKeyExchange', { keyShare: rules.keyExchange }], ['CertificateVerify'], ['[ChangeCipherSpec]'], ['{Finished}']]
      : [['{CertificateVerify}'], ['{Finished}']],
    hello: new WeakMap(),
    certificates: new WeakMap(),
    clientCertificates: new Map(),
    established: new Map(),
  };
  facts.set(world, f);
  return f;
}

/** The ClientHello's detail toward `workload`: version, ALPN offered, key share, SNI. */
function helloDetail(rules: TlsRules, f: HandshakeFacts, workload: Workload): Detail {
  const known = f.hello.get(workload);
  if (known) return known;
  const sni = rules.sni(workload);
  const d: Detail = {
    version: rules.version,
    ...(rules.alpnClient.length ? { alpn: rules.alpnClient.join(',') } : {}),
    keyShare: rules.keyExchange,
    ...(sni ? { sni } : {}),
  };
  f.hello.set(workload, d);
  return d;
}

function certificateDetail(f: HandshakeFacts, cert: Certificate): Detail {
  let d = f.certificates.get(cert);
  if (!d) f.certificates.set(cert, (d = { identity: cert.identity, expiresAtMs: cert.expiresAtMs }));
  return d;
}

function clientCertificateDetail(f: HandshakeFacts, identity: string): Detail {
  let d = f.clientCertificates.get(identity);
  if (!d) f.clientCertificates.set(identity, (d = { identity }));
  return d;
}

/** What the handshake-ok decision says for a pair of identities (the same for every connection between them). */
function establishedBetween(f: HandshakeFacts, client: string, server: string): { summary: string; data: { clientIdentity: string; serverIdentity: string } } {
  let byServer = f.established.get(client);
  if (!byServer) f.established.set(client, (byServer = new Map()));
  let said = byServer.get(server);
  if (!said) byServer.set(server, (said = { summary: `mTLS established: ${client} → ${server}`, data: { clientIdentity: client, serverIdentity: server } }));
  return said;
}

/** One TLS message as a flight; returns its arrival time. */
function tlsFlight(world: World, from: string, to: string, delayMs: number, label: string, detail: Detail | undefined): number {
  return world.flightOf('tls', from, to, delayMs, label, undefined, undefined, undefined, undefined, detail);
}

/** Runs the TCP (and TLS) handshake of `conn`, recording every message as a flight. */
export function dial(world: World, conn: Connection, tls: ClientTlsChoice | null): void {
  const client = conn.clientName;
  const server = conn.serverName;
  const L = conn.latencyMs;
  const from = conn.from;
  const to = conn.hop.node;
  const tcp = world.profile.tls;
  conn.actor = startChartActor(tlsConnectionChart, {
    scheduler: world.scheduler,
    recorder: world.recorder,
    entity: `conn:${client}→${server}#${conn.id}`,
    node: from,
    peer: to,
  });
  const actor = conn.actor;
  actor.send(TCP_SYN);
  const syn = world.flightOf('tcp', from, to, L, 'SYN');
  if (world.linkCut(client, server)) {
    // The SYN is lost: nothing answers, and the client gives up at its connect timeout.
    const timeoutMs = conn.counters?.limits?.connectTimeoutMs ?? world.profile.connectTimeout.ms;
    world.scheduler.after(timeoutMs, () => fail(conn, 'connect-failure', `connect timeout after ${timeoutMs}ms: the link to ${server} is cut`, 'tcp.refused'));
    return;
  }
  world.scheduler.at(syn, () => {
    if (!conn.serverAlive) {
      world.scheduler.at(world.flight({ kind: 'tcp', from: to, to: from, delayMs: L, label: 'RST' }), () =>
        fail(conn, 'connect-failure', `connection refused: ${server} is not running`, 'tcp.refused'),
      );
      return;
    }
    world.scheduler.at(world.flightOf('tcp', to, from, L, 'SYN-ACK'), () => {
      if (!conn.mtls) {
        conn.state = 'established';
        actor.send(TCP_ESTABLISHED);
        conn.settle(conn.usable);
        return;
      }
      actor.send(TLS_CLIENT_HELLO);
      const hello = tlsFlight(world, from, to, L, 'ClientHello', helloDetail(tcp, factsOf(world), conn.workload));
      world.scheduler.at(hello, () => serverFlight(world, conn, tls!));
    });
  });
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

// The events every handshake sends its machine, one object each (an event is read, never kept).
const TCP_SYN = { type: 'tcp.syn' } as const;
const TCP_ESTABLISHED = { type: 'tcp.established' } as const;
const TLS_CLIENT_HELLO = { type: 'tls.clientHello' } as const;
const TLS_SERVER_FINISHED = { type: 'tls.serverFinished' } as const;
const TLS_CLIENT_FINISHED = { type: 'tls.clientFinished' } as const;

/** The server answers the ClientHello — if it speaks mTLS and holds a valid certificate. */
function serverFlight(world: World, conn: Connection, tls: ClientTlsChoice): void {
  const client = conn.clientName;
  const server = conn.serverName;
  const proxy = conn.hop.proxy;
  const L = conn.latencyMs;
  const from = conn.from;
  const to = conn.hop.node;
  const rules = world.profile.tls;
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
      record(world, conn, false, why);
      fail(conn, 'reset', `TLS handshake failed: ${why}`, 'connection.reset');
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
      record(world, conn, false, why);
      fail(conn, 'connect-failure', `TLS handshake failed: ${why}`, 'tls.alert');
    });
    return;
  }
  const f = factsOf(world);
  const tls12 = f.tls12;
  let arrive = 0;
  for (const m of f.server)
    arrive = m ? tlsFlight(world, to, from, L, m[0], m[1]) : tlsFlight(world, to, from, L, tls12 ? 'Certificate' : '{Certificate}', certificateDetail(f, cert));
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
      record(world, conn, false, why);
      fail(conn, 'connect-failure', `TLS handshake failed: ${why}`, 'tls.alert');
      return;
    }
    conn.actor!.send(TLS_SERVER_FINISHED);
    const own = conn.clientCertificate();
    tlsFlight(world, from, to, L, tls12 ? 'Certificate' : '{Certificate}', clientCertificateDetail(f, own?.identity ?? '(none)'));
    let back = 0;
    for (const m of f.clientAfterCertificate) back = tlsFlight(world, from, to, L, m[0], m[1]);
    world.scheduler.at(back, () => {
      if (!conn.serverAlive) return fail(conn, 'reset', `${server} went away during the handshake`, 'connection.reset');
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
            record(world, conn, false, reason);
            fail(conn, 'connect-failure', `TLS handshake failed: ${reason}`, 'tls.alert');
          },
        );
        return;
      }
      const said = establishedBetween(f, own.identity, cert.identity);
      world.decide({
        node: to,
        layer: 'mtls',
        kind: 'handshake-ok',
        summary: said.summary,
        cause: rules.cause,
        data: said.data,
      });
      record(world, conn, true);
      const establish = (): void => {
        conn.state = 'established';
        conn.actor!.send(TLS_CLIENT_FINISHED);
        conn.settle(conn.usable);
      };
      if (!tls12) return establish();
      // TLS 1.2: the server's ChangeCipherSpec and Finished close the handshake one more trip later.
      world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label: '[ChangeCipherSpec]' });
      world.scheduler.at(world.flight({ kind: 'tls', from: to, to: from, delayMs: L, label: '{Finished}' }), () => {
        if (!conn.serverAlive) return fail(conn, 'reset', `${server} went away during the handshake`, 'connection.reset');
        establish();
      });
    });
  });
}
