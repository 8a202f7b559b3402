/**
 * A trace indexed for replay: show time, steps, flights by show-time bucket, each component's
 * transitions, the decisions that become badges, and the finished requests per service. Built
 * once per run; every query after that is a binary search or a bucket scan.
 */
import { type FlightEvent, type NodeId, type Trace, type TransitionEvent, type NarrationEvent } from '../sim/index.ts';
import { COL_DECISION, COL_NARRATION, COL_TRANSITION, storeOf, stringId } from './columns.ts';
import { showMapOf, type ShowMap } from './builtShow.ts';
import { buildSteps, isStep, StepWriter, TraceStep, type Step } from './steps.ts';
import type { Fold } from './folds.ts';
import { badgesOf, type BadgeEvent } from './badgeIndex.ts';
import { FinishedRequests, type FinishedRequest } from './finishedRequests.ts';
import { EdgeIndexes } from './edges.ts';
import { countDoneOf, type Cursor } from './cursor.ts';
import { narrationSpans, type NarrationSpan } from './narrationSpans.ts';
import { PairTable } from './pairTable.ts';
import type { StepSeqs } from './stepSeqs.ts';
import { flightEndAt } from './showTime.ts';

/** A component (pod workload, certificate, connection, proxy config) and its machine's history. */
export interface ComponentHistory {
  entity: string;
  machine: string;
  node: NodeId;
  /** The other end, for a component between two nodes (an endpoint's health: the endpoint). */
  peer?: NodeId;
  /** Each transition's `seq`, in trace order: numbers, not views (certificate-rotation's certificates change state 3,214 times). */
  seqs: Int32Array;
  /** Show time of each transition. */
  shows: Float64Array;
}

export type { BadgeEvent, FinishedRequest };
export { countDone, countDoneOf, done, type Cursor } from './cursor.ts';
export { finishedBefore } from './finishedRequests.ts';

const BUCKET_SHOW_MS = 500;
const NO_INTS = new Int32Array(0);

/** `Float64Array.from(list, f)` without the iterator protocol: these lists run to thousands on every re-simulation. */
export function floats<T>(list: readonly T[], f: (item: T) => number): Float64Array {
  const out = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = f(list[i]!);
  return out;
}

/**
 * `pairOf(seq)` for each of `seqs`, in 16 bits while every value fits (pair numbers count up from 0
 * in order of first appearance), else in 32: the array is widened, once, at the first that does not.
 */
export function pairsOf(seqs: Int32Array, pairOf: (seq: number) => number): Int16Array | Int32Array {
  let out: Int16Array | Int32Array = new Int16Array(seqs.length);
  for (let i = 0; i < seqs.length; i++) {
    const pair = pairOf(seqs[i]!);
    if (pair > 0x7fff && out instanceof Int16Array) out = Int32Array.from(out);
    out[i] = pair;
  }
  return out;
}

/** Flights that may be in flight at a show time ({@link Timeline.flightCandidates}): flight `base + list[k]` for k in [from, to). */
export interface FlightCandidates {
  base: number;
  list: Uint16Array | Int32Array;
  from: number;
  to: number;
}

/** A trace, indexed for the player. */
export class Timeline {
  readonly show: ShowMap;
  readonly writer: StepWriter;
  readonly steps: Step[];
  /**
   * Each flight's `seq`, in trace order (read the event with {@link flight}): numbers, not the
   * events' views — a 60 s load has 300,000 flights. The show map's: flight i arrives at `show.flightEnd[i]`.
   */
  readonly flightSeqs: Int32Array;
  /** For each flight, a number naming its (from, to) pair: 16 bits while there are fewer pairs than that (a long run's 3.6 million flights). */
  readonly flightPairs: Int16Array | Int32Array;
  readonly components: ComponentHistory[] = [];
  /** Every transition of every component, in (show, seq) order: counting them tells when states changed. */
  readonly transitionShows: Float64Array;
  readonly transitionSeqs: Int32Array;
  /** The badges, in (show, seq) order (badgeIndex.ts). */
  readonly badges: BadgeEvent[];
  /** The config version a proxy holds after each proxyConfig transition, by the transition's seq. */
  readonly configVersions = new Map<number, number>();
  /** The control plane stopping (`down`) and coming back, in (show, seq) order. */
  readonly controlPlaneSwitches: { seq: number; down: boolean; t: number }[] = [];
  readonly controlPlaneShows: Float64Array;
  readonly narration: NarrationEvent[] = [];
  /** The finished requests in (show, seq) order, and per service where its ok and failed ones are. */
  readonly finished: FinishedRequests;
  readonly badgeShows: Float64Array;
  readonly narrationShows: Float64Array;
  /**
   * Flights by show-time bucket: bucket b's flights are entries `bucketStart[b]…bucketStart[b + 1]`,
   * in trace order, each kept as its distance from the bucket's first flight in 16 bits (a
   * bucket's flights lie close together: the 10-minute load's 4.45 million entries take 8.9 MB,
   * not 17.8) — or, when some bucket's lie further apart, as flight numbers.
   */
  private bucketStart = new Int32Array(1);
  private bucketBase = new Int32Array(0);
  private bucketFlights: Uint16Array | Int32Array = new Uint16Array(0);
  /** What {@link flightCandidates} returns: one object, rewritten by each call. */
  private readonly candidates: FlightCandidates = { base: 0, list: new Uint16Array(0), from: 0, to: 0 };
  private edgeIndexes: EdgeIndexes | null = null;
  private spans: NarrationSpan[] | null = null;
  private readonly stepSeqs: StepSeqs;

