/**
 * Folds: runs of the same few events repeated many times — a sidecar retrying its CSR every
 * minute for thirteen hours while the CA is down — shown as one step ("CSR (agent → istiod)
 * ×1560") that plays in a few seconds and can be opened in the event list. A run folds only when
 * nothing in it is a request or a decision a breakpoint, compare mode or narration cares about:
 * traffic a learner watches is never folded away.
 */
import { DECISION_KINDS, decisionInfo, type DecisionKind, type TraceEvent } from '../sim/index.ts';
import { PairTable } from './pairTable.ts';
import { COL_DECISION, COL_FLIGHT, COL_NONE, COL_TRANSITION, storeOf } from './columns.ts';

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

/**
 * What each event looks like, as a number, leaving out the numbers that change from one repeat to
 * the next (times, counts): a packet's kind, ends and label with its digits stripped; a state
 * change's entity and states; a decision's node, kind and summary stripped — unless it is one a
 * breakpoint, compare mode or narration cares about. -1 for events that never fold (requests,
 * narration). Read from the trace's columns (string ids), not built as strings per event.
 */
function shapesOf(events: readonly TraceEvent[]): Int32Array {
  const s = storeOf(events);
  const n = s.length;
  const strings = s.strings;
  // Strings repeat (they are interned): each is stripped once, and equal stripped texts share an id.
  const strippedIds = new Map<string, number>();
  const strippedOf = new Int32Array(strings.length).fill(-1);
  const strip = (sid: number): number => {
    let id = strippedOf[sid]!;
    if (id === -1) {
      const text = strings[sid]!.replace(/\d+/g, '#');
      id = strippedIds.get(text) ?? strippedIds.size;
      strippedIds.set(text, id);
      strippedOf[sid] = id;
    }
    return id;
  };
  // Decisions that never fold, by the kind's string id.
  const kept = new Map<number, boolean>();
  const keptKind = (sid: number): boolean => {
    let k = kept.get(sid);
    if (k === undefined) {
      const info = decisionInfo(strings[sid] as DecisionKind);
      kept.set(sid, (k = Boolean(info.notable || info.breakpoint || info.narration)));
    }
    return k;
  };
  // A shape is a tuple of small numbers, interned pairwise: (x, y) → id, then (id, z) → id…
  const pairs = new PairTable(n);
  const join = (x: number, y: number): number => pairs.slot(x, y);
  // The shape ids handed out, dense from 0 in order of first appearance: by pair id, id + 1 (0: none yet).
  let dense = new Int32Array(1024);
  let shapeCount = 0;
  const shapes = new Int32Array(n);
  const NULL_STATE = strings.length;
  for (let i = 0; i < n; i++) {
    let key: number;
    switch (s.type[i]) {
      case COL_FLIGHT:
        key = join(join(join(join(0, s.c[i]!), s.node[i]!), s.a[i]!), strip(s.d[i]!));
        break;
      case COL_TRANSITION:
        key = join(join(join(1, s.a[i]!), s.d[i] === COL_NONE ? NULL_STATE : s.d[i]!), s.e[i]!);
        break;
      case COL_DECISION:
        if (keptKind(s.c[i]!)) {
          shapes[i] = -1;
          continue;
        }
        key = join(join(join(2, s.node[i]!), s.c[i]!), strip(s.d[i]!));
        break;
      default:
        shapes[i] = -1;
        continue;
    }
    if (key >= dense.length) {
      const wider = new Int32Array(Math.max(key + 1, dense.length * 2));
      wider.set(dense);
      dense = wider;
    }
    if (dense[key] === 0) dense[key] = ++shapeCount;
    shapes[i] = dense[key]! - 1;
  }
  return shapes;
}

/** The folds of a trace's events (in `seq` order), left to right, never overlapping. */
export function foldsOf(events: readonly TraceEvent[]): Fold[] {
  const shapes = shapesOf(events);
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
