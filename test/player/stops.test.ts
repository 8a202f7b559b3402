import { describe, expect, it } from 'vitest';
import { Player, breakpointStops, checkpointPrompts, checkpointStops, gradeCheckpoint, runScenario, type RunOutcome } from '../../src/player/index.ts';
import { AUTHORIZATION } from './scenarios.ts';

function run(text: string, mesh: string): Extract<RunOutcome, { ok: true }> {
  const o = runScenario({ text, file: 'fixture.yaml', mesh });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return o;
}

describe('breakpoints', () => {
  const { trace } = run(AUTHORIZATION, 'istio');
  const firstDeny = trace.events.find((e) => e.type === 'decision' && e.kind === 'deny')!;

  it('stop playing exactly at the first watched decision, however long the frames', () => {
    for (const frameMs of [16, 250, 5000]) {
      const player = new Player(trace);
      player.setStops(breakpointStops(player.steps, new Set(['deny'])));
      player.setSpeed(10);
      player.play();
      let frames = 0;
      while (player.playing && frames++ < 100_000) player.advance(frameMs);
      expect(player.view().step?.seq).toBe(firstDeny.seq);
      expect(player.takeHit()).toMatchObject({ kind: 'breakpoint', id: 'deny' });
      expect(player.takeHit()).toBeNull();
      // Playing on stops at the next one, not the same one again.
      player.play();
      while (player.playing) player.advance(frameMs);
      const next = player.view().step!;
      expect(trace.events[next.seq]).toMatchObject({ type: 'decision', kind: 'deny' });
      expect(next.seq).toBeGreaterThan(firstDeny.seq);
    }
  });

  it('stop with reduced motion too, on the same step', () => {
    const player = new Player(trace);
    player.reducedMotion = true;
    player.setStops(breakpointStops(player.steps, new Set(['deny'])));
    player.setSpeed(10);
    player.play();
    while (player.playing) player.advance(1000);
    expect(player.view().step?.seq).toBe(firstDeny.seq);
  });

  it('watch nothing they were not asked to', () => {
    const player = new Player(trace);
    expect(breakpointStops(player.steps, new Set(['breaker', 'handshake']))).toEqual([]);
  });
});

/** A scenario of this test's own (the library's lessons change): a plaintext client meets strict mTLS. */
const STRICT = `id: strict-checkpoint
title: Strict mTLS shuts out a plaintext client
seed: 5
duration: 4s
services:
  - name: legacy
    meshed: false
  - name: orders
traffic:
  - from: legacy
    to: orders
    rate: 2/s
policies:
  mtls: strict
checkpoints:
  - at: 1s
    question: Will the legacy client's requests still succeed?
    measure: client-errors
    from: legacy
    yesWhen: none
`;

describe('checkpoints', () => {
  const runs = ['istio', 'linkerd'].map((mesh) => {
    const o = runScenario({ text: STRICT, file: 'strict.yaml', mesh });
    if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
    return o;
  });
  const prompts = checkpointPrompts(runs.map((r) => r.report));

  it("carry the question, the answer type and each run's measured answer", () => {
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({ atMs: 1000, answerType: 'yes-no', question: "Will the legacy client's requests still succeed?" });
    expect(prompts[0]!.answers.map((a) => [a.mesh, a.answer])).toEqual([
      ['istio', 'no'],
      ['linkerd', 'no'],
    ]);
    expect(prompts[0]!.answers[0]!.evidenceSeq).toBeGreaterThan(0);
  });

  it('stop playing at their time, and stepping too', () => {
    const player = new Player(runs[0]!.trace);
    player.setStops(checkpointStops([1000], (t) => player.showAt(t)));
    player.play();
    while (player.playing) player.advance(400);
    expect(player.timeMs).toBe(1000);
    expect(player.takeHit()).toMatchObject({ kind: 'checkpoint', id: '0' });
    player.restart();
    player.seekTime(999);
    while (player.timeMs < 1000) player.stepForward();
    expect(player.timeMs).toBe(1000);
    expect(player.takeHit()?.kind).toBe('checkpoint');
  });

  it('do not halt playing or stepping from the start for a checkpoint at 0 s (it is offered before the start)', () => {
    const player = new Player(runs[0]!.trace);
    expect(checkpointStops([0, 1000], (t) => player.showAt(t)).map((s) => s.id)).toEqual(['1']);
  });

  it('grade a prediction against every run', () => {
    expect(gradeCheckpoint(prompts[0]!, 'yes').map((g) => [g.correct, g.text])).toEqual([
      [false, 'Istio: Not quite — the answer is no (you said yes).'],
      [false, 'Linkerd: Not quite — the answer is no (you said yes).'],
    ]);
    const right = gradeCheckpoint(prompts[0]!, ' No ');
    expect(right.every((g) => g.correct)).toBe(true);
    expect(right[0]!.explanation).toMatch(/requests the calling apps saw fail from legacy between 1s and 4s/);
  });

  it('read numbers for number questions', () => {
    const prompt = { ...prompts[0]!, answerType: 'number' as const, answers: [{ ...prompts[0]!.answers[0]!, answer: '10' }] };
    expect(gradeCheckpoint(prompt, '010')[0]!.correct).toBe(true);
    expect(gradeCheckpoint(prompt, '9')[0]!.text).toBe('Not quite — the answer is 10 (you said 9).');
  });
});