  /** `show`: a warp shared with other traces (compare mode); by default the trace's own. */
  constructor(
    readonly trace: Trace,
    show?: ShowMap,
  ) {
    this.show = show ?? showMapOf(trace);
    this.writer = new StepWriter(trace);
    const built = buildSteps(trace, this.show, this.writer);
    this.steps = built.steps;
    this.stepSeqs = built.seqs;
    const events = trace.events;
    const store = storeOf(events);
    const strings = store.strings;
    const byEntity = new Map<number, { history: ComponentHistory; seqs: number[] }>();
    const transitionSeqs: number[] = [];
    const narrationSeqs: number[] = [];
    const eventShow = this.show.eventShow;
    // Config versions: each change the control plane takes in is the next version; a proxy has
    // the version current when it last synced, and keeps it while stale.
    let configVersion = 0;
    const heldVersion = new Map<number, number>();
    const sid = (text: string): number => stringId(store, text);
    const proxyConfig = sid('proxyConfig');
    const synced = sid('synced');
    const configChange = sid('config-change');
    const down = sid('down');
    const up = sid('up');
    // Pair numbers by source, then target (string ids), from 0 in order of first appearance.
    const pairIds = new PairTable(strings.length, 64);
    const n = store.length;
    this.flightSeqs = this.show.flightSeqs;
    this.flightPairs = pairsOf(this.flightSeqs, (seq) => pairIds.slot(store.node[seq]!, store.a[seq]!));
    for (let seq = 0; seq < n; seq++) {
      const type = store.type[seq]!;
      if (type === COL_TRANSITION) {
        const entity = store.a[seq]!;
        let h = byEntity.get(entity);
        if (!h) {
          const e = events[seq] as TransitionEvent;
          const history: ComponentHistory = { entity: e.entity, machine: e.machine, node: e.node, seqs: NO_INTS, shows: new Float64Array(0) };
          if (e.peer !== undefined) history.peer = e.peer;
          h = { history, seqs: [] };
          byEntity.set(entity, h);
        }
        h.seqs.push(seq);
        transitionSeqs.push(seq);
        if (store.c[seq] === proxyConfig) {
          if (store.e[seq] === synced) heldVersion.set(entity, configVersion);
          this.configVersions.set(seq, heldVersion.get(entity) ?? 0);
        }
      } else if (type === COL_DECISION) {
        const kind = store.c[seq]!;
        if (kind === configChange) configVersion++;
        else if (kind === down || kind === up) this.controlPlaneSwitches.push({ seq, down: kind === down, t: store.t[seq]! });
      } else if (type === COL_NARRATION) narrationSeqs.push(seq);
    }
    this.fileFlights();
    for (const { history, seqs } of byEntity.values()) {
      history.seqs = new Int32Array(seqs);
      history.shows = floats(seqs, (seq) => eventShow[seq]!);
      this.components.push(history);
    }
    const bySeq = (a: number, b: number): number => eventShow[a]! - eventShow[b]! || a - b;
    const order = (a: { seq: number }, b: { seq: number }): number => bySeq(a.seq, b.seq);
    transitionSeqs.sort(bySeq);
    this.transitionShows = floats(transitionSeqs, (seq) => eventShow[seq]!);
    this.transitionSeqs = new Int32Array(transitionSeqs);
    narrationSeqs.sort(bySeq);
    for (const seq of narrationSeqs) this.narration.push(events[seq] as NarrationEvent);
    this.badges = badgesOf(trace, eventShow);
    this.finished = new FinishedRequests(trace, this.writer, eventShow);
    this.badgeShows = floats(this.badges, (b) => b.showMs);
    this.controlPlaneSwitches.sort(order);
    this.controlPlaneShows = floats(this.controlPlaneSwitches, (c) => eventShow[c.seq]!);
    this.narrationShows = floats(this.narration, (n) => eventShow[n.seq]!);
  }

