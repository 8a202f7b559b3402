/**
 * Narration tied to its event (issue 12): a line is current from its own place in show time until
 * its event is past — another request at its node, the clock PACE.maxLagSimMs past it, or the next
 * line — so it never describes one packet while another is on screen.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACE, Timeline, isCurrent, runScenario, showAtTime, viewAt, type Cursor } from '../../src/player/index.ts';

function timeline(id: string, mesh: string): Timeline {
  const file = `scenarios/${id}.yaml`;
  const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
  if (!run.ok) throw new Error(file);
  return new Timeline(run.trace);
}

/** The cursor a learner gets by seeking to simulated time `t` (everything at it done). */
const at = (tl: Timeline, t: number): Cursor => ({ showMs: showAtTime(tl.show, t), seq: Number.MAX_SAFE_INTEGER });

describe('narrationSpans', () => {
  it('retry-storm: "db is overloaded" (at 2 s, when web\'s next request leaves) is about db, so its callout goes beside db-0, not web-0', () => {
    for (const mesh of ['istio', 'linkerd', 'consul']) {
      const tl = timeline('retry-storm', mesh);
      const span = tl.narrationSpans.find((s) => s.text.startsWith('db is overloaded'))!;
      // Its instant's first event is web's request (the line is timed, not triggered)…
      const first = tl.trace.events.find((e) => e.seq > span.seq && e.type !== 'narration')!;
      expect(first.type === 'request' ? first.node : '').toMatch(/^web-0/);
      // …but the line opens with db: that is the node it is about, and guided mode frames it.
      expect(span.node, mesh).toBe('db-0/app');
      expect(span.nodes).toContain('db-0/app');
      expect(viewAt(tl, { showMs: span.fromShowMs, seq: span.seq }).narrationNow.find((n) => n.seq === span.seq)?.node).toBe('db-0/app');
    }
  });

  it('a line that only mentions a service on the way stays at its event: ingress-gateway\'s "The gateway answered 404 itself … reviews never saw the request"', () => {
    const tl = timeline('ingress-gateway', 'istio');
    const span = tl.narrationSpans.find((s) => s.text.startsWith('The gateway answered 404'))!;
    expect(span.node).not.toMatch(/^reviews/);
  });

  it('retries-flaky-pod under Linkerd: "This 503 reached productpage" is current on its step, beside productpage, and past long before 2.5 s + 1.5 s of play', () => {
    const tl = timeline('retries-flaky-pod', 'linkerd');
    const span = tl.narrationSpans.find((s) => s.text.startsWith('This 503 reached productpage'))!;
    expect(span.node).toBe('productpage-0/app');
    // On its own step it is current, and the view gives it.
    const onStep = { showMs: span.fromShowMs, seq: span.seq };
    expect(isCurrent(span, onStep)).toBe(true);
    expect(viewAt(tl, onStep).narrationNow.map((n) => n.seq)).toContain(span.seq);
    // Past once another request starts at productpage's app: that request's fate may differ.
    const failed = tl.trace.events[span.seq - 1]!;
    const end = tl.trace.events[span.toSeq]!;
    expect(failed.type === 'request' && failed.phase === 'end' && failed.status).toBe(503);
    expect(end.type === 'request' && end.phase === 'start' && end.node).toBe('productpage-0/app');
    expect('requestId' in end && 'requestId' in failed && end.requestId !== failed.requestId).toBe(true);
    expect(isCurrent(span, { showMs: span.toShowMs, seq: span.toSeq - 1 })).toBe(true);
    expect(isCurrent(span, { showMs: span.toShowMs, seq: span.toSeq })).toBe(false);
    // 2.5 s, then 1.5 s of play at ×1: 150 ms of simulated time.
    const later = at(tl, 2500 + 1500 / PACE.showPerSimMs);
    expect(isCurrent(span, later)).toBe(false);
    expect(viewAt(tl, later).narrationNow).toEqual([]);
    expect(viewAt(tl, later).narration?.seq).toBeGreaterThanOrEqual(span.seq);
  });

  it("ingress-gateway under Istio: the 404 line is about the browser's request that got it, and past at 2.05 s while a 200 flows", () => {
    const tl = timeline('ingress-gateway', 'istio');
    const span = tl.narrationSpans.find((s) => s.text.startsWith('The gateway answered 404 itself'))!;
    expect(span.node).toBe('client:browser');
    expect(isCurrent(span, { showMs: span.fromShowMs, seq: span.seq })).toBe(true);
    // What ends it is the browser's next request leaving, at the same instant.
    const end = tl.trace.events[span.toSeq]!;
    expect(end.type === 'flight' && end.from === 'client:browser' && end.label).toBe('GET /productpage');
    expect(viewAt(tl, at(tl, 2050)).narrationNow).toEqual([]);
  });

  it('the opening lines at 0 s describe the scene: no node, current until the next line', () => {
    const tl = timeline('retries-flaky-pod', 'istio');
    const [first, second] = tl.narrationSpans;
    expect(first!.t).toBe(0);
    expect(first!.node).toBeUndefined();
    const next = tl.narrationSpans.find((s) => s.t > 0)!;
    expect(second!.t).toBe(0);
    expect(first!.toShowMs).toBe(tl.show.eventShow[next.seq]);
    expect(viewAt(tl, at(tl, 500)).narrationNow.map((n) => n.seq)).toEqual([first!.seq, second!.seq]);
  });

  it('a line tied to an event is never current after the clock passes it by PACE.maxLagSimMs (every library line, Istio and Linkerd)', () => {
    for (const id of ['retries-flaky-pod', 'ingress-gateway', 'mtls-handshake', 'config-push', 'outlier-vs-failure-accrual'])
      for (const mesh of ['istio', 'linkerd']) {
        const tl = timeline(id, mesh);
        for (const s of tl.narrationSpans) {
          expect(s.toShowMs, `${id} ${mesh} ${s.text}`).toBeGreaterThanOrEqual(s.fromShowMs);
          if (s.node === undefined) continue;
          const bound = Math.max(showAtTime(tl.show, s.t + PACE.maxLagSimMs), s.fromShowMs + PACE.flightMinShowMs);
          expect(s.toShowMs, `${id} ${mesh} ${s.text}`).toBeLessThanOrEqual(bound + 1e-6);
        }
      }
  });
});
