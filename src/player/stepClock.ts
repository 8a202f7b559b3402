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

interface Clock {
  readonly times: Float64Array;
  /** How many leading entries of `times` are filled (filled on demand: a long run's first frame reads few). */
  filled: number;
}

const clocks = new WeakMap<readonly Step[], Clock>();

/** The clock on step `index` of `steps` (the largest own time of steps 0…index). */
export function stepClockMs(steps: readonly Step[], index: number): number {
  let clock = clocks.get(steps);
  if (!clock || clock.times.length !== steps.length) {
    clock = { times: new Float64Array(steps.length), filled: 0 };
    clocks.set(steps, clock);
  }
  const { times } = clock;
  let i = clock.filled;
  let latest = i > 0 ? times[i - 1]! : -Infinity;
  // A step list buildSteps made reads its columns (its elements are made on read).
  const columns = stepColumns(steps);
  if (columns)
    for (; i <= index; i++) {
      latest = Math.max(latest, columns.timeAt(i));
      times[i] = latest;
    }
  else
    for (; i <= index; i++) {
      latest = Math.max(latest, steps[i]!.timeMs);
      times[i] = latest;
    }
  clock.filled = Math.max(clock.filled, i);
  return times[index]!;
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
