import { describe, expect, it } from 'vitest';
import { PANE_STRIDE, Player, checkpointPrompts, divergences, gradeCheckpoint, paneNames, summaryOf, runScenario } from '../../src/player/index.ts';
import { readFileSync } from 'node:fs';
import { retriesTrace } from './fixtures.ts';

const istio = retriesTrace('istio');
const linkerd = retriesTrace('linkerd');

describe('Player in compare mode', () => {
  const player = new Player([istio, linkerd]);

  it('drives both panes with one playhead: one show time is one simulated time in both', () => {
    player.seekTime(1281.5);
    const [a, b] = [player.viewOf(0), player.viewOf(1)];
    expect(a.timeMs).toBe(1281.5);
    expect(b.timeMs).toBe(1281.5);
    expect(player.timelines[0]!.show.instantMs).toBe(player.timelines[1]!.show.instantMs);
    expect(player.timelines[0]!.endShowMs).toBe(player.timelines[1]!.endShowMs);
  });

  it("merges both panes' steps, each named by its mesh, in show-time order", () => {
    const panes = new Set(player.steps.map((s) => s.pane));
    expect(panes).toEqual(new Set([0, 1]));
    expect(player.steps.length).toBe(player.timelines[0]!.steps.length + player.timelines[1]!.steps.length);
    for (let i = 1; i < player.steps.length; i++) expect(player.steps[i]!.showMs).toBeGreaterThanOrEqual(player.steps[i - 1]!.showMs);
    expect(player.steps.find((s) => s.pane === 0)!.text).toMatch(/^Istio: /);
    expect(player.steps.find((s) => s.pane === 1)!.text).toMatch(/^Linkerd: /);
  });

  it('steps through one pane at a time; the other pane holds everything before that moment', () => {
    player.restart();
    for (let i = 0; i < 40; i++) player.stepForward();
    const step = player.steps[player.stepIndex]!;
    const mine = step.pane!;
    const other = mine === 0 ? 1 : 0;
    expect(player.paneCursor(mine)).toEqual({ showMs: step.showMs, seq: step.seq - mine * PANE_STRIDE });
    expect(player.paneCursor(other).seq).toBe(mine === 0 ? -1 : Number.MAX_SAFE_INTEGER);
    expect(player.viewOf(mine).step?.seq).toBe(step.seq - mine * PANE_STRIDE);
    player.stepBack();
    expect(player.stepIndex).toBe(38);
  });

  it('keeps the time when the traces are replaced by a single one', () => {
    player.seekTime(2500);
    player.replaceTrace(istio);
    expect(player.timeMs).toBe(2500);
    expect(player.timelines.length).toBe(1);
    expect(player.steps).toBe(player.timeline.steps);
  });
});

describe(divergences, () => {
  it('finds none between a run and itself', () => {
    expect(divergences([istio, istio])).toEqual([]);
  });

  describe('on retries-flaky-pod, Istio against Linkerd', () => {
    const d = divergences([istio, linkerd]);

    it('marks every retry Istio made and Linkerd did not, at the retry decision', () => {
      const retries = istio.events.filter((e) => e.type === 'decision' && e.kind === 'retry');
      const marked = d.filter((x) => x.pane === 0 && x.kind === 'decision');
      expect(marked.length).toBeGreaterThan(0);
      for (const m of marked) expect(retries.map((r) => r.seq)).toContain(m.seq);
      expect(marked[0]!.text).toMatch(/Istio — attempt 1 failed \(503\).*Linkerd made no such retry decision/);
    });

    it('marks requests that only ended differently where they ended, and orders everything by time', () => {
      const outcomes = d.filter((x) => x.kind === 'outcome');
      expect(outcomes.some((o) => /Linkerd ended 503/.test(o.text))).toBe(true);
      for (let i = 1; i < d.length; i++) expect(d[i]!.timeMs).toBeGreaterThanOrEqual(d[i - 1]!.timeMs);
      const first = d[0]!;
      const e = [istio, linkerd][first.pane]!.events[first.seq]!;
      expect(e.t).toBe(first.timeMs);
    });
  });
});