  /** Traffic per link between pods, indexed on first use. */
  get edges(): EdgeIndexes {
    return (this.edgeIndexes ??= new EdgeIndexes(this.trace));
  }

  /** Each narration line with the stretch during which it is current (see narrationSpans.ts), built on first use. */
  get narrationSpans(): readonly NarrationSpan[] {
    return (this.spans ??= narrationSpans(this.trace, this.show));
  }

  get endShowMs(): number {
    return this.show.endShow;
  }

  /** Flight `i` (an index into {@link flightSeqs}) as its event. */
  flight(i: number): FlightEvent {
    return this.trace.events[this.flightSeqs[i]!] as FlightEvent;
  }

  /** Files each flight under every bucket its show interval touches: counted, then filled (no array per bucket). */
  private fileFlights(): void {
    const show = this.show;
    const eventShow = show.eventShow;
    const seqs = this.flightSeqs;
    const first = (i: number): number => Math.floor(eventShow[seqs[i]!]! / BUCKET_SHOW_MS);
    const last = (i: number): number => {
      const start = eventShow[seqs[i]!]!;
      return Math.floor(Math.max(start, flightEndAt(show, i, start) - 1e-9) / BUCKET_SHOW_MS);
    };
    let buckets = 0;
    for (let i = 0; i < seqs.length; i++) if (last(i) + 1 > buckets) buckets = last(i) + 1;
    const start = new Int32Array(buckets + 1);
    for (let i = 0; i < seqs.length; i++) for (let b = first(i), to = last(i); b <= to; b++) start[b + 1]!++;
    for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
    // Each bucket's first flight (flights are filed in order) and whether every other lies within 16 bits of it.
    const base = new Int32Array(buckets).fill(-1);
    let close = true;
    for (let i = 0; i < seqs.length; i++)
      for (let b = first(i), to = last(i); b <= to; b++) {
        if (base[b] === -1) base[b] = i;
        else if (i - base[b]! > 0xffff) close = false;
      }
    const at = start.slice(0, buckets);
    const flights = close ? new Uint16Array(start[buckets]!) : new Int32Array(start[buckets]!);
    for (let i = 0; i < seqs.length; i++) for (let b = first(i), to = last(i); b <= to; b++) flights[at[b]!++] = close ? i - base[b]! : i;
    this.bucketStart = start;
    this.bucketBase = close ? base : new Int32Array(buckets);
    this.bucketFlights = flights;
  }

  /**
   * Flights that may be in flight at show time `s` (each checked against its own interval: view.ts
   * packetsAt): flight `base + list[k]` for k from `from` to `to` (exclusive), in trace order. The
   * object returned is rewritten by the next call.
   */
  flightCandidates(s: number): Readonly<FlightCandidates> {
    const c = this.candidates;
    const b = Math.floor(s / BUCKET_SHOW_MS);
    c.list = this.bucketFlights;
    if (!(b >= 0 && b + 1 < this.bucketStart.length)) {
      c.base = c.from = c.to = 0;
      return c;
    }
    c.base = this.bucketBase[b]!;
    c.from = this.bucketStart[b]!;
    c.to = this.bucketStart[b + 1]!;
    return c;
  }

  /** The events of a folded run as steps of their own (for the event list, which opens a fold on demand); `pane` in compare mode. */
  foldSteps(fold: Fold, pane?: number): Step[] {
    const out: Step[] = [];
    for (let seq = fold.fromSeq; seq <= fold.toSeq; seq++) {
      // Each written when read, like every step: the list shows a screenful of a run of thousands.
      if (isStep(this.trace.events[seq]!)) out.push(new TraceStep(-1, this.show.eventShow[seq]!, seq, this.writer, undefined, pane));
    }
    return out;
  }

  /**
   * Simulated time of every event, by `seq`: the trace's time column (the scrubber's density
   * strip reads half a million in a long run; a view per event cost ~0.1 s of its first frame).
   */
  get eventTimes(): ArrayLike<number> {
    const s = this.writer.store;
    return s.t.subarray(0, s.length);
  }

  /** Simulated time of each step that is a state change, in step order (read from the columns, no step made). */
  transitionStepTimes(): number[] {
    const s = this.writer.store;
    const out: number[] = [];
    const seqs = this.stepSeqs;
    for (let i = 0; i < seqs.length; i++) {
      const seq = seqs.at(i);
      if (s.type[seq] === COL_TRANSITION) out.push(s.t[seq]!);
    }
    return out;
  }

  /** Index of the last step done at `cursor`, or -1. */
  stepIndexAt(cursor: Cursor): number {
    const seqs = this.stepSeqs;
    const shows = this.show.eventShow;
    return (
      countDoneOf(
        seqs.length,
        (i) => shows[seqs.at(i)]!,
        (i) => seqs.at(i),
        cursor,
      ) - 1
    );
  }
}
