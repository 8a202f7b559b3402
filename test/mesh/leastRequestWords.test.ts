/**
 * Envoy's least request as the trace tells it: two endpoints drawn, the one with fewer active
 * requests kept, and the words name both with their counts. The words of a draw are kept per run
 * (a run repeats the same draws thousands of times), so a draw with other counts, another pair or
 * the pair the other way round must still read as its own.
 */
import { describe, expect, it } from 'vitest';
import { BalancerState } from '../../src/mesh/proxy/balancers.ts';
import { Rng } from '../../src/sim/index.ts';
import { defaultCause } from '../../src/mesh/cause.ts';
import type { Pod } from '../../src/mesh/types.ts';

/** A pod as the balancer knows it: its name and its number in the run. */
const pod = (name: string, index: number): Pod => ({ name, index }) as Pod;

describe('least-request words', () => {
  it('name the two endpoints drawn and their active counts, whatever draws came before', () => {
    const pods = ['r-0', 'r-1', 'r-2', 'r-3'].map((name, i) => pod(name, i));
    const lb = new BalancerState({ algorithm: 'least-request', cause: defaultCause('test', 'test') });
    // Active counts from 0 to past what is kept (8), up and down, so the same pairs come back with other counts.
    const active = new Map(pods.map((p) => [p, 0]));
    const seen = new Set<string>();
    for (let k = 0; k < 3000; k++) {
      const p = pods[(k * 7) % pods.length]!;
      const up = k % 3 !== 0 && active.get(p)! < 11;
      if (up || active.get(p) === 0) {
        lb.started(p);
        active.set(p, active.get(p)! + 1);
      } else {
        lb.finished(p, 5, k);
        active.set(p, active.get(p)! - 1);
      }
      const check = new Rng(7 + k);
      const a = pods[check.int(4)]!;
      const b = pods[check.int(4)]!;
      const got = lb.pick(pods, new Rng(7 + k), k);
      const qa = active.get(a)!;
      const qb = active.get(b)!;
      const words = a === b ? `${a.name} (drew it twice; ${qa} active)` : `${(qb < qa ? b : a).name}: ${a.name} has ${qa} active, ${b.name} has ${qb}`;
      expect({ pod: got.pod, summary: got.summary }).toEqual({ pod: qb < qa ? b : a, summary: words });
      // A kept draw's words go to the trace as a UniqueText of the same text.
      if (got.words) expect(got.words.text).toBe(words);
      seen.add(words);
    }
    // The loop met many draws, some with counts past what is kept.
    expect(seen.size).toBeGreaterThan(150);
    expect([...seen].some((w) => /has (9|10|11)\b/.test(w))).toBe(true);
  });

  it('give a draw seen before its pick again, words and all (nothing made per pick)', () => {
    const pods = ['r-0', 'r-1', 'r-2'].map((name, i) => pod(name, i));
    const lb = new BalancerState({ algorithm: 'least-request', cause: defaultCause('test', 'test') });
    lb.started(pods[1]!);
    const first = lb.pick(pods, new Rng(3), 0);
    const again = lb.pick(pods, new Rng(3), 1);
    expect(again).toBe(first);
    expect(first.words?.text).toBe(first.summary);
    // A kept draw is its own words: one object kept per draw, not a pick and a UniqueText beside it.
    expect(first.words).toBe(first);
    // Other counts: another draw, its own pick.
    lb.started(first.pod);
    const other = lb.pick(pods, new Rng(3), 2);
    expect(other).not.toBe(first);
    expect(other.summary).not.toBe(first.summary);
  });
});
