/**
 * What the clock reads on a step: the latest simulated time the steps up to it have reached.
 *
 * Steps go in show order, and a step whose conversation plays behind the others (pace.ts: a
 * packet waits for the one before it in its request, by at most `PACE.maxLagSimMs`) has an own
 * time earlier than steps shown before it. Read as its own time, the clock and the event list
 * went back and forth (retry-storm under Istio at 2 s: 2.000, 1.923, 2.000, 1.930); read as the
 * latest time reached, they only go forward, and a step shown on time reads its own time.
 */
import { stepColumns, type Step } from './steps.ts';

/**
 * Steps per block of the clock's index: the clock is kept at each block's last step only (a long
 * run's 4.8 million steps took 38.5 MB as one time per step; per block they take 0.6 MB), and a
 * step's clock is its block's start plus at most this many own times read.
 */
const BLOCK = 64;

interface Clock {
  /** Entry b: the clock on the last step of block b (the largest own time of steps 0…(b + 1) × BLOCK − 1). */
  readonly ends: Float64Array;
  /** How many leading blocks' ends are filled (filled on demand: a long run's first frame reads few). */
  filled: number;
  readonly length: number;
}

const clocks = new WeakMap<readonly Step[], Clock>();

/** The clock on step `index` of `steps` (the largest own time of steps 0…index). */
export function stepClockMs(steps: readonly Step[], index: number): number {
  let clock = clocks.get(steps);
  if (!clock || clock.length !== steps.length) {
    clock = { ends: new Float64Array(Math.ceil(steps.length / BLOCK)), filled: 0, length: steps.length };
    clocks.set(steps, clock);
  }
  // A step list buildSteps made reads its columns (its elements are made on read).
  const columns = stepColumns(steps);
  const ownMs = columns ? columns.timeAt : (i: number): number => steps[i]!.timeMs;
  /** The clock on step `to`, from the clock `latest` before step `from`. */
  const reach = (latest: number, from: number, to: number): number => {
    for (let i = from; i <= to; i++) latest = Math.max(latest, ownMs(i));
    return latest;
  };
  const block = Math.floor(index / BLOCK);
  const { ends } = clock;
  for (let b = clock.filled; b < block; b++) ends[b] = reach(b > 0 ? ends[b - 1]! : -Infinity, b * BLOCK, b * BLOCK + BLOCK - 1);
  clock.filled = Math.max(clock.filled, block);
  return reach(block > 0 ? ends[block - 1]! : -Infinity, block * BLOCK, index);
}

/** Whether step `index` is shown after the clock passed its own time (it played behind its conversation). */
export function isLateStep(steps: readonly Step[], index: number): boolean {
  return stepClockMs(steps, index) > steps[index]!.timeMs;
}

/** The last step whose clock (it never goes back) has not passed `t`; -1 when none. */
export function lastStepBy(steps: readonly Step[], t: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stepClockMs(steps, mid) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
