/**
 * Breakpoints and checkpoints as places where playing stops by itself. A breakpoint watches for
 * decisions of some kinds (a breaker opening, retries running out, a handshake failing, a deny);
 * a checkpoint stops at its time, before anything at that time happens, to ask its question.
 */
import { DECISION_KIND_LIST, DECISION_KINDS, type BreakpointId, type DecisionKind } from '../sim/index.ts';
import type { Step } from './steps.ts';
import type { Cursor } from './timeline.ts';

/** Orders two cursors: negative when `a` comes first. */
export function compareCursors(a: Cursor, b: Cursor): number {
  return a.showMs - b.showMs || a.seq - b.seq;
}

/** The first of `stops` (in order) after `from` and no later than `to`, of `kinds`. */
export function stopBetween(stops: readonly Stop[], from: Cursor, to: Cursor, kinds: readonly Stop['kind'][]): Stop | null {
  for (const s of stops) {
    if (compareCursors(s, to) > 0) return null;
    if (compareCursors(from, s) < 0 && kinds.includes(s.kind)) return s;
  }
  return null;
}

/** A place where playing stops by itself: a breakpoint's decision, or a checkpoint's time. */
export interface Stop {
  /** Show time and rank of the stop (a breakpoint's step; a checkpoint's time, before anything at it). */
  showMs: number;
  seq: number;
  kind: 'breakpoint' | 'checkpoint';
  /** The breakpoint's id, or the checkpoint's index as text. */
  id: string;
}

/** A kind of moment a learner can ask playback to stop at. */
export interface Breakpoint {
  id: BreakpointId;
  label: string;
  /** The decision kinds it stops at: those the decision table assigns to it. */
  kinds: readonly DecisionKind[];
}

const LABELS: Record<BreakpointId, string> = {
  breaker: 'a breaker opens or an endpoint is ejected',
  retries: 'retries run out (limit, budget or overflow)',
  handshake: 'a TLS handshake fails',
  deny: 'a request is denied',
};

const kindsOf = (id: BreakpointId): DecisionKind[] =>
  DECISION_KIND_LIST.filter((k) => {
    const info = DECISION_KINDS[k];
    return 'breakpoint' in info && info.breakpoint === id;
  });

export const BREAKPOINTS: readonly Breakpoint[] = (Object.keys(LABELS) as BreakpointId[]).map((id) => ({ id, label: LABELS[id], kinds: kindsOf(id) }));

/** The breakpoint watching decisions of `kind`, if one does. */
export function breakpointOf(kind: DecisionKind): Breakpoint | undefined {
  return BREAKPOINTS.find((b) => b.kinds.includes(kind));
}

/** A stop at every decision step that one of the `enabled` breakpoints watches for. */
export function breakpointStops(steps: readonly Step[], enabled: ReadonlySet<string>): Stop[] {
  if (enabled.size === 0) return [];
  const out: Stop[] = [];
  for (const s of steps) {
    if (!s.decision) continue;
    const b = breakpointOf(s.decision);
    if (b && enabled.has(b.id)) out.push({ showMs: s.showMs, seq: s.seq, kind: 'breakpoint', id: b.id });
  }
  return out;
}

/**
 * A stop at each checkpoint's time (`showAt` maps simulated to show time), before anything at it.
 * A checkpoint at 0 s gets none: playing or stepping from the start must not halt at once (the
 * page offers that question before the start instead).
 */
export function checkpointStops(times: readonly number[], showAt: (t: number) => number, skip: ReadonlySet<number> = new Set()): Stop[] {
  return times.flatMap((t, i) => (skip.has(i) || t <= 0 ? [] : [{ showMs: showAt(t), seq: -1, kind: 'checkpoint' as const, id: String(i) }]));
}
