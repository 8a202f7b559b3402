/**
 * Folds: runs of the same few events repeated many times — a sidecar retrying its CSR every
 * minute for thirteen hours while the CA is down — shown as one step ("CSR (agent → istiod)
 * ×1560") that plays in a few seconds and can be opened in the event list. A run folds only when
 * nothing in it is a request or a decision a breakpoint, compare mode or narration cares about:
 * traffic a learner watches is never folded away.
 */
import { DECISION_KINDS, decisionInfo, type DecisionKind, type TraceEvent } from '../sim/index.ts';
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
 * What each event looks like, leaving out the numbers that change from one repeat to the next
 * (times, counts): a packet's kind, ends and label with its digits stripped; a state change's
 * entity and states; a decision's node, kind and summary stripped — unless it is one a
 * breakpoint, compare mode or narration cares about. Read from the trace's columns (string ids),
 * not built as strings per event. `hashes[i]` is a hash of event i's shape (-1 for events that
 * never fold: requests, narration, kept decisions); two events look alike when {@link Shapes.alike}
 * says so — equal hashes, then equal fields (a hash per event costs a few multiplications, where
 * numbering each shape densely cost a table lookup per field: ~20% of indexing a long run).
 */
interface Shapes {
  hashes: Int32Array;
  alike(i: number, j: number): boolean;
}

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

function shapesOf(events: readonly TraceEvent[]): Shapes {
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
  // Decisions that never fold, by the kind's string id (0: not looked up yet, 1: folds, 2: kept).
  const kept = new Uint8Array(strings.length);
  const keptKind = (sid: number): boolean => {
    if (kept[sid] === 0) {
      const info = decisionInfo(strings[sid] as DecisionKind);
      kept[sid] = info.notable || info.breakpoint || info.narration ? 2 : 1;
    }
    return kept[sid] === 2;
  };
  const NULL_STATE = strings.length;
  const hashes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let h: number;
    switch (s.type[i]) {
      case COL_FLIGHT:
        h = mix(mix(mix(mix(COL_FLIGHT + 1, s.c[i]!), s.node[i]!), s.a[i]!), strip(s.d[i]!));
        break;
      case COL_TRANSITION:
        h = mix(mix(mix(COL_TRANSITION + 1, s.a[i]!), s.d[i] === COL_NONE ? NULL_STATE : s.d[i]!), s.e[i]!);
        break;
      case COL_DECISION:
        if (keptKind(s.c[i]!)) {
          hashes[i] = -1;
          continue;
        }
        h = mix(mix(mix(COL_DECISION + 1, s.node[i]!), s.c[i]!), strip(s.d[i]!));
        break;
      default:
        hashes[i] = -1;
        continue;
    }
    hashes[i] = h & 0x7fffffff;
  }
  const alike = (i: number, j: number): boolean => {
    if (hashes[i] !== hashes[j] || hashes[i] === -1) return false;
    const type = s.type[i];
    if (type !== s.type[j]) return false;
    switch (type) {
      case COL_FLIGHT:
        return s.c[i] === s.c[j] && s.node[i] === s.node[j] && s.a[i] === s.a[j] && strip(s.d[i]!) === strip(s.d[j]!);
      case COL_TRANSITION:
        return s.a[i] === s.a[j] && s.d[i] === s.d[j] && s.e[i] === s.e[j];
      default:
        return s.node[i] === s.node[j] && s.c[i] === s.c[j] && strip(s.d[i]!) === strip(s.d[j]!);
    }
  };
  return { hashes, alike };
}

/** The folds of a trace's events (in `seq` order), left to right, never overlapping. */
export function foldsOf(events: readonly TraceEvent[]): Fold[] {
  const { hashes: shapes, alike } = shapesOf(events);
  const n = shapes.length;
  const same = (a: number, b: number, p: number): boolean => {
    for (let k = 0; k < p; k++) if (!alike(a + k, b + k)) return false;
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
    // Counted on the columns: a view per event of the run (thousands: certificate-rotation's CSR
    // retries) was half of that scenario's indexing.
    const s = storeOf(events);
    const strings = s.strings;
    let count = 0;
    for (let k = from; k <= to; k++) if (s.type[k] === COL_FLIGHT && strings[s.d[k]!] === f.label && strings[s.c[k]!] === f.kind) count++;
    return `${f.label} ×${count}`;
  }
  const d = block.find((e) => e.type === 'decision');
  if (d?.type === 'decision')
    return `${DECISION_KINDS[d.kind].meaning} ×${Math.round(((to - from + 1) / period) * block.filter((e) => e.type === 'decision' && e.kind === d.kind).length)}`;
  const t = block[0]!;
  return `${t.type === 'transition' ? `${t.entity} ${t.from ?? 'start'} → ${t.to}` : t.type} ×${(to - from + 1) / period}`;
}
