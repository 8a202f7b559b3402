import { describe, expect, it } from 'vitest';
import { readUrl } from '../../src/ui/urlState.ts';
import { readEmbedParams } from '../../src/embed/params.ts';

const embed = (search: string) =>
  readEmbedParams(search, '', { library: ['hello-mesh'], defaultScenario: 'hello-mesh', meshes: ['istio', 'linkerd'], base: 'https://sim.example.com/' });

describe('the page URL and the embed URL', () => {
  it('read t and seed alike', () => {
    for (const [t, ms] of [
      ['1500', 1500],
      ['1500ms', 1500],
      ['1.5s', 1500],
      [' 2.25s ', 2250],
    ] as const) {
      expect(readUrl(`?t=${encodeURIComponent(t)}`).state.t).toBe(ms);
      const e = embed(`?t=${encodeURIComponent(t)}`);
      expect(e.ok && e.params.t).toBe(ms);
    }
    expect(readUrl('?seed=42').state.seed).toBe(42);
    expect(embed('?seed=42')).toMatchObject({ ok: true, params: { seed: 42 } });
    for (const bad of ['later', '-5', '1e3', '1.5m', '1234567890123', '0.1234567']) {
      expect(readUrl(`?t=${bad}`).errors, bad).toEqual([`URL parameter t: must be a time in ms like 1500 or 1.5s (got "${bad}"); starting at 0`]);
      expect(embed(`?t=${bad}`).ok, bad).toBe(false);
    }
    for (const bad of ['x', '-1', '1.5', '1234567890123456']) {
      expect(readUrl(`?seed=${bad}`).state.seed, bad).toBeUndefined();
      expect(embed(`?seed=${bad}`).ok, bad).toBe(false);
    }
  });
});
