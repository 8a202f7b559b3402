import { describe, expect, it } from 'vitest';
import { PANE_STRIDE, Player, divergences, summaryOf, runScenario } from '../../src/player/index.ts';
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
    expect(divergences(istio, istio)).toEqual([]);
  });

  describe('on retries-flaky-pod, Istio against Linkerd', () => {
    const d = divergences(istio, linkerd);

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
