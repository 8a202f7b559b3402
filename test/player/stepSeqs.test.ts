// The steps' seqs kept compact (src/player/stepSeqs.ts): read back exactly, in blocks when they lie close.
import { describe, expect, it } from 'vitest';
import { StepSeqs } from '../../src/player/stepSeqs.ts';
import { Player, runScenario } from '../../src/player/index.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';

describe('StepSeqs', () => {
  it('reads back every seq of a list in show order, kept in blocks (a long load, steps out of seq order)', () => {
    const run = runScenario({ text: loadScenarioYaml(20, 2, 1000, 3), file: 'load.yaml', mesh: 'istio' });
    if (!run.ok) throw new Error('load scenario invalid');
    const steps = new Player(run.trace).steps;
    const seqs = Int32Array.from(steps, (s) => s.seq);
    // Out of seq order somewhere (a packet behind its conversation), or the case is not the one meant.
    expect(seqs.some((seq, i) => i > 0 && seq < seqs[i - 1]!)).toBe(true);
    const kept = new StepSeqs(seqs.slice());
    expect(kept.compact).toBe(true);
    expect(kept.length).toBe(seqs.length);
    expect(Array.from({ length: kept.length }, (_, i) => kept.at(i))).toEqual(Array.from(seqs));
  });

  it('keeps a list whose steps lie further apart than 16 bits in a block as it is, and reads it back exactly', () => {
    const seqs = Int32Array.from({ length: 300 }, (_, i) => i * 10);
    // Step 70 (the second block) shown far from its neighbours.
    seqs[70] = 5_000_000;
    const kept = new StepSeqs(seqs.slice());
    expect(kept.compact).toBe(false);
    expect(Array.from({ length: kept.length }, (_, i) => kept.at(i))).toEqual(Array.from(seqs));
    // Just within 16 bits of its block's smallest (step 64's 640): kept in blocks.
    seqs[70] = 640 + 0xffff;
    const close = new StepSeqs(seqs.slice());
    expect(close.compact).toBe(true);
    expect(Array.from({ length: close.length }, (_, i) => close.at(i))).toEqual(Array.from(seqs));
  });
});
