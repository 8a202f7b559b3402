/**
 * What every handshake of a run says the same way, worked out once per run (handshake.ts): the
 * messages' fixed details, the ClientHello's per server workload, the Certificate's per
 * certificate, the handshake-ok decision's words per pair of identities.
 */
import type { World } from '../world.ts';
import type { TlsRules } from '../profiles/types.ts';
import type { Certificate, Workload } from '../types.ts';

export type Detail = Record<string, string | number | boolean>;
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

export function factsOf(world: World): HandshakeFacts {
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
export function helloDetail(rules: TlsRules, f: HandshakeFacts, workload: Workload): Detail {
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

export function certificateDetail(f: HandshakeFacts, cert: Certificate): Detail {
  let d = f.certificates.get(cert);
  if (!d) f.certificates.set(cert, (d = { identity: cert.identity, expiresAtMs: cert.expiresAtMs }));
  return d;
}

export function clientCertificateDetail(f: HandshakeFacts, identity: string): Detail {
  let d = f.clientCertificates.get(identity);
  if (!d) f.clientCertificates.set(identity, (d = { identity }));
  return d;
}

/** What the handshake-ok decision says for a pair of identities (the same for every connection between them). */
export function establishedBetween(
  f: HandshakeFacts,
  client: string,
  server: string,
): { summary: string; data: { clientIdentity: string; serverIdentity: string } } {
  let byServer = f.established.get(client);
  if (!byServer) f.established.set(client, (byServer = new Map()));
  let said = byServer.get(server);
  if (!said) byServer.set(server, (said = { summary: `mTLS established: ${client} → ${server}`, data: { clientIdentity: client, serverIdentity: server } }));
  return said;
}
