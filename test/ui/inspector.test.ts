import { describe, expect, it } from 'vitest';
import { certificateAt, deliveredCertificates } from '../../src/ui/inspector.ts';
import { flight, traceOf } from '../player/fixtures.ts';

const H = 3_600_000;

/** A certificate the CA sends to `to`, valid until `expiresAtMs`. */
const certificate = (to: string, departMs: number, expiresAtMs: number) => ({
  ...flight('control-plane', to, departMs, departMs + 1, 'certificate'),
  kind: 'certificate' as const,
  detail: { expiresAtMs },
});

describe('the certificate the inspector shows for a proxy', () => {
  // a's proxy gets a certificate at 1 h, is renewed at 12 h and again at 37 h; b's proxy once.
  const trace = traceOf(
    [
      certificate('a/proxy', 1 * H, 25 * H),
      certificate('b/proxy', 2 * H, 26 * H),
      flight('a/proxy', 'b/proxy', 3 * H, 3 * H + 5),
      certificate('a/proxy', 12 * H, 36 * H),
      certificate('a/proxy', 37 * H, 61 * H),
    ],
    39 * H,
  );
  const delivered = deliveredCertificates(trace.events);
  const expiry = (proxy: string, timeMs: number): unknown => certificateAt(delivered.get(proxy), timeMs)?.detail?.expiresAtMs;

  it('is the latest delivered by the view time, not the first one, after a renewal', () => {
    expect(expiry('a/proxy', 2 * H)).toBe(25 * H);
    expect(expiry('a/proxy', 13 * H)).toBe(36 * H);
    expect(expiry('a/proxy', 38 * H)).toBe(61 * H);
    expect(expiry('b/proxy', 38 * H)).toBe(26 * H);
  });

  it('is none before the first arrives, and not one still on its way', () => {
    expect(expiry('a/proxy', 0)).toBeUndefined();
    expect(expiry('a/proxy', 1 * H)).toBeUndefined();
    expect(expiry('a/proxy', 1 * H + 1)).toBe(25 * H);
    expect(expiry('a/proxy', 37 * H)).toBe(36 * H);
    expect(expiry('a/proxy', 37 * H + 1)).toBe(61 * H);
  });

  it('is none for a proxy that never got one, and counts only certificates', () => {
    expect(expiry('a/app', 38 * H)).toBeUndefined();
    expect([...delivered.keys()].sort()).toEqual(['a/proxy', 'b/proxy']);
    expect(delivered.get('a/proxy')!.map((f) => f.detail!.expiresAtMs)).toEqual([25 * H, 36 * H, 61 * H]);
  });
});
