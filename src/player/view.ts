/**
 * The world at a cursor: packets in flight with their progress along each link, every
 * component's state, the badges of recent outcomes, counters per service, the current step and
 * narration. A pure function of the timeline and the cursor: the same cursor gives the same view.
 */
import type { FlightEvent, FlightKind, NodeId, TransitionEvent } from '../sim/index.ts';
import { timeAtShow, type FastForward } from './pace.ts';
import { stepClockMs } from './stepClock.ts';
import { countDone, done, finishedBefore, type Cursor, type Timeline } from './timeline.ts';
import type { Step } from './steps.ts';
import type { BadgeKind } from './badges.ts';
import { formatDuration } from './format.ts';
import type { EdgeView } from './edges.ts';
import { isCurrent, type NarrationNow } from './narrationSpans.ts';

/** A packet in flight. */
export interface PacketView {
  seq: number;
  id: string;
  kind: FlightKind;
  from: NodeId;
  to: NodeId;
  /** 0 at the source, 1 at the target. */
  progress: number;
  /** Packets that share a link and left together: 0, 1, 2... so they can be drawn one behind the other. */
  lane: number;
  /** Identifies the (from, to) pair, so a renderer can cache the path. */
  pair: number;
  label: string;
  mtls: boolean;
  status?: number;
  attempt?: number;
  requestId?: string;
}

/** A component's machine state at the cursor. */
export interface ComponentState {
  entity: string;
  machine: string;
  node: NodeId;
  /** The other end, for a component between two nodes (an endpoint's health: the endpoint's sidecar). */
  peer?: NodeId;
  /** For a proxy's config: the config version it holds. */
  version?: number;
  state: string;
  previous: string | null;
  /** The event that caused the last transition. */
  cause: string;
  sinceMs: number;
  seq: number;
}

/** An outcome shown beside a node for a moment; `age` runs from 0 (new) to 1 (about to go). */
export interface BadgeView {
  node: NodeId;
  kind: BadgeKind;
  text: string;
  seq: number;
  age: number;
  /** At a node proxy (a ztunnel): the pod the request was for (its list is drawn at the proxy, by that pod). */
  pod?: string;
}

/** How a service's callers fared so far. */
export interface ServiceCounters {
  service: string;
  ok: number;
  failed: number;
}

/** Everything the renderer and the panels draw. */
export interface View {
  cursor: Cursor;
  timeMs: number;
  endShowMs: number;
  atEnd: boolean;
  step: Step | null;
  /** Rewritten by the timeline's next view: keep `packets.packet(k)`, not the frame. */
  packets: PacketFrame;
  components: ComponentState[];
  /** Changes whenever a component's state does. */
  stateVersion: number;
  badges: BadgeView[];
  /** The last narration line reached (it may be past: see `narrationNow`). */
  narration: { text: string; seq: number; t: number } | null;
  /** The narration lines current at the cursor, each tied to its event and node (oldest first). */
  narrationNow: readonly NarrationNow[];
  /** Traffic on each link between pods over the last second of simulated time. */
  edges: EdgeView[];
  /** Whether the control plane is stopped at the cursor, and since when (simulated ms). */
  controlPlane: { down: boolean; sinceMs: number };
  /** The fast-forward the cursor is in: `text` in full ("fast-forwarding 4 h 00 m"), `what` without the verb. */
  fastForward: { fromMs: number; toMs: number; text: string; what: string } | null;
  counters: ServiceCounters[];
}

/** How long a badge stays, in show time. */
export const BADGE_SHOW_MS = 1500;

/**
 * The view at `cursor`. What did not change since the timeline's last view is handed back as
 * it was — the components while no state changed, the counters while no request finished —
 * and the packets are written into the timeline's one frame: a view costs a handful of small
 * objects, however many packets are in flight.
 */
