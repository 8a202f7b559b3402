import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACE, Player, runScenario, showAtTime, timeAtShow } from '../../src/player/index.ts';
import { buildShowMap, flightProgress, flightSpan } from '../../src/player/pace.ts';
import { foldsOf } from '../../src/player/folds.ts';
import { formatDuration } from '../../src/player/format.ts';
import type { FlightEvent, TraceEvent } from '../../src/sim/index.ts';
import { flight, traceOf } from './fixtures.ts';

const withRequest = (f: ReturnType<typeof flight>, requestId: string): ReturnType<typeof flight> => ({ ...f, requestId }) as ReturnType<typeof flight>;

describe('show time', () => {
  describe('when an app hands a request to its own sidecar (a zero-duration hop)', () => {
    const trace = traceOf([flight('a/app', 'a/proxy', 0, 0), flight('a/proxy', 'b/proxy', 0, 1), flight('b/proxy', 'b/app', 1, 1)], 10);
    const map = buildShowMap(trace.events, trace.durationMs);
    const [hop, link, last] = trace.events as FlightEvent[];

    it('gives the hop a visible moment', () => {
      expect(flightSpan(map, hop!.seq).start).toBe(0);
      expect(flightSpan(map, hop!.seq).end).toBe(PACE.momentShowMs);
      expect(flightProgress(map, hop!, PACE.momentShowMs / 2)).toBeCloseTo(0.5);
    });

    it('starts the link flight after the hop and keeps it on screen at least flightMinShowMs', () => {
      expect(flightSpan(map, link!.seq).start).toBe(PACE.momentShowMs);
      expect(flightSpan(map, link!.seq).end - flightSpan(map, link!.seq).start).toBe(PACE.flightMinShowMs);
      expect(flightSpan(map, last!.seq).start).toBe(flightSpan(map, link!.seq).end);
      expect(map.endShow).toBe(2 * PACE.momentShowMs + PACE.flightMinShowMs);
    });

    it('runs the clock at showPerSimMs, so simulated time maps to show time and back', () => {
      expect(showAtTime(map, 10)).toBe(10 * PACE.showPerSimMs);
      for (const t of [0.25, 0.5, 1, 3, 10]) expect(timeAtShow(map, showAtTime(map, t))).toBeCloseTo(t, 9);
    });
  });

  describe('when hops follow each other within one instant', () => {
    it('plays them one after the other, while unrelated hops go at once', () => {
      const trace = traceOf([flight('a/app', 'a/proxy', 0, 0), flight('a/proxy', 'b/app', 0, 0), flight('b/proxy', 'b/app', 0, 0)]);
      const map = buildShowMap(trace.events, trace.durationMs);
      expect([0, 1, 2].map((seq) => flightSpan(map, seq).start)).toEqual([0, PACE.momentShowMs, 0]);
    });
  });

  describe('when one node sends several messages of one flight together (a TLS server flight)', () => {
    it(`sends them ${PACE.staggerShowMs} ms of show time apart, each its own packet`, () => {
      const trace = traceOf(['ServerHello', '{Certificate}', '{CertificateVerify}', '{Finished}'].map((label) => flight('b/proxy', 'a/proxy', 10, 20, label)));
      const map = buildShowMap(trace.events, trace.durationMs);
      const starts = [0, 1, 2, 3].map((seq) => flightSpan(map, seq).start);
      expect(starts.map((s) => s - starts[0]!)).toEqual([0, 1, 2, 3].map((i) => i * PACE.staggerShowMs));
      expect(starts[0]).toBe(10 * PACE.showPerSimMs);
    });
  });

  describe('when requests overlap', () => {
    // Two requests 1 ms apart, each with a hop into its sidecar and a 1 ms link flight.
    const trace = traceOf([
      withRequest(flight('a/app', 'a/proxy', 0, 0), 'r1'),
      withRequest(flight('a/proxy', 'b/proxy', 0, 1), 'r1'),
      withRequest(flight('a/app', 'a/proxy', 1, 1), 'r2'),
      withRequest(flight('a/proxy', 'b/proxy', 1, 2), 'r2'),
      withRequest(flight('b/proxy', 'b/app', 1, 1), 'r1'),
    ]);
    const map = buildShowMap(trace.events, trace.durationMs);
    const start = (i: number): number => flightSpan(map, i).start;
    const end = (i: number): number => flightSpan(map, i).end;

    it("plays each request's hops in order, however little simulated time separates them", () => {
      expect(start(1)).toBe(end(0));
      expect(start(4)).toBe(end(1));
      expect(start(3)).toBe(end(2));
    });

    it('plays the requests side by side: the second does not wait for the first', () => {
      expect(start(2)).toBe(showAtTime(map, 1));
      expect(start(2)).toBeLessThan(end(1));
    });
  });

  describe('when a node makes a call while serving a request', () => {
    // r1 reaches b at 1 ms (shown until flightMinShowMs); b's own call r2 starts at 2 ms.
    const call = (t: number): Parameters<typeof traceOf>[0][number] => ({
      type: 'request',
      phase: 'start',
      t,
      requestId: 'r2',
      from: 'b',
      to: 'c',
      node: 'b/app',
      method: 'GET',
      path: '/',
      headers: {},
      bodyBytes: 0,
    });

    it('starts the call once the request it serves has arrived', () => {
      const trace = traceOf([withRequest(flight('a/proxy', 'b/app', 0, 1), 'r1'), call(2)]);
      const map = buildShowMap(trace.events, trace.durationMs);
      expect(showAtTime(map, 2)).toBeLessThan(flightSpan(map, 0).end);
      expect(map.eventShow[1]).toBe(flightSpan(map, 0).end);
    });

    it('does not wait for a request already answered', () => {
      const answer = { ...withRequest(flight('b/app', 'a/proxy', 1, 1.5), 'r1'), kind: 'http-response' } as ReturnType<typeof flight>;
      const trace = traceOf([withRequest(flight('a/proxy', 'b/app', 0, 1), 'r1'), answer, call(2)]);
      const map = buildShowMap(trace.events, trace.durationMs);
      expect(map.eventShow[2]).toBe(showAtTime(map, 2));
    });
  });

  describe('when nothing happens for hours', () => {
    const hours = 11 * 3_600_000 + 58 * 60_000;
    const trace = traceOf([flight('a/proxy', 'b/proxy', 0, 1), flight('a/proxy', 'b/proxy', hours, hours + 1)], hours + 10);
    const map = buildShowMap(trace.events, trace.durationMs);

    it('squeezes the wait into a short fast-forward with a note', () => {
      expect(map.fastForwards).toHaveLength(1);
      const ff = map.fastForwards[0]!;
      expect(ff.toShowMs - ff.fromShowMs).toBe(PACE.idleMaxShowMs);
      expect(formatDuration(ff.toMs - ff.fromMs)).toBe('11 h 58 m');
      expect(map.endShow).toBeLessThan(5000);
    });
  });

  describe('when the same few events repeat for hours (a CSR retried every minute)', () => {
    const events: Parameters<typeof traceOf>[0] = [];
    for (let i = 0; i < 40; i++) {
      const t = i * 60_000;
      events.push(flight('a/proxy', 'ca', t, t + 1, 'CSR'));
      events.push({
        type: 'decision',
        t: t + 1,
        node: 'ca',
        layer: 'identity',
        kind: 'csr-failed',
        summary: `CSR ${i} goes unanswered`,
        cause: { config: 'x', isDefault: true, source: 'x' },
      });
    }
    const trace = traceOf(events, 40 * 60_000);
    const map = buildShowMap(trace.events, trace.durationMs);

    it('folds them into one run', () => {
      expect(foldsOf(trace.events as TraceEvent[]).map((f) => [f.fromSeq, f.toSeq, f.repeats, f.text])).toEqual([[0, 79, 40, 'CSR ×40']]);
    });

    it(`plays the run in ${PACE.foldShowMs / 1000} s with a note saying what repeats`, () => {
      // The run, then the last minute's wait (idle, capped) to the end of the scenario.
      expect(map.endShow).toBeCloseTo(PACE.foldShowMs + PACE.idleMaxShowMs, 0);
      // The run's note, then the idle last minute's (no text: "fast-forwarding 1 m").
      expect(map.fastForwards.map((f) => f.text)).toEqual(['CSR ×40', undefined]);
    });

    it('makes the run one step', () => {
      const player = new Player(trace);
      expect(player.steps.map((s) => s.text)).toEqual(['CSR ×40, 0.000 s – 39 m 00.001 s (folded)']);
      expect(player.steps[0]!.fold?.repeats).toBe(40);
    });

    it('never folds requests', () => {
      const requests = traceOf(
        [...Array(10).keys()].flatMap((i): Parameters<typeof traceOf>[0] => [
          {
            type: 'request',
            phase: 'start',
            t: i * 100,
            requestId: `r${i}`,
            from: 'a',
            to: 'b',
            node: 'a/app',
            method: 'GET',
            path: '/',
            headers: {},
            bodyBytes: 0,
          },
          withRequest(flight('a/app', 'a/proxy', i * 100, i * 100), `r${i}`),
        ]),
      );
      expect(foldsOf(requests.events)).toEqual([]);
    });
  });

  it('keeps flights by number, in trace order: each leaves at its own event’s show time, and other events are no flights', () => {
    const file = 'scenarios/retries-flaky-pod.yaml';
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'istio' });
    if (!run.ok) throw new Error(file);
    const map = buildShowMap(run.trace.events, run.trace.durationMs);
    const events = [...run.trace.events];
    expect([...map.flightSeqs]).toEqual(events.filter((e) => e.type === 'flight').map((e) => e.seq));
    expect((map.flightEnd ?? map.flightLengthIds)!.length).toBe(map.flightSeqs.length);
    for (const e of events) {
      const { start, end } = flightSpan(map, e.seq);
      if (e.type !== 'flight') expect([start, end]).toEqual([NaN, NaN]);
      else {
        expect(start).toBe(map.eventShow[e.seq]);
        expect(end).toBeGreaterThan(start);
      }
    }
  });

  it('plays a request of retries-flaky-pod, from its first hop to its last, in about a second at ×1', () => {
    const file = 'scenarios/retries-flaky-pod.yaml';
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'linkerd' });
    if (!run.ok) throw new Error(file);
    const map = new Player(run.trace).timeline.show;
    // A request once connections to every pod are open: a request's life alone, no handshake.
    const flights = run.trace.events.filter((e): e is FlightEvent => e.type === 'flight' && e.requestId === 'req-000020');
    expect(flights.some((f) => f.kind === 'tls' || f.kind === 'tcp')).toBe(false);
    const life = Math.max(...flights.map((f) => flightSpan(map, f.seq).end)) - Math.min(...flights.map((f) => flightSpan(map, f.seq).start));
    expect(life).toBeGreaterThan(700);
    expect(life).toBeLessThan(1400);
  });

  describe('when a conversation lags behind the clock', () => {
    // Before the clock held for lagging packets, certificate-rotation played a request of 1 h when
    // the clock read 44 h, and hello-mesh a handshake 995 ms late (into the idle wait after it).
    for (const name of ['certificate-rotation', 'hello-mesh', 'mtls-handshake', 'circuit-breaking-pool'])
      for (const mesh of ['istio', 'linkerd', 'ambient', 'consul', 'osm'])
        it(`${name} under ${mesh}: no step plays more than ${PACE.maxLagSimMs} ms of simulated time after the clock passed its time`, () => {
          const file = `scenarios/${name}.yaml`;
          const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
          if (!run.ok) throw new Error(run.problems.map((p) => p.text).join('\n'));
          const player = new Player(run.trace);
          const show = player.timeline.show;
          const late = player.steps.filter((st) => timeAtShow(show, st.showMs) - st.timeMs > PACE.maxLagSimMs + 1e-6).map((st) => `${st.timeMs} ${st.text}`);
          expect(late).toEqual([]);
        });
  });
});
