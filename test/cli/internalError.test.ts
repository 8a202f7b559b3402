/** A bug in mesh-sim must not look like a missed expectation (1) or a bad file (2) to CI. */
import { describe, expect, it, vi } from 'vitest';
import { cli } from './io.ts';

vi.mock('../../src/mesh/index.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/mesh/index.ts')>()),
  simulate: () => {
    throw new Error('the simulation fell over');
  },
}));

describe('mesh-sim when the simulation itself fails', () => {
  it.each([
    ['run', 'scenarios/retries-flaky-pod.yaml', '--mesh', 'istio'],
    ['check', 'scenarios/retries-flaky-pod.yaml'],
  ])('%j exits 3 and says it is a bug in mesh-sim, with the stack for the report', (...argv) => {
    const r = cli(...argv);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe('mesh-sim: internal error (a bug in mesh-sim, not in your scenario; please report it): the simulation fell over');
    expect(r.stderr).toContain('Error: the simulation fell over');
  });
});