export function viewAt(tl: Timeline, cursor: Cursor): View {
  const s = cursor.showMs;
  const cache = scratchOf(tl);
  const stepIndex = tl.stepIndexAt(cursor);
  const narrationCount = countDone(tl.narrationShows, (i) => tl.narration[i]!.seq, cursor);
  if (narrationCount !== cache.narrationCount) {
    const last = tl.narration[narrationCount - 1];
    cache.narrationCount = narrationCount;
    cache.narration = last ? { text: last.text, seq: last.seq, t: last.t } : null;
  }
  const now = tl.narrationSpans.filter((span) => isCurrent(span, cursor));
  const nowKey = now.map((n) => n.seq).join(',');
  if (nowKey !== cache.narrationNowKey) {
    cache.narrationNowKey = nowKey;
    cache.narrationNow = now.map(({ seq, t, text, node, nodes }) => (node === undefined ? { seq, t, text, nodes } : { seq, t, text, node, nodes }));
  }
  const ff = tl.show.fastForwards.find((f) => s >= f.fromShowMs && s < f.toShowMs) ?? null;
  if (ff !== cache.fastForwardOf) {
    cache.fastForwardOf = ff;
    const what = ff ? (ff.text ?? formatDuration(ff.toMs - ff.fromMs)) : '';
    cache.fastForward = ff ? { fromMs: ff.fromMs, toMs: ff.toMs, text: `fast-forwarding ${what}`, what } : null;
  }
  const stateVersion = countDone(tl.transitionShows, (i) => tl.transitionSeqs[i]!, cursor);
  // The transitions done form a prefix of one ordered list: as many done, the same states.
  if (stateVersion !== cache.stateVersion) {
    cache.stateVersion = stateVersion;
    cache.components = componentsAt(tl, cursor);
  }
  const finished = tl.finished.doneAt(cursor);
  if (finished !== cache.finished) {
    cache.finished = finished;
    cache.counters = countersAt(tl, finished);
  }
  const onStep = tl.steps[stepIndex];
  // On a step, the clock reads the latest time the steps so far reached (stepClock.ts); between steps, the warp's.
  const timeMs = onStep && onStep.showMs === s && onStep.seq === cursor.seq ? stepClockMs(tl.steps, stepIndex) : timeAtShow(tl.show, s);
  return {
    cursor,
    timeMs,
    endShowMs: tl.endShowMs,
    atEnd: s >= tl.endShowMs,
    step: tl.steps[stepIndex] ?? null,
    packets: packetsAt(tl, cursor),
    components: cache.components,
    stateVersion,
    badges: badgesAt(tl, cursor),
    narration: cache.narration,
    narrationNow: cache.narrationNow,
    fastForward: cache.fastForward,
    counters: cache.counters,
    controlPlane: controlPlaneAt(tl, cursor),
    edges: tl.edges.at(timeMs),
  };
}

function controlPlaneAt(tl: Timeline, cursor: Cursor): View['controlPlane'] {
  const n = countDone(tl.controlPlaneShows, (i) => tl.controlPlaneSwitches[i]!.seq, cursor);
  const last = tl.controlPlaneSwitches[n - 1];
  return last ? { down: last.down, sinceMs: last.t } : { down: false, sinceMs: 0 };
}

/** Packet `flight` of `tl` (an index into `tl.flightSeqs`) as an object, at `progress` in lane `lane`. */
export function packetView(tl: Timeline, flight: number, progress: number, lane: number): PacketView {
  const f = tl.flight(flight);
  const p: PacketView = {
    seq: f.seq,
    id: f.id,
    kind: f.kind,
    from: f.from,
    to: f.to,
    progress,
    lane,
    pair: tl.flightPairs[flight]!,
    label: f.label,
    mtls: f.mtls === true,
  };
  if (f.status !== undefined) p.status = f.status;
  if (f.attempt !== undefined) p.attempt = f.attempt;
  if (f.requestId !== undefined) p.requestId = f.requestId;
  return p;
}

/**
 * The packets in flight at a cursor, as parallel arrays that one timeline reuses from frame to
 * frame: a frame with 2,000 packets in flight allocates nothing. Read packet `k`'s fields with
 * the accessors, or make it an object with {@link PacketFrame.packet} (a selection keeps that
 * copy: the frame is rewritten when the timeline's next view is made). Iterating yields objects,
 * for tests and anything not drawn every frame.
 */
export class PacketFrame {
  /** Packets in the frame. */
  length = 0;
  /** Packet k's flight: an index into the timeline's `flightSeqs`. */
  flight = new Int32Array(64);
  /** 0 at the source, 1 at the target. */
  progress = new Float64Array(64);
  /** Packets that share a link and left together: 0, 1, 2... so they can be drawn one behind the other. */
  lane = new Int32Array(64);

  constructor(readonly timeline: Timeline) {}

  /** Room for `n` packets. */
  reserve(n: number): void {
    if (n <= this.flight.length) return;
    const size = Math.max(n, this.flight.length * 2);
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.flight = grow(this.flight, (n) => new Int32Array(n));
    this.progress = grow(this.progress, (n) => new Float64Array(n));
    this.lane = grow(this.lane, (n) => new Int32Array(n));
  }

  seq(k: number): number {
    return this.timeline.flightSeqs[this.flight[k]!]!;
  }

  /** Identifies the (from, to) pair, so a renderer can cache the path. */
  pair(k: number): number {
    return this.timeline.flightPairs[this.flight[k]!]!;
  }

  /** The flight event itself (kind, from, to, label, mtls, status, attempt, requestId). */
  event(k: number): FlightEvent {
    return this.timeline.flight(this.flight[k]!);
  }

  /** Packet k as an object of its own. */
  packet(k: number): PacketView {
    return packetView(this.timeline, this.flight[k]!, this.progress[k]!, this.lane[k]!);
  }

  *[Symbol.iterator](): IterableIterator<PacketView> {
    for (let k = 0; k < this.length; k++) yield this.packet(k);
  }
}

/** What a timeline's views reuse: the packet frame and the lane counts making it needs, and the parts of the last view. */
interface Scratch {
  frame: PacketFrame;
  /** The call that last wrote a pair's entry (so the entries need no clearing). */
  stamp: Int32Array;
  start: Float64Array;
  count: Int32Array;
  calls: number;
  stateVersion: number;
  components: ComponentState[];
  finished: number;
  counters: ServiceCounters[];
  narrationCount: number;
  narration: View['narration'];
  narrationNowKey: string;
  narrationNow: View['narrationNow'];
  fastForwardOf: FastForward | null;
  fastForward: View['fastForward'];
}

