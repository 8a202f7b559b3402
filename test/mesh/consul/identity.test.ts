import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/sim.ts';
import { consulBackoffMs, consulRenewAfterMs } from '../../../src/mesh/profiles/consul.ts';

const HOUR = 3_600_000;
const TD = '36cb52cd-4058-f811-0432-6798a240c5d3.consul';

describe('Consul identity and certificates', () => {
  it('FIDELITY-MORE I2: the SPIFFE ID names the service, its datacenter and Consul CE’s one namespace, not the service account', () => {
    const r = run({ services: [{ name: 'web' }, { name: 'api', namespace: 'shop', serviceAccount: 'api-sa' }] }, 'consul');
    expect(r.report.certificates.map((c) => c.identity).sort()).toEqual([
      `spiffe://${TD}/ns/default/dc/dc1/svc/api`,
      `spiffe://${TD}/ns/default/dc/dc1/svc/web`,
    ]);
  });

  it('FIDELITY-MORE I2: a leaf lasts 72 h and is renewed at a random point between 60 % and 90 % of its life', () => {
    const renewals = [1, 2, 3, 4, 5].flatMap((seed) => {
      const r = run({ duration: '66h', services: [{ name: 'web', replicas: 4 }] }, 'consul', seed);
      const first = r.report.certificates.filter((c) => c.issuedAtMs === 0);
      for (const c of first) expect(c.expiresAtMs).toBe(72 * HOUR);
      return r.report.certificates.filter((c) => c.issuedAtMs > 0).map((c) => c.issuedAtMs / HOUR);
    });
    expect(renewals.length).toBe(20);
    for (const h of renewals) {
      expect(h).toBeGreaterThanOrEqual(43.2);
      expect(h).toBeLessThanOrEqual(64.8 + 0.01);
    }
    // Random, not one fixed point: the renewals spread over the window.
    expect(Math.max(...renewals) - Math.min(...renewals)).toBeGreaterThan(10);
  });

  it('FIDELITY-MORE I2: the soft-expiry window is 60–90 % of the lifetime, at once for lifetimes under 10 min', () => {
    expect(consulRenewAfterMs(72 * HOUR, () => 0)).toBe(43.2 * HOUR);
    expect(consulRenewAfterMs(72 * HOUR, () => 0.999999)).toBeCloseTo(0.9 * 72 * HOUR, -4);
    expect(consulRenewAfterMs(5 * 60_000, () => 0.5)).toBe(0);
  });

  it('FIDELITY-MORE I2: failed leaf requests retry 3 times at once, then 2^(n−3) s plus as much jitter, capped at 1 min', () => {
    expect([1, 2, 3].map((n) => consulBackoffMs(n, () => 0.5))).toEqual([0, 0, 0]);
    expect(consulBackoffMs(4, () => 0)).toBe(2000);
    expect(consulBackoffMs(4, () => 0.5)).toBe(3000);
    expect(consulBackoffMs(5, () => 0)).toBe(4000);
    expect(consulBackoffMs(20, () => 0)).toBe(60_000);
    expect(consulBackoffMs(20, () => 0.999)).toBeLessThan(120_000);
  });

  it('FIDELITY-MORE I2: the CA signs at most 50 CSRs a second, lets one wait 500 ms, refuses the rest, and every pod gets its leaf in the end', () => {
    const r = run(
      {
        startup: 'cold',
        duration: '30s',
        services: [
          { name: 'a', replicas: 50 },
          { name: 'b', replicas: 50 },
        ],
      },
      'consul',
    );
    const signed = r.decisions('certificate-signed').map((d) => d.t);
    expect(signed.length).toBe(100);
    // Token bucket with a burst of 1: signatures at least 20 ms apart.
    const sorted = [...signed].sort((x, y) => x - y);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(20);
    const refused = r.decisions('csr-failed').filter((d) => d.summary.includes('rate limit'));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.cause.source).toContain('FIDELITY-MORE I2');
    // The first 25 or so fit in the 500 ms wait; the others were refused at least once.
    expect(sorted[25]! - sorted[0]!).toBeGreaterThanOrEqual(500);
  });
});
