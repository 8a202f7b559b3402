import { describe, expect, it } from 'vitest';
import { Player, SPEEDS, STEP_DWELL_MS, formatClock, type PacketView, type View } from '../../src/player/index.ts';
import { retriesTrace } from './fixtures.ts';
import { flightSpan } from '../../src/player/pace.ts';

const istio = retriesTrace('istio');
const linkerd = retriesTrace('linkerd');
/** A view as plain data: its packets copied out of the frame the timeline rewrites for each view. */
const plain = (v: View): Omit<View, 'packets'> & { packets: PacketView[] } => ({ ...v, packets: [...v.packets] });

describe('Player', () => {
  describe('steps', () => {
    const player = new Player(istio);

    it('counts flights, decisions, state changes, finished requests and narration, not machine starts or request starts', () => {
      const kinds = new Set(player.steps.map((s) => s.kind));
      expect(kinds).toEqual(new Set(['flight', 'decision', 'transition', 'request', 'narration']));
      const seqs = new Set(player.steps.map((s) => s.seq));
      for (const e of istio.events) {
        if (e.type === 'transition' && e.from === null) expect(seqs.has(e.seq)).toBe(false);
        if (e.type === 'request' && e.phase === 'start') expect(seqs.has(e.seq)).toBe(false);
        if (e.type === 'flight' || e.type === 'decision') expect(seqs.has(e.seq)).toBe(true);
      }
    });

    it('orders steps by show time and reads each as a sentence', () => {
      for (let i = 1; i < player.steps.length; i++) expect(player.steps[i]!.showMs).toBeGreaterThanOrEqual(player.steps[i - 1]!.showMs);
      const retry = player.steps.find((s) => s.kind === 'decision' && s.text.includes('retry 1 of 2'));
      expect(retry?.text).toMatch(/^productpage-0 proxy, retry: attempt 1 failed \(503\)/);
    });
  });

  describe('when stepping forward five times and back five times', () => {
    it('shows the identical view', () => {
      const player = new Player(istio);
      player.seekTime(1281.5);
      const before = plain(player.view());
      for (let i = 0; i < 5; i++) player.stepForward();
      expect(plain(player.view())).not.toEqual(before);
      for (let i = 0; i < 5; i++) player.stepBack();
      expect(plain(player.view())).toEqual(before);
    });

    it('moves exactly one step each time, even when steps share a moment', () => {
      const player = new Player(istio);
      player.restart();
      expect(player.stepIndex).toBe(-1);
      player.stepForward();
      player.stepForward();
      expect(player.stepIndex).toBe(1);
      // Steps are made when read (steps.ts): the same step is the same index and event.
      expect(player.view().step?.index).toBe(1);
      expect(player.view().step?.seq).toBe(player.steps[1]!.seq);
    });
  });

  describe('the view', () => {
    it('places a packet in flight between its source and its target', () => {
      const player = new Player(istio);
      // The 503 reviews-1's sidecar sends back at 1.281 s, half way along its link.
      const f = istio.events.find((e) => e.type === 'flight' && e.t === 1281 && e.label === '503' && e.to === 'productpage-0/proxy')!;
      const show = player.timeline.show;
      const { start, end } = flightSpan(show, f.seq);
      player.seekShow((start + end) / 2);
      const packet = [...player.view().packets].find((p) => p.seq === f.seq);
      expect(packet).toMatchObject({ label: '503', from: 'reviews-1/proxy', to: 'productpage-0/proxy', mtls: true });
      expect(packet!.progress).toBeCloseTo(0.5);
      // The clock reads the warp: at or a little after the packet's simulated moment, never before.
      expect(player.view().timeMs).toBeGreaterThanOrEqual(1281);
      expect(formatClock(player.view().timeMs)).toMatch(/^1\.\d{3} s$/);
    });

    it('knows every component state from transition events', () => {
      const player = new Player(istio);
      player.seekTime(100);
      const states = Object.fromEntries(player.view().components.map((c) => [c.entity, c.state]));
      expect(states).toMatchObject({ 'reviews-1': 'ready', 'cert:reviews-1': 'issued.valid', 'config:reviews-1': 'synced' });
      player.restart();
      expect(player.view().components).toEqual([]);
    });

    it('raises a retry badge and counts no failures under Istio, failures under Linkerd', () => {
      const player = new Player(istio);
      const retry = istio.events.find((e) => e.type === 'decision' && e.kind === 'retry')!;
      player.seekEvent(0, retry.seq);
      player.seekShow(player.position.showMs + 10);
      expect(player.view().badges.map((b) => b.kind)).toContain('retry');
      player.seekShow(Infinity);
      expect(player.view().counters.find((c) => c.service === 'reviews')).toMatchObject({ failed: 0 });
      const other = new Player(linkerd);
      other.seekShow(Infinity);
      expect(other.view().counters.find((c) => c.service === 'reviews')!.failed).toBeGreaterThan(0);
    });

    it('is the same for the same cursor, whatever the path there', () => {
      // A moment of the show (between steps): seeking there, or playing there in uneven frames, looking at each.
      const seeked = new Player(istio);
      seeked.seekShow(seeked.showAt(5000.5));
      const target = seeked.position.showMs;
      const played = new Player(istio);
      played.play();
      for (let i = 0; played.position.showMs + 997 < target; i++) {
        played.advance(i % 2 ? 997 : 13);
        played.view();
      }
      played.advance(target - played.position.showMs);
      expect(played.position).toEqual(seeked.position);
      expect(played.view().packets.length).toBeGreaterThan(0);
      expect(plain(played.view())).toEqual(plain(seeked.view()));

      // A step: jumped to, stepped to from the start, or stepped back to from further on.
      const jumped = new Player(istio);
      jumped.seekStep(40);
      const stepped = new Player(istio);
      for (let i = 0; i <= 40; i++) {
        stepped.stepForward();
        stepped.view();
      }
      const back = new Player(istio);
      back.seekTime(5000);
      back.view();
      while (back.stepIndex > 40) {
        back.stepBack();
        back.view();
      }
      for (const p of [stepped, back]) {
        expect(p.position).toEqual(jumped.position);
        expect(plain(p.view())).toEqual(plain(jumped.view()));
      }
      expect(plain(jumped.view())).not.toEqual(plain(seeked.view()));
    });
  });

  describe('when the mesh switches', () => {
    it('keeps the simulated time and shows the other outcome', () => {
      const player = new Player(istio);
      player.seekTime(6000);
      player.replaceTrace(linkerd);
      expect(player.timeMs).toBe(6000);
      expect(player.trace.mesh).toBe('linkerd');
      expect(player.view().counters.find((c) => c.service === 'reviews')!.failed).toBeGreaterThan(0);
    });
  });

  describe('playing', () => {
    it('advances show time by real time × speed and stops at the end', () => {
      const player = new Player(istio);
      player.setSpeed(2);
      player.play();
      player.advance(1000);
      expect(player.position.showMs).toBe(2000);
      player.advance(1e9);
      expect(player.playing).toBe(false);
      expect(player.timeMs).toBe(istio.durationMs);
      player.play();
      expect(player.stepIndex).toBe(-1);
    });

    it('moves nowhere while paused', () => {
      const player = new Player(istio);
      expect(player.advance(1000)).toBe(false);
      expect(player.position.showMs).toBe(0);
    });

    it('keeps the speed between ×0.1 and ×10 and nudges along the offered speeds', () => {
      const player = new Player(istio);
      player.setSpeed(50);
      expect(player.speed).toBe(10);
      player.nudgeSpeed(-1);
      expect(player.speed).toBe(SPEEDS[SPEEDS.length - 2]);
      player.setSpeed(0);
      expect(player.speed).toBe(0.1);
      player.nudgeSpeed(-1);
      expect(player.speed).toBe(0.1);
    });

    it('with reduced motion, jumps from step to step without showing motion between them', () => {
      const player = new Player(istio);
      player.reducedMotion = true;
      player.play();
      player.advance(STEP_DWELL_MS * 3);
      expect(player.stepIndex).toBe(2);
      expect(player.position.showMs).toBe(player.steps[2]!.showMs);
      player.advance(STEP_DWELL_MS / 2);
      expect(player.stepIndex).toBe(2);
    });
  });
});

describe('Player stepping from a paused moment between steps', () => {
  it('steps back to the step just passed, then to the one before', () => {
    const player = new Player(istio);
    // Between two steps (a seek to a time may land on a step: seekTime.test.ts).
    player.seekShow(player.showAt(1281.5));
    const k = player.stepIndex;
    player.stepBack();
    expect(player.stepIndex).toBe(k);
    expect(player.position.showMs).toBe(player.steps[k]!.showMs);
    player.stepBack();
    expect(player.stepIndex).toBe(k - 1);
  });
});