const scratches = new WeakMap<Timeline, Scratch>();

function scratchOf(tl: Timeline): Scratch {
  let s = scratches.get(tl);
  if (!s) {
    let pairs = 0;
    for (const p of tl.flightPairs) if (p >= pairs) pairs = p + 1;
    s = {
      frame: new PacketFrame(tl),
      stamp: new Int32Array(pairs),
      start: new Float64Array(pairs),
      count: new Int32Array(pairs),
      calls: 0,
      stateVersion: -1,
      components: [],
      finished: -1,
      counters: [],
      narrationCount: -1,
      narration: null,
      narrationNowKey: '',
      narrationNow: [],
      fastForwardOf: null,
      fastForward: null,
    };
    scratches.set(tl, s);
  }
  return s;
}

/**
 * Packets in flight at `cursor`, in `seq` order, written into the timeline's one frame (each
 * call rewrites it). Allocation-free: lanes are counted in typed arrays by pair, stamped with the
 * call so nothing is cleared, and the simulated time at the cursor is read once.
 */
export function packetsAt(tl: Timeline, cursor: Cursor): PacketFrame {
  const s = cursor.showMs;
  const show = tl.show;
  const starts = show.eventShow;
  const ends = show.flightEnd;
  const lengthIds = show.flightLengthIds;
  const lengthOf = show.flightLengthOf;
  const seqs = tl.flightSeqs;
  const pairs = tl.flightPairs;
  const lanes = scratchOf(tl);
  const laneStamp = lanes.stamp;
  const laneStart = lanes.start;
  const laneCount = lanes.count;
  const out = lanes.frame;
  const stamp = ++lanes.calls;
  const candidates = tl.flightCandidates(s);
  out.length = 0;
  out.reserve(candidates.to - candidates.from);
  const flights = out.flight;
  const progresses = out.progress;
  const laneOut = out.lane;
  let n = 0;
  // Candidates come in flight order (each bucket is filled in trace order).
  const { base, list, to } = candidates;
  for (let c = candidates.from; c < to; c++) {
    const i = base + list[c]!;
    const seq = seqs[i]!;
    const start = starts[seq]!;
    if (!done(start, seq, cursor)) continue; // not yet left
    // As flightProgress(show, f, s): a packet crosses its link evenly over its own show interval.
    const end = ends ? ends[i]! : start + lengthOf![lengthIds![i]!]!;
    if (!(s >= start && s < end)) continue;
    const pair = pairs[i]!;
    const lane = laneStamp[pair] === stamp && laneStart[pair] === start ? laneCount[pair]! + 1 : 0;
    laneStamp[pair] = stamp;
    laneStart[pair] = start;
    laneCount[pair] = lane;
    flights[n] = i;
    progresses[n] = (s - start) / (end - start);
    laneOut[n] = lane;
    n++;
  }
  out.length = n;
  return out;
}

/** Each component's state at `cursor` (components not started yet are left out). */
export function componentsAt(tl: Timeline, cursor: Cursor): ComponentState[] {
  const out: ComponentState[] = [];
  for (const c of tl.components) {
    const seqs = c.seqs;
    const n = countDone(c.shows, (i) => seqs[i]!, cursor);
    if (n === 0) continue;
    const t = tl.trace.events[seqs[n - 1]!] as TransitionEvent;
    const state: ComponentState = {
      entity: c.entity,
      machine: c.machine,
      node: c.node,
      state: t.to,
      previous: t.from,
      cause: t.cause,
      sinceMs: t.t,
      seq: t.seq,
    };
    // The other end as of this transition (a vWire's changes when a heal joins another endpoint).
    const peer = t.peer ?? c.peer;
    if (peer !== undefined) state.peer = peer;
    const version = tl.configVersions.get(t.seq);
    if (version !== undefined) state.version = version;
    out.push(state);
  }
  return out;
}

function badgesAt(tl: Timeline, cursor: Cursor): BadgeView[] {
  const shows = tl.badges;
  const out: BadgeView[] = [];
  // Walk back from the newest badge that has happened until they get too old.
  for (let i = countDone(tl.badgeShows, (j) => shows[j]!.seq, cursor) - 1; i >= 0; i--) {
    const b = shows[i]!;
    const age = (cursor.showMs - b.showMs) / BADGE_SHOW_MS;
    if (age >= 1) break;
    const badge: BadgeView = { node: b.node, kind: b.kind, text: b.text, seq: b.seq, age };
    if (b.pod !== undefined) badge.pod = b.pod;
    out.push(badge);
  }
  return out.reverse();
}

/** Each service's counters once the first `finished` requests have finished. */
function countersAt(tl: Timeline, finished: number): ServiceCounters[] {
  return tl.finished.services.map((service, k) => {
    const at = tl.finished.finishedAt[k]!;
    return { service, ok: finishedBefore(at.ok, finished), failed: finishedBefore(at.failed, finished) };
  });
}
