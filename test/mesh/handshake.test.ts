import { afterEach, describe, expect, it, vi } from 'vitest';
import { TraceStore } from '../../src/sim/index.ts';
import { run } from '../helpers/sim.ts';

const once = (extra: Record<string, unknown> = {}) => ({
  services: [{ name: 'client' }, { name: 'server' }],
  traffic: [{ from: 'client', to: 'server', at: '1s' }],
  ...extra,
});

describe('TLS 1.3 mutual handshake', () => {
  for (const mesh of ['istio', 'linkerd'] as const) {
    it(`FIDELITY A8: ${mesh} shows the handshake message by message, client to server and back`, () => {
      const r = run(once(), mesh);
      const msgs = r
        .flights()
        .filter((f) => f.kind === 'tcp' || f.kind === 'tls')
        .map((f) => `${f.from.startsWith('client') ? 'C→S' : 'S→C'} ${f.label}`);
      expect(msgs).toEqual([
        'C→S SYN',
        'S→C SYN-ACK',
        'C→S ClientHello',
        'S→C ServerHello',
        'S→C {EncryptedExtensions}',
        'S→C {CertificateRequest}',
        'S→C {Certificate}',
        'S→C {CertificateVerify}',
        'S→C {Finished}',
        'C→S {Certificate}',
        'C→S {CertificateVerify}',
        'C→S {Finished}',
      ]);
      const conn = r.transitions('tlsConnection').map((t) => t.to);
      expect(conn).toEqual(['idle', 'tcpHandshake', 'clientHelloSent', 'serverAuthenticated', 'established']);
      expect(r.report.handshakes).toHaveLength(1);
      expect(r.report.handshakes[0]).toMatchObject({ client: 'client-0', server: 'server-0', ok: true });
      // The request travels after the handshake, inside it.
      const req = r.flights('http-request').find((f) => f.from === 'client-0/proxy')!;
      expect(req.mtls).toBe(true);
      expect(req.departMs).toBeGreaterThanOrEqual(r.flights('tls').at(-1)!.arriveMs);
    });
  }

  it('FIDELITY A8: the server certificate names its identity; ALPN shows istio-peer-exchange for Istio', () => {
    const r = run(once(), 'istio');
    const cert = r.flights('tls').find((f) => f.label === '{Certificate}' && f.from === 'server-0/proxy')!;
    expect(cert.detail!.identity).toBe('spiffe://cluster.local/ns/default/sa/server');
    expect(r.flights('tls').find((f) => f.label === 'ClientHello')!.detail!.alpn).toBe('istio-peer-exchange,istio');
  });

  it('the ClientHello names the server: Istio by its outbound cluster (istio_mutual default SNI), Linkerd by the identity it expects', () => {
    const hello = (mesh: 'istio' | 'linkerd') =>
      run(once(), mesh)
        .flights('tls')
        .find((f) => f.label === 'ClientHello')!.detail!;
    expect(hello('istio').sni).toBe('outbound_.<port>_._.server.default.svc.cluster.local');
    expect(hello('linkerd').sni).toBe('server.default.serviceaccount.identity.linkerd.cluster.local');
    // Linkerd's ALPN values were not researched (FIDELITY A6), so none is shown.
    expect(hello('linkerd').alpn).toBeUndefined();
  });

  it('a second request reuses the established connection (no new handshake)', () => {
    const r = run(
      {
        ...once(),
        traffic: [
          { from: 'client', to: 'server', at: '1s' },
          { from: 'client', to: 'server', at: '2s' },
        ],
      },
      'linkerd',
    );
    expect(r.report.handshakes).toHaveLength(1);
    expect(r.flights('tls').filter((f) => f.label === 'ClientHello')).toHaveLength(1);
  });

  for (const mesh of ['istio', 'linkerd'] as const) {
    it(`${mesh}: an expired server certificate fails the handshake with certificate_expired`, () => {
      const r = run(once({ faults: [{ pod: 'server-0', certificate: { expireAt: '500ms' } }] }), mesh);
      const hs = r.report.handshakes[0]!;
      expect(hs.ok).toBe(false);
      expect(hs.reason).toMatch(/expired/);
      expect(r.transitions('certificate', 'cert:server-0').map((t) => t.to)).toContain('expired.requesting');
      expect(r.ends()[0]!.status).toBe(mesh === 'istio' ? 503 : 502);
      // The server still presents the certificate it holds; the client's validation rejects it.
      const presented = r.flights('tls').find((f) => f.label === '{Certificate}' && f.from === 'server-0/proxy')!;
      expect(Number(presented.detail!.expiresAtMs)).toBeLessThanOrEqual(presented.departMs);
      expect(r.flights('tls').some((f) => f.label === 'alert: certificate_expired' && f.from === 'client-0/proxy')).toBe(true);
    });

    it(`${mesh}: a server presenting another identity is rejected with bad_certificate`, () => {
      const r = run(once({ faults: [{ pod: 'server-0', certificate: { identity: { serviceAccount: 'intruder' } } }] }), mesh);
      expect(r.flights('tls').some((f) => f.label === 'alert: bad_certificate')).toBe(true);
      const hs = r.report.handshakes[0]!;
      expect(hs).toMatchObject({ ok: false });
      expect(hs.reason).toContain('intruder');
      expect(r.ends()[0]!.status).toBe(mesh === 'istio' ? 503 : 502);
    });

    it(`${mesh}: a client whose certificate expired is refused by the server`, () => {
      const r = run(once({ faults: [{ pod: 'client-0', certificate: { expireAt: '500ms' } }] }), mesh);
      expect(r.report.handshakes[0]).toMatchObject({ ok: false });
      expect(r.flights('tls').some((f) => f.label === 'alert: certificate_expired' && f.from === 'server-0/proxy')).toBe(true);
    });
  }

  it('Istio retries a failed handshake as a connect-failure on another pod', () => {
    const r = run(
      {
        services: [{ name: 'client' }, { name: 'server', replicas: 2 }],
        traffic: [{ from: 'client', to: 'server', count: 10 }],
        faults: [{ pod: 'server-0', certificate: { identity: { serviceAccount: 'intruder' } } }],
      },
      'istio',
    );
    for (const e of r.ends()) expect(e.status).toBe(200);
    expect(r.decisions('retry')[0]!.summary).toContain('connect-failure');
  });

  describe('the trace strings of its decisions', () => {
    afterEach(() => vi.restoreAllMocks());

    it('are looked up once a run for the handshake-ok decision, once an endpoint for the mTLS decision, not once a connection', () => {
      const str = vi.spyOn(TraceStore.prototype, 'str');
      const strRare = vi.spyOn(TraceStore.prototype, 'strRare');
      const r = run(
        {
          services: [
            { name: 'client', replicas: 2 },
            { name: 'server', replicas: 3 },
          ],
          traffic: [{ from: 'client', to: 'server', rate: '40/s' }],
          duration: '2s',
        },
        'istio',
      );
      expect(r.decisions('handshake-ok')).toHaveLength(6);
      expect(r.decisions('mtls', 'mtlsOrigination')).toHaveLength(6);
      const asked = (spy: typeof str, s: string | RegExp) => spy.mock.calls.filter(([x]) => (typeof s === 'string' ? x === s : s.test(x))).length;
      // 'mtls': the handshake-ok decision's layer once, the mTLS decision's kind once an endpoint.
      expect(['handshake-ok', 'mtls', 'mtlsOrigination'].map((s) => asked(str, s))).toEqual([1, 4, 3]);
      // One client identity and one server identity: one summary; three endpoints: three.
      expect(asked(strRare, /^mTLS established: /)).toBe(1);
      expect(asked(strRare, /^mTLS to server-/)).toBe(3);
    });
  });
});