describe('compare mode with more than two panes', () => {
  it('names each pane by its mesh, numbered when a mesh is there twice', () => {
    expect(paneNames(['istio', 'linkerd'])).toEqual(['Istio', 'Linkerd']);
    expect(paneNames(['istio', 'linkerd', 'istio'])).toEqual(['Istio #1', 'Linkerd', 'Istio #2']);
    expect(paneNames(['linkerd', 'linkerd', 'istio', 'linkerd'])).toEqual(['Linkerd #1', 'Linkerd #2', 'Istio', 'Linkerd #3']);
  });

  it('drives three panes with one playhead, merging their steps; a step in the middle pane holds the first done and the last not started', () => {
    const player = new Player([istio, linkerd, istio]);
    expect(player.timelines.length).toBe(3);
    expect(player.steps.length).toBe(2 * new Player(istio).steps.length + new Player(linkerd).steps.length);
    expect(new Set(player.steps.map((s) => s.pane))).toEqual(new Set([0, 1, 2]));
    expect(player.steps.find((s) => s.pane === 2)!.text).toMatch(/^Istio #2: /);
    player.seekTime(1281.5);
    expect([0, 1, 2].map((i) => player.viewOf(i).timeMs)).toEqual([1281.5, 1281.5, 1281.5]);
    const middle = player.steps.findIndex((s) => s.pane === 1 && s.showMs > 0);
    player.seekStep(middle);
    const step = player.steps[middle]!;
    expect(player.paneCursor(1)).toEqual({ showMs: step.showMs, seq: step.seq - PANE_STRIDE });
    expect(player.paneCursor(0).seq).toBe(Number.MAX_SAFE_INTEGER);
    expect(player.paneCursor(2).seq).toBe(-1);
    // The same mesh twice is the same run: both panes show the same world.
    player.seekTime(3000);
    expect(player.viewOf(2).packets).toEqual(player.viewOf(0).packets);
  });

  it('compares every pane with the reference, the first: a copy of the reference differs in nothing', () => {
    const three = divergences([istio, linkerd, istio]);
    expect(three.length).toBeGreaterThan(5);
    expect(three.every((d) => d.versus === 1)).toBe(true);
    expect(three).toEqual(divergences([istio, linkerd], ['Istio #1', 'Linkerd']));
    expect(three[0]!.text).toMatch(/Istio #1 — .*Linkerd made no such/);
  });

  it("lists each pane's differences from the reference, in time order, each at an event of the pane that shows it", () => {
    const traces = [istio, linkerd, linkerd];
    const d = divergences(traces);
    const pairwise = divergences([istio, linkerd], ['Istio', 'Linkerd #1']);
    expect(d.filter((x) => x.versus === 1)).toEqual(pairwise);
    const second = d.filter((x) => x.versus === 2);
    expect(second.length).toBe(pairwise.length);
    expect(new Set(second.map((x) => x.pane))).toEqual(new Set([0, 2]));
    expect(second.some((x) => /Linkerd #2/.test(x.text))).toBe(true);
    for (let i = 1; i < d.length; i++) expect(d[i]!.timeMs).toBeGreaterThanOrEqual(d[i - 1]!.timeMs);
    for (const x of d) {
      const e = traces[x.pane]!.events[x.seq]!;
      expect(e.t).toBe(x.timeMs);
      expect(x.pane === 0 || x.pane === x.versus).toBe(true);
    }
  });

  it('takes the reference from the first pane: with Linkerd first, each mark is in the pane whose decision it shows', () => {
    const d = divergences([linkerd, istio, istio]);
    const names = ['Linkerd', 'Istio #1', 'Istio #2'];
    expect(new Set(d.map((x) => x.versus))).toEqual(new Set([1, 2]));
    const decisions = d.filter((x) => x.kind === 'decision');
    expect(decisions.some((x) => x.pane === 0)).toBe(true);
    expect(decisions.some((x) => x.pane === 2)).toBe(true);
    // "req-…: <who> — <what it decided>; <other> made no such … decision"
    for (const x of decisions) expect(/^req-\d+: (.+?) — /.exec(x.text)?.[1]).toBe(names[x.pane]);
    expect(d.filter((x) => x.versus === 2).map((x) => x.text.replaceAll('Istio #2', 'Istio #1'))).toEqual(d.filter((x) => x.versus === 1).map((x) => x.text));
  });

  it("grades a checkpoint against every pane's answer, each named", () => {
    const file = 'scenarios/retries-flaky-pod.yaml';
    const reports = (['istio', 'linkerd', 'istio'] as const).map((mesh) => {
      const o = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
      if (!o.ok) throw new Error('run');
      return o.report;
    });
    const prompt = checkpointPrompts(reports)[0]!;
    expect(prompt.answers.map((a) => a.pane)).toEqual([0, 1, 2]);
    expect(prompt.answers[2]!.answer).toBe(prompt.answers[0]!.answer);
    const grades = gradeCheckpoint(prompt, prompt.answers[1]!.answer);
    expect(grades.map((g) => g.text.split(':')[0])).toEqual(['Istio #1', 'Linkerd', 'Istio #2']);
    expect(grades[1]!.correct).toBe(true);
    expect(grades[0]!.correct).toBe(prompt.answers[0]!.answer === prompt.answers[1]!.answer);
  });
});

describe(summaryOf, () => {
  it('reads requests, attempts, latency, ejections and handshakes from a report', () => {
    const file = 'scenarios/retries-flaky-pod.yaml';
    const outcome = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'istio' });
    if (!outcome.ok) throw new Error('run');
    const s = summaryOf(outcome.report);
    expect(s.requests).toBe(outcome.report.summary.total);
    expect(s.ok + s.failed).toBe(s.requests);
    // A request still in flight at the end may have retried already: it counts in retries only.
    expect(s.attempts).toBeGreaterThan(s.requests);
    expect(s.attempts).toBeLessThanOrEqual(s.requests + s.retries);
    expect(s.handshakesOk).toBeGreaterThan(0);
    expect(s.p99Ms).toBeGreaterThanOrEqual(s.p50Ms);
  });
});
