import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { loadScenarioOrThrow } from '../../src/scenario/index.ts';
import { simulate, PROFILES, dataPlaneProblems } from '../../src/mesh/index.ts';
import { formatTrace } from '../../src/sim/index.ts';

const library = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => loadScenarioOrThrow(readFileSync(`scenarios/${f}`, 'utf8'), `scenarios/${f}`));

describe('determinism', () => {
  for (const scenario of library) {
    for (const profile of Object.values(PROFILES)) {
      // FIDELITY-MORE H8: a file asking for ztunnel (services[].dataPlane: ambient) is refused by a mesh without one, every time alike.
      if (dataPlaneProblems(scenario, profile).length > 0) {
        it(`${scenario.id} under ${profile.id}: refused (services[].dataPlane), with the same message twice`, () => {
          const message = (): string => {
            try {
              simulate(scenario, profile);
            } catch (e) {
              return (e as Error).message;
            }
            return 'ran';
          };
          expect(message()).toMatch(/^services\[\d+\]\.dataPlane /);
          expect(message()).toBe(message());
        });
        continue;
      }
      it(`${scenario.id} under ${profile.id}: the same seed gives the same trace twice`, () => {
        const a = simulate(scenario, profile);
        const b = simulate(scenario, profile);
        expect(formatTrace(b.trace.events)).toBe(formatTrace(a.trace.events));
        expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
        expect(b.report).toEqual(a.report);
      });
    }
  }

  it('200 seeds of retries-flaky-pod (its first 3 s) each run twice give identical traces, and seeds differ', () => {
    const whole = library.find((s) => s.id === 'retries-flaky-pod')!;
    // The first 3 seconds keep 400 runs quick; they hold the flaky pod's 503s, retries and jittered backoffs.
    const scenario = { ...whole, duration: 3000 };
    const fingerprints = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const profile = seed % 2 ? PROFILES.istio! : PROFILES.linkerd!;
      const a = JSON.stringify(simulate(scenario, profile, { seed }).trace.events);
      const b = JSON.stringify(simulate(scenario, profile, { seed }).trace.events);
      expect(b === a, `seed ${seed}`).toBe(true);
      fingerprints.add(a);
    }
    expect(fingerprints.size).toBe(200);
  }, 120_000);
});
