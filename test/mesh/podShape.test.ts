/**
 * A pod's properties stay fast (at fixed offsets, shared by pods of the same shape), not in a
 * dictionary: `pod.up`, `pod.ready`, `pod.name`... are read many times on every request's path.
 * A getter among the pod literal's own properties (after its spreads) put every pod in dictionary
 * mode; V8 says which with %HasFastProperties.
 */
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { istioProfile } from '../../src/mesh/index.ts';
import { startedWorld } from '../helpers/sim.ts';

setFlagsFromString('--allow-natives-syntax');
// Compiled after the flag is set, so V8 parses the intrinsic.
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

describe('a pod', () => {
  it('keeps its properties fast, with or without a version, started and ready', () => {
    const world = startedWorld(
      {
        services: [
          { name: 'server', replicas: 2 },
          { name: 'reviews', versions: ['v1', 'v2'] },
          { name: 'plain', meshed: false },
        ],
        clients: [{ name: 'curl' }],
      },
      istioProfile,
      5_000,
    );
    const pods = [...world.pods.values()];
    expect(pods.length).toBeGreaterThanOrEqual(6);
    expect(pods.every((p) => p.ready)).toBe(true);
    for (const pod of pods) expect({ pod: pod.name, fast: hasFastProperties(pod) }).toEqual({ pod: pod.name, fast: true });
    for (const pod of pods) expect(pod.appNode).toBe(pod.appNodeName.text);
  });
});
