import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as scenario from '../../src/scenario/index.ts';
import { createRunner } from '../../src/player/index.ts';

vi.mock('../../src/scenario/index.ts', async (original) => {
  const m = await original<typeof import('../../src/scenario/index.ts')>();
  return { ...m, parseScenario: vi.fn(m.parseScenario) };
});

const file = 'scenarios/retries-flaky-pod.yaml';
const text = readFileSync(file, 'utf8');

describe('a run', () => {
  it('parses its scenario once: checking it before simulating does not parse it again', async () => {
    const parse = vi.mocked(scenario.parseScenario);
    parse.mockClear();
    const outcome = await createRunner().run({ text, file, mesh: 'istio' });
    expect(outcome.ok).toBe(true);
    expect(parse).toHaveBeenCalledTimes(1);
    // The same file under the other mesh (the mesh switch, compare mode): no parse at all.
    expect((await createRunner().run({ text, file, mesh: 'linkerd' })).ok).toBe(true);
    expect(parse).toHaveBeenCalledTimes(1);
  });
});
