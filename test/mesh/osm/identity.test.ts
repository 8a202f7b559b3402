/**
 * OSM identity and certificates (FIDELITY-MORE J2): identities name the service account as
 * `<sa>.<ns>.cluster.local`; the controller makes key and certificate (no CSR, no key from the
 * pod); 24 h certificates rotated only 30 s (+0–4 s) before expiry, on 5 s looks.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/sim.ts';
import { osmRotationAfterMs } from '../../../src/mesh/profiles/osm.ts';
import { osmProfile } from '../../../src/mesh/index.ts';
import { Rng } from '../../../src/sim/index.ts';

const DAY = 24 * 3_600_000;

describe('FIDELITY-MORE J2: OSM identity and certificates', () => {
  it('FIDELITY-MORE J2: identities are <sa>.<ns>.cluster.local, not SPIFFE URIs', () => {
    const r = run(
      {
        startup: 'cold',
        services: [
          { name: 'client', serviceAccount: 'web' },
          { name: 'server', namespace: 'shop' },
        ],
      },
      'osm',
    );
    const ids = r.report.certificates.map((c) => c.identity).sort();
    expect(ids).toEqual(['server.shop.cluster.local', 'web.default.cluster.local']);
    expect(ids.some((i) => i.startsWith('spiffe://'))).toBe(false);
  });

  it('FIDELITY-MORE J2: certificates are valid 24h and come from osm-controller over SDS, with no key sent by the proxy', () => {
    const r = run({ startup: 'cold', services: [{ name: 'client' }] }, 'osm');
    const [cert] = r.report.certificates;
    expect(cert!.expiresAtMs - cert!.issuedAtMs).toBe(DAY);
    const [ask] = r.flights('csr');
    expect(ask!.to).toBe('osm-controller');
    expect(ask!.label).toContain('SDS');
    expect(ask!.detail?.key).toMatch(/osm-controller generates the RSA 2048 key/);
  });

  it('FIDELITY-MORE J2: rotation comes in the last 30–34 s of a 24 h certificate, on a 5 s look', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 200; i++) {
      const at = osmRotationAfterMs(DAY, () => rng.next());
      const left = DAY - at;
      expect(left).toBeGreaterThan(25_000); // the look before was more than 30 s + noise away, at most 5 s earlier
      expect(left).toBeLessThanOrEqual(34_000);
    }
  });

  it('FIDELITY-MORE J2: the rotation is scheduled hours later than Istio (50%) and Linkerd (70%) would renew', () => {
    const r = run({ startup: 'cold', services: [{ name: 'client' }] }, 'osm');
    const [scheduled] = r.decisions('renewal-scheduled');
    expect(scheduled!.cause.source).toContain('RenewBeforeCertExpires');
    expect(osmProfile.identity.renewAfterMs(DAY, () => 0.5)).toBeGreaterThan(DAY * 0.99);
  });

  it('FIDELITY-MORE J2: a stopped osm-controller rotates nothing; the proxy asks again once it is back, not every 5 s', () => {
    const r = run(
      {
        duration: '27h',
        services: [{ name: 'client' }],
        faults: [{ controlPlane: 'down', from: '23h', until: '26h' }],
      },
      'osm',
    );
    const asks = r.flights('csr').map((f) => f.t);
    // One SDS request when rotation time comes (the last ~30 s of the certificate), then none until 26 h.
    const during = asks.filter((t) => t > 23 * 3_600_000 && t < 26 * 3_600_000);
    expect(during).toHaveLength(1);
    expect(during[0]!).toBeGreaterThan(DAY - 35_000);
    const [waits] = r.decisions('csr-retry');
    expect(waits!.summary).toContain('asks again when osm-controller is back');
    expect(waits!.cause.source).toContain('manager.go');
    // Back at 26 h: asked at once and a fresh 24 h certificate signed.
    const back = asks.filter((t) => t >= 26 * 3_600_000);
    expect(back).toHaveLength(1);
    expect(back[0]! - 26 * 3_600_000).toBeLessThan(1000);
    const signed = r.report.certificates.filter((c) => c.issuedAtMs >= 26 * 3_600_000);
    expect(signed.map((c) => c.expiresAtMs - c.issuedAtMs)).toEqual([DAY]);
  });
});
