/**
 * The frame loop's clock (render/frameClock.ts) fed made-up frame times, no real clock: under
 * slow frames (software WebGL, 2–4 frames a second) ×10 must still play ten times as far as ×1
 * over the same frames; only a stall far past the frames around it is cut.
 */
import { describe, expect, it } from 'vitest';
import { FrameClock, MAX_FRAME_MS, MIN_CAP_MS } from '../../src/render/frameClock.ts';
import { Player } from '../../src/player/index.ts';
import { retriesTrace } from '../player/fixtures.ts';

/** Frame times (ms, as requestAnimationFrame gives them) from a first frame at 1000 and the gaps between frames. */
function framesOf(gaps: readonly number[]): number[] {
  const at = [1000];
  for (const g of gaps) at.push(at.at(-1)! + g);
  return at;
}

/** What each frame plays, fed to a new clock. */
function played(frames: readonly number[]): number[] {
  const clock = new FrameClock();
  return frames.map((now) => clock.tick(now));
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Slow frames: 2 to 4 a second, uneven. */
const SLOW = [250, 333, 500, 400, 300, 450, 333, 280, 500, 360, 420, 310];

describe('the frame clock', () => {
  it('plays every slow frame whole, so ×10 goes ten times as far as ×1 over the same frames', () => {
    const frames = framesOf(SLOW);
    const real = played(frames);
    expect(real[0]).toBe(0);
    expect(real.slice(1)).toEqual(SLOW);
    const at = (speed: number): number => {
      const player = new Player(retriesTrace('istio'));
      player.setSpeed(speed);
      player.play();
      for (const ms of real) player.advance(ms);
      expect(player.playing).toBe(true);
      return player.position.showMs;
    };
    const once = at(1);
    expect(once).toBe(sum(SLOW));
    expect(at(10)).toBeCloseTo(10 * once, 6);
  });

  it('plays every frame whole at 60 frames a second', () => {
    const gaps = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 17 : 16.5));
    expect(played(framesOf(gaps)).slice(1)).toEqual(gaps);
  });

  it('cuts a stall (a hidden tab) to a few typical frames, at least 250 ms and at most 1 s', () => {
    const stall = 30_000;
    const fast = played(framesOf([...Array<number>(10).fill(16), stall, 16]));
    expect(fast.at(-2)).toBe(MIN_CAP_MS);
    expect(fast.at(-1)).toBe(16);
    const slow = played(framesOf([...SLOW, stall, 400]));
    expect(slow.at(-2)).toBe(MAX_FRAME_MS);
    expect(slow.at(-1)).toBe(400);
  });
});
