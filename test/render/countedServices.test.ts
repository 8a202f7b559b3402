// The services whose header has a counter line, read from the trace's columns: the services
// request starts name (a host named with dots counts as its first label), as the events say.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/player/index.ts';
import { countedServices } from '../../src/render/freeSpot.ts';

describe('countedServices', () => {
  for (const [name, mesh] of [
    ['egress-control', 'istio'],
    ['ingress-gateway', 'istio'],
    ['canary-split', 'linkerd'],
  ] as const) {
    it(`${name} under ${mesh}: the targets request starts name, once each, in order of first call`, () => {
      const file = `scenarios/${name}.yaml`;
      const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
      if (!run.ok) throw new Error(file);
      const named: string[] = [];
      for (const e of run.trace.events)
        if (e.type === 'request' && e.phase === 'start' && !named.includes(e.to.split('.')[0]!)) named.push(e.to.split('.')[0]!);
      expect(named.length).toBeGreaterThan(0);
      expect([...countedServices(run.trace)]).toEqual(named);
    });
  }
});
