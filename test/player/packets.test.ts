/**
 * The packets in flight, as the player writes them into a frame reused from view to view: the
 * same packets, progress and lanes as working them out one object at a time (the reference
 * below, as the player did before), at every step and in between, and no new frame per view.
 */
import { describe, expect, it } from 'vitest';
import { Player, Timeline, type Cursor, type PacketView } from '../../src/player/index.ts';
import { flightProgress, flightSpan } from '../../src/player/pace.ts';
import { done } from '../../src/player/timeline.ts';
import type { Trace } from '../../src/sim/index.ts';
import { retriesTrace } from './fixtures.ts';

/** Each packet in flight at `cursor`, worked out with objects and Maps over every flight (not the player's buckets). */
function reference(tl: Timeline, cursor: Cursor): PacketView[] {
  const out: PacketView[] = [];
  const laneStart = new Map<number, number>();
  const laneCount = new Map<number, number>();
  for (let i = 0; i < tl.flightSeqs.length; i++) {
    const f = tl.flight(i);
    const start = flightSpan(tl.show, f.seq).start;
    if (!done(start, f.seq, cursor)) continue;
    const progress = flightProgress(tl.show, f, cursor.showMs);
    if (progress === null) continue;
    const pair = tl.flightPairs[i]!;
    const lane = laneStart.get(pair) === start ? laneCount.get(pair)! + 1 : 0;
    laneStart.set(pair, start);
    laneCount.set(pair, lane);
    const p: PacketView = { seq: f.seq, id: f.id, kind: f.kind, from: f.from, to: f.to, progress, lane, pair, label: f.label, mtls: f.mtls === true };
    if (f.status !== undefined) p.status = f.status;
    if (f.attempt !== undefined) p.attempt = f.attempt;
    if (f.requestId !== undefined) p.requestId = f.requestId;
    out.push(p);
  }
  return out;
}

/** 2,000 packets crossing at once, several leaving together on the same link (lanes). */
function crowded(base: Trace): Trace {
  const nodes = base.topology.nodes.filter((n) => n.kind !== 'control-plane').map((n) => n.id);
  const events = Array.from({ length: 2000 }, (_, i) => ({
    type: 'flight' as const,
    t: Math.floor(i / 4) * 0.5,
    seq: i,
    id: `f-${i}`,
    kind: 'http-request' as const,
    from: nodes[Math.floor(i / 4) % nodes.length]!,
    to: nodes[(Math.floor(i / 4) * 7 + 3) % nodes.length]!,
    departMs: Math.floor(i / 4) * 0.5,
    arriveMs: 1000 + Math.floor(i / 4) * 0.5,
    label: 'GET /',
    mtls: i % 2 === 0,
  })).filter((e) => e.from !== e.to);
  return { ...base, durationMs: 1002, events };
}

describe('packets in flight', () => {
  for (const [name, trace] of [
    ['retries-flaky-pod under Istio', retriesTrace('istio')],
    ['2,000 packets at once', crowded(retriesTrace('istio'))],
  ] as const)
    it(`are the reference's, at every step and between steps: ${name}`, () => {
      const player = new Player(trace);
      const tl = player.timeline;
      let lanes = 0;
      let compared = 0;
      const check = (): void => {
        const frame = player.view().packets;
        const expected = reference(tl, player.position);
        expect([...frame]).toEqual(expected);
        lanes += expected.filter((p) => p.lane > 0).length;
        compared += expected.length;
      };
      for (let i = 0; i < player.steps.length; i += Math.max(1, Math.floor(player.steps.length / 300))) {
        player.seekStep(i);
        check();
        player.seekShow(player.position.showMs + 7.3);
        check();
      }
      expect(compared).toBeGreaterThan(500);
      expect(lanes).toBeGreaterThan(0);
    });

  it("are the reference's when a bucket's flights lie more than 16 bits apart (a packet on the wire the whole run, 66,000 after it)", () => {
    const base = retriesTrace('istio');
    const nodes = base.topology.nodes.filter((n) => n.kind !== 'control-plane').map((n) => n.id);
    const flight = (i: number, t: number, arriveMs: number, from: string, to: string) => ({
      type: 'flight' as const,
      t,
      seq: i,
      id: `f-${i}`,
      kind: 'http-request' as const,
      from,
      to,
      departMs: t,
      arriveMs,
      label: 'GET /',
      mtls: true,
    });
    const events = [flight(0, 0, 10_000, nodes[0]!, nodes[1]!)];
    for (let i = 1; i <= 66_000; i++) events.push(flight(i, i * 0.15, i * 0.15 + 1, nodes[1 + (i % 3)]!, nodes[4 + (i % 3)]!));
    const player = new Player({ ...base, durationMs: 10_002, events });
    const tl = player.timeline;
    // The buckets keep flight numbers: the first flight is in every bucket, 66,000 after it.
    expect((tl as unknown as { bucketFlights: unknown }).bucketFlights).toBeInstanceOf(Int32Array);
    let compared = 0;
    for (let k = 1; k <= 12; k++) {
      player.seekShow((tl.endShowMs * k) / 13);
      const expected = reference(tl, player.position);
      expect([...player.view().packets]).toEqual(expected);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(12);
  });

  it('are written into one frame per timeline, not a new one per view', () => {
    const player = new Player(crowded(retriesTrace('istio')));
    // The busiest moment (packets of one pair of nodes queue behind each other, up to the lag cap).
    let busiest = 0;
    let most = 0;
    for (let s = 0; s < player.timeline.endShowMs; s += 50) {
      player.seekShow(s);
      if (player.view().packets.length > most) [busiest, most] = [s, player.view().packets.length];
    }
    player.seekShow(busiest);
    const first = player.view().packets;
    expect(first.length).toBeGreaterThan(100);
    player.seekShow(busiest + 100);
    const second = player.view().packets;
    expect(second).toBe(first);
    // A packet taken out of the frame is the learner's to keep: the next view does not change it.
    const kept = second.packet(0);
    const copy = { ...kept };
    player.seekShow(busiest + 500);
    player.view();
    expect(kept).toEqual(copy);
  });
});
