/**
 * Folds: runs of the same few events repeated many times — a sidecar retrying its CSR every
 * minute for thirteen hours while the CA is down — shown as one step ("CSR (agent → istiod)
 * ×1560") that plays in a few seconds and can be opened in the event list. A run folds only when
 * nothing in it is a request or a decision a breakpoint, compare mode or narration cares about:
 * traffic a learner watches is never folded away.
 */
import { DECISION_KINDS, decisionInfo, type TraceEvent } from '../sim/index.ts';

/** A run of repeated events. */
export interface Fold {
  /** `seq` of the run's first and last events. */
  fromSeq: number;
  toSeq: number;
  /** Simulated time of the run's first and last events. */
  fromMs: number;
  toMs: number;
  /** How many times the pattern repeats. */
  repeats: number;
  /** What repeats, as a learner reads it: `CSR (agent → istiod) ×1560`. */
  text: string;
}

/** A pattern repeated fewer times than this is shown event by event. */
export const FOLD_MIN_REPEATS = 6;
/** The longest pattern looked for, in events. */
const MAX_PERIOD = 16;

/** What an event looks like, leaving out the numbers that change from one repeat to the next (times, counts). `strip` does that to a text. */
function shapeOf(e: TraceEvent, strip: (s: string) => string): string | null {
  switch (e.type) {
    case 'flight':
      return `f|${e.kind}|${e.from}|${e.to}|${strip(e.label)}`;
    case 'transition':
      return `t|${e.entity}|${e.from}|${e.to}`;
    case 'decision': {
      const info = decisionInfo(e.kind);
      if (info.notable || info.breakpoint || info.narration) return null;
      return `d|${e.node}|${e.kind}|${strip(e.summary)}`;
    }
    case 'request':
    case 'narration':
      return null;
  }
}

/** The folds of a trace's events (in `seq` order), left to right, never overlapping. */
export function foldsOf(events: readonly TraceEvent[]): Fold[] {
  const ids = new Map<string, number>();
  // Labels and summaries repeat (a trace's strings are interned): each is stripped once.
  const stripped = new Map<string, string>();
  const strip = (s: string): string => {
    let out = stripped.get(s);
    if (out === undefined) stripped.set(s, (out = s.replace(/\d+/g, '#')));
    return out;
  };
  const shapes = events.map((e) => {
    const s = shapeOf(e, strip);
    if (s === null) return -1;
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = ids.size));
    return id;
  });
  const n = shapes.length;
  const same = (a: number, b: number, p: number): boolean => {
    for (let k = 0; k < p; k++) if (shapes[a + k] !== shapes[b + k]) return false;
    return true;
  };
  const folds: Fold[] = [];
  let i = 0;
  while (i < n) {
    let best: { p: number; r: number } | null = null;
    for (let p = 1; p <= MAX_PERIOD && i + p * FOLD_MIN_REPEATS <= n; p++) {
      if (shapes[i + p - 1] === -1) break;
      let r = 1;
      while (i + (r + 1) * p <= n && same(i, i + r * p, p)) r++;
      if (r >= FOLD_MIN_REPEATS && (!best || r * p > best.r * best.p)) best = { p, r };
    }
    if (shapes[i] === -1 || !best) {
      i++;
      continue;
    }
    const last = i + best.r * best.p - 1;
    folds.push({
      fromSeq: events[i]!.seq,
      toSeq: events[last]!.seq,
      fromMs: events[i]!.t,
      toMs: events[last]!.t,
      repeats: best.r,
      text: textOf(events, i, last, best.p),
    });
    i = last + 1;
  }
  return folds;
}

/** Names a run by its first packet (or its first event), counted over the whole run. */
function textOf(events: readonly TraceEvent[], from: number, to: number, period: number): string {
  const block = events.slice(from, from + period);
  const f = block.find((e) => e.type === 'flight');
  if (f?.type === 'flight') {
    let count = 0;
    for (let k = from; k <= to; k++) {
      const e = events[k]!;
      if (e.type === 'flight' && e.label === f.label && e.kind === f.kind) count++;
    }
    return `${f.label} ×${count}`;
  }
  const d = block.find((e) => e.type === 'decision');
  if (d?.type === 'decision')
    return `${DECISION_KINDS[d.kind].meaning} ×${Math.round(((to - from + 1) / period) * block.filter((e) => e.type === 'decision' && e.kind === d.kind).length)}`;
  const t = block[0]!;
  return `${t.type === 'transition' ? `${t.entity} ${t.from ?? 'start'} → ${t.to}` : t.type} ×${(to - from + 1) / period}`;
}
