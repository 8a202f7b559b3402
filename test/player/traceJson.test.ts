import { describe, expect, it } from 'vitest';
import { traceJsonParts } from '../../src/player/traceJson.ts';
import { run } from '../helpers/sim.ts';

describe(traceJsonParts, () => {
  it('joined, is the trace as JSON.stringify(trace, null, 1) writes it, in parts of 10,000 events', () => {
    const r = run({ duration: '30s', services: [{ name: 'a' }, { name: 'b' }], traffic: [{ from: 'a', to: 'b', rate: '200/s' }] }, 'istio');
    expect(r.trace.events.length).toBeGreaterThan(20_000);
    const parts = traceJsonParts(r.trace);
    expect(parts.length).toBe(2 + Math.ceil(r.trace.events.length / 10_000));
    expect(parts.join('')).toBe(JSON.stringify(r.trace, null, 1));
  });

  it('writes a trace without events whole', () => {
    const r = run({ duration: '1s', services: [{ name: 'a' }] }, 'istio');
    const empty = { ...r.trace, events: [] };
    expect(traceJsonParts(empty).join('')).toBe(JSON.stringify(empty, null, 1));
  });
});
