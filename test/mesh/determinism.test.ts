import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { loadScenarioOrThrow } from '../../src/scenario/index.ts';
import { simulate, PROFILES } from '../../src/mesh/index.ts';
import { formatTrace } from '../../src/sim/index.ts';

const library = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => loadScenarioOrThrow(readFileSync(`scenarios/${f}`, 'utf8'), `scenarios/${f}`));

describe('determinism', () => {
  for (const scenario of library) {
    for (const profile of Object.values(PROFILES)) {
      it(`${scenario.id} under ${profile.id}: the same seed gives the same trace twice`, () => {
        const a = simulate(scenario, profile);
        const b = simulate(scenario, profile);
        expect(formatTrace(b.trace.events)).toBe(formatTrace(a.trace.events));
        expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
        expect(b.report).toEqual(a.report);
      });
    }
  }

  it('60 seeds of retries-flaky-pod each run twice give identical traces, and seeds differ', () => {
    const scenario = library.find((s) => s.id === 'retries-flaky-pod')!;
    const fingerprints = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      const profile = seed % 2 ? PROFILES.istio! : PROFILES.linkerd!;
      const a = JSON.stringify(simulate(scenario, profile, { seed }).trace.events);
      const b = JSON.stringify(simulate(scenario, profile, { seed }).trace.events);
      expect(b === a, `seed ${seed}`).toBe(true);
      fingerprints.add(a);
    }
    expect(fingerprints.size).toBe(60);
  }, 120_000);
});
