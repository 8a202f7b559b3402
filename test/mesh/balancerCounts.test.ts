/**
 * A balancer counts each endpoint's active requests in a PodList: by the pod's number in the run
 * (Pod.index), in a list that starts at the first number it holds and grows at either end.
 * Whatever order the endpoints come in, each keeps its own count, and one never counted has none.
 */
import { describe, expect, it } from 'vitest';
import { BalancerState } from '../../src/mesh/proxy/balancers.ts';
import { defaultCause } from '../../src/mesh/cause.ts';
import type { Pod } from '../../src/mesh/types.ts';

const pod = (index: number): Pod => ({ name: `p-${index}`, index }) as Pod;

describe('active counts', () => {
  it('are kept per endpoint, the first counted in the middle, others below and above it', () => {
    const lb = new BalancerState({ algorithm: 'least-request', cause: defaultCause('test', 'test') });
    const pods = [12, 9, 15, 4, 13].map(pod);
    const expected = new Map<Pod, number>();
    // Up and down in a fixed pattern, never below 0 (a request ends only after it started).
    for (let k = 0; k < 200; k++) {
      const p = pods[(k * 3) % pods.length]!;
      const n = expected.get(p) ?? 0;
      if (k % 4 === 3 && n > 0) {
        lb.finished(p, 1, k);
        expected.set(p, n - 1);
      } else {
        lb.started(p);
        expected.set(p, n + 1);
      }
      for (const q of pods) expect([q.name, lb.activeOf(q)]).toEqual([q.name, expected.get(q) ?? 0]);
    }
    for (const never of [0, 3, 5, 10, 14, 16, 40].map(pod)) expect(lb.activeOf(never)).toBe(0);
  });

  it('do not go below zero when a request ends twice', () => {
    const lb = new BalancerState({ algorithm: 'least-request', cause: defaultCause('test', 'test') });
    const p = pod(3);
    lb.started(p);
    lb.finished(p, 1, 0);
    lb.finished(p, 1, 1);
    expect(lb.activeOf(p)).toBe(0);
    lb.started(p);
    expect(lb.activeOf(p)).toBe(1);
  });
});
