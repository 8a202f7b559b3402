import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulate, istioProfile, linkerdProfile, type MeshProfile } from '../../src/mesh/index.ts';
import { TraceName, TraceStore } from '../../src/sim/index.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';

function run(profile: MeshProfile, replicas: number): { strFlights: string[]; total: number; idFlights: number } {
  const parsed = parseScenario(loadScenarioYaml(4, replicas, 200, 1), 'load.yaml');
  if (!parsed.ok) throw new Error('load scenario invalid');
  const strFlights: string[] = [];
  const byString = TraceStore.prototype.pushFlight;
  vi.spyOn(TraceStore.prototype, 'pushFlight').mockImplementation(function (this: TraceStore, ...args: Parameters<TraceStore['pushFlight']>) {
    strFlights.push(args[2]);
    return byString.apply(this, args);
  });
  const byId = vi.spyOn(TraceStore.prototype, 'pushFlightOf');
  const result = simulate(parsed.scenario, profile);
  const total = result.trace.events.filter((e) => e.type === 'flight').length;
  return { strFlights, total, idFlights: byId.mock.calls.length };
}

describe("a request's flights", () => {
  afterEach(() => vi.restoreAllMocks());

  for (const [profile, replicas] of [
    [istioProfile, 3],
    [linkerdProfile, 10],
  ] as const) {
    it(`look up neither their ends nor their kind in the trace's tables (${profile.id}, ${replicas} replicas)`, () => {
      const { strFlights, total, idFlights } = run(profile, replicas);
      expect(strFlights.filter((k) => k === 'http-request' || k === 'http-response' || k === 'tcp')).toEqual([]);
      // Every flight is still recorded, a request's through the ids its pods and proxies keep.
      expect(idFlights).toBeGreaterThan(800);
      expect(idFlights + strFlights.length).toBeLessThanOrEqual(total);
    });
  }
});

describe("a request's flight labels", () => {
  afterEach(() => vi.restoreAllMocks());

  it('are looked up once a run: the request\'s "GET /" and each status', () => {
    const parsed = parseScenario(loadScenarioYaml(4, 3, 200, 1), 'load.yaml');
    if (!parsed.ok) throw new Error('load scenario invalid');
    const lookups = vi.spyOn(TraceStore.prototype, 'str');
    const result = simulate(parsed.scenario, istioProfile);
    const of = (s: string): number => lookups.mock.calls.filter(([x]) => x === s).length;
    expect(result.report.summary.total).toBeGreaterThan(150);
    expect(of('GET /')).toBe(1);
    expect(of('200')).toBe(1);
    expect(of('503')).toBe(1);
  });
});

describe('TraceName', () => {
  it("interns its text once a store, with the id the store's own lookup gives", () => {
    const a = new TraceStore();
    a.str('first');
    const name = new TraceName('web-0/app');
    const lookups = vi.spyOn(a, 'str');
    expect(name.idIn(a)).toBe(1);
    expect(name.idIn(a)).toBe(1);
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(a.str('web-0/app')).toBe(1);
    const b = new TraceStore();
    expect(name.idIn(b)).toBe(0);
    expect(b.strings).toEqual(['web-0/app']);
  });
});
