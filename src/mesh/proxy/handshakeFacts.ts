/**
 * What every handshake of a run says the same way, worked out once per run (handshake.ts): the
 * messages' fixed details, the ClientHello's per server workload, the Certificate's per
 * certificate, the handshake-ok decision's words per pair of identities — and the ids the run's
 * trace gives their strings and details, found the first time each is recorded.
 */
import type { World } from '../world.ts';
import type { TlsRules } from '../profiles/types.ts';
import type { Cause } from '../../sim/index.ts';
import type { Certificate, Workload } from '../types.ts';

export type Detail = Record<string, string | number | boolean>;

/** An id not looked up yet (string ids and rows are ≥ 0, and NONE is -1: no detail). */
export const UNSET = -2;

/**
 * A message as the trace records it: its label and detail, and the label's string id and the
 * detail's row in the run's trace store, found when the run first records it (handshake.ts
 * `send`). At 30 replicas per service a 10 s run records ~120,000 handshake messages; each used to
 * look its four strings and its detail up in the store's tables.
 */
export interface Message {
  readonly label: string;
  readonly detail: Detail | undefined;
  labelId: number;
  row: number;
}

const message = (label: string, detail?: Detail): Message => ({ label, detail, labelId: UNSET, row: UNSET });

/**
 * What every handshake of a run says the same way (under its profile's TLS rules), worked out once: the
 * server's and client's messages with their fixed details (a flight's detail is read, never
 * changed, so handshakes share them), the ClientHello's detail per server workload, the
 * Certificate message's per certificate. With 30 replicas per service a 10 s run makes ~7,800
 * handshakes; each used to build these arrays and objects afresh.
 */
export interface HandshakeFacts {
  tls12: boolean;
  /** The flights' kinds' string ids ({@link UNSET} until first recorded). */
  tcp: number;
  tls: number;
  syn: Message;
  synAck: Message;
  /** The server's flight, `null` where its Certificate goes. */
  server: readonly (Message | null)[];
  /** The client's flight after its Certificate. */
  clientAfterCertificate: readonly Message[];
  hello: WeakMap<Workload, Message>;
  certificates: WeakMap<Certificate, Message>;
  /** The client's Certificate message by identity. */
  clientCertificates: Map<string, Message>;
  /** The handshake-ok decision's summary and data, by client identity, then server identity. */
  established: Map<string, Map<string, Established>>;
  /** The handshake-ok decision's layer's and kind's string ids and its cause's row ({@link UNSET} until first recorded), and that cause. */
  mtlsLayer: number;
  okKind: number;
  okCause: number;
  okCauseOf: Cause | undefined;
}

/** What the handshake-ok decision says for a pair of identities, and its summary's string id ({@link UNSET} until first recorded). */
export interface Established {
  summary: string;
  summaryId: number;
  data: { clientIdentity: string; serverIdentity: string };
}

/** Per run (nothing is kept from one run to the next). */
const facts = new WeakMap<World, HandshakeFacts>();

export function factsOf(world: World): HandshakeFacts {
  const known = facts.get(world);
  if (known) return known;
  const rules = world.profile.tls;
  const tls12 = rules.version === 'TLSv1.2';
  const f: HandshakeFacts = {
    tls12,
    tcp: UNSET,
    tls: UNSET,
    syn: message('SYN'),
    synAck: message('SYN-ACK'),
    server: tls12
      ? [
          message('ServerHello', { version: rules.version, cipher: rules.cipher }),
          null,
          message('ServerKeyExchange', { keyShare: rules.keyExchange }),
          message('CertificateRequest', { mutual: true }),
          message('ServerHelloDone'),
        ]
      : [
          message('ServerHello', { version: rules.version, keyShare: rules.keyExchange, cipher: rules.cipher }),
          message(
            '{EncryptedExtensions}',
            rules.alpnServer.length ? { alpn: rules.alpnServer.filter((a) => rules.alpnClient.includes(a))[0] ?? rules.alpnServer[0]! } : {},
          ),
          message('{CertificateRequest}', { mutual: true }),
          null,
          message('{CertificateVerify}'),
          message('{Finished}'),
        ],
    clientAfterCertificate: tls12
      ? [message('ClientKeyExchange', { keyShare: rules.keyExchange }), message('CertificateVerify'), message('[ChangeCipherSpec]'), message('{Finished}')]
      : [message('{CertificateVerify}'), message('{Finished}')],
    hello: new WeakMap(),
    certificates: new WeakMap(),
    clientCertificates: new Map(),
    established: new Map(),
    mtlsLayer: UNSET,
    okKind: UNSET,
    okCause: UNSET,
    okCauseOf: undefined,
  };
  facts.set(world, f);
  return f;
}

/** The ClientHello toward `workload`: version, ALPN offered, key share, SNI. */
export function helloMessage(rules: TlsRules, f: HandshakeFacts, workload: Workload): Message {
  const known = f.hello.get(workload);
  if (known) return known;
  const sni = rules.sni(workload);
  const m = message('ClientHello', {
    version: rules.version,
    ...(rules.alpnClient.length ? { alpn: rules.alpnClient.join(',') } : {}),
    keyShare: rules.keyExchange,
    ...(sni ? { sni } : {}),
  });
  f.hello.set(workload, m);
  return m;
}

/** The server's Certificate message presenting `cert`. */
export function certificateMessage(f: HandshakeFacts, cert: Certificate): Message {
  let m = f.certificates.get(cert);
  if (!m) f.certificates.set(cert, (m = message(f.tls12 ? 'Certificate' : '{Certificate}', { identity: cert.identity, expiresAtMs: cert.expiresAtMs })));
  return m;
}

/** The client's Certificate message naming `identity`. */
export function clientCertificateMessage(f: HandshakeFacts, identity: string): Message {
  let m = f.clientCertificates.get(identity);
  if (!m) f.clientCertificates.set(identity, (m = message(f.tls12 ? 'Certificate' : '{Certificate}', { identity })));
  return m;
}

/** What the handshake-ok decision says for a pair of identities (the same for every connection between them). */
export function establishedBetween(f: HandshakeFacts, client: string, server: string): Established {
  let byServer = f.established.get(client);
  if (!byServer) f.established.set(client, (byServer = new Map()));
  let said = byServer.get(server);
  if (!said)
    byServer.set(
      server,
      (said = { summary: `mTLS established: ${client} → ${server}`, summaryId: UNSET, data: { clientIdentity: client, serverIdentity: server } }),
    );
  return said;
}
