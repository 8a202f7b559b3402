/**
 * The world at a cursor: packets in flight with their progress along each link, every
 * component's state, the badges of recent outcomes, counters per service, the current step and
 * narration. A pure function of the timeline and the cursor: the same cursor gives the same view.
 */
import type { FlightKind, NodeId } from '../sim/index.ts';
import { flightProgress, timeAtShow } from './pace.ts';
import { countDone, done, type Cursor, type Timeline } from './timeline.ts';
import type { Step } from './steps.ts';
import type { BadgeKind } from './badges.ts';
import { formatDuration } from './format.ts';
import type { EdgeView } from './edges.ts';

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
  packets: PacketView[];
  components: ComponentState[];
  /** Changes whenever a component's state does. */
  stateVersion: number;
  badges: BadgeView[];
  narration: { text: string; seq: number } | null;
  /** Traffic on each link between pods over the last second of simulated time. */
  edges: EdgeView[];
  /** Whether the control plane is stopped at the cursor, and since when (simulated ms). */
  controlPlane: { down: boolean; sinceMs: number };
  fastForward: { fromMs: number; toMs: number; text: string } | null;
  counters: ServiceCounters[];
}

/** How long a badge stays, in show time. */
export const BADGE_SHOW_MS = 1500;

/** The view at `cursor`. */
export function viewAt(tl: Timeline, cursor: Cursor): View {
  const s = cursor.showMs;
  const stepIndex = tl.stepIndexAt(cursor);
  const narrationCount = countDone(tl.narrationShows, (i) => tl.narration[i]!.seq, cursor);
  const last = tl.narration[narrationCount - 1];
  const ff = tl.show.fastForwards.find((f) => s >= f.fromShowMs && s < f.toShowMs);
  const timeMs = timeAtShow(tl.show, s);
  return {
    cursor,
    timeMs,
    endShowMs: tl.endShowMs,
    atEnd: s >= tl.endShowMs,
    step: tl.steps[stepIndex] ?? null,
    packets: packetsAt(tl, cursor),
    components: componentsAt(tl, cursor),
    stateVersion: countDone(tl.transitionShows, (i) => tl.transitionSeqs[i]!, cursor),
    badges: badgesAt(tl, cursor),
    narration: last ? { text: last.text, seq: last.seq } : null,
    fastForward: ff ? { fromMs: ff.fromMs, toMs: ff.toMs, text: `fast-forwarding ${formatDuration(ff.toMs - ff.fromMs)}` } : null,
    counters: countersAt(tl, cursor),
    controlPlane: controlPlaneAt(tl, cursor),
    edges: tl.edges.at(timeMs),
  };
}

function controlPlaneAt(tl: Timeline, cursor: Cursor): View['controlPlane'] {
  const n = countDone(tl.controlPlaneShows, (i) => tl.controlPlaneSwitches[i]!.seq, cursor);
  const last = tl.controlPlaneSwitches[n - 1];
  return last ? { down: last.down, sinceMs: last.t } : { down: false, sinceMs: 0 };
}

/** Packets in flight at `cursor`, in `seq` order. */
export function packetsAt(tl: Timeline, cursor: Cursor): PacketView[] {
  const out: PacketView[] = [];
  const laneStart = new Map<number, number>();
  const laneCount = new Map<number, number>();
  // Candidates come in flight order (each bucket is filled in trace order).
  for (const i of tl.flightCandidates(cursor.showMs)) {
    const f = tl.flights[i]!;
    const start = tl.show.flightStart[f.seq]!;
    if (!done(start, f.seq, cursor)) continue;
    const progress = flightProgress(tl.show, f, cursor.showMs);
    if (progress === null) continue;
    const pair = tl.flightPairs[i]!;
    const lane = laneStart.get(pair) === start ? laneCount.get(pair)! + 1 : 0;
    laneStart.set(pair, start);
    laneCount.set(pair, lane);
    const p: PacketView = { seq: f.seq, id: f.id, kind: f.kind, from: f.from, to: f.to, progress, lane, pair, label: f.label, mtls: f.mtls === true };
    if (f.status !== undefined) p.status = f.status;
    if (f.attempt !== undefined) p.attempt = f.attempt;
    if (f.requestId !== undefined) p.requestId = f.requestId;
    out.push(p);
  }
  return out;
}

/** Each component's state at `cursor` (components not started yet are left out). */
export function componentsAt(tl: Timeline, cursor: Cursor): ComponentState[] {
  const out: ComponentState[] = [];
  for (const c of tl.components) {
    const n = countDone(c.shows, (i) => c.transitions[i]!.seq, cursor);
    const t = c.transitions[n - 1];
    if (!t) continue;
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
    if (c.peer !== undefined) state.peer = c.peer;
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
    out.push({ node: b.node, kind: b.kind, text: b.text, seq: b.seq, age });
  }
  return out.reverse();
}

function countersAt(tl: Timeline, cursor: Cursor): ServiceCounters[] {
  const n = countDone(tl.requestShows, (i) => tl.requests[i]!.seq, cursor);
  return tl.services.map((service, k) => {
    const cum = tl.cumulative[k]!;
    return { service, ok: cum.ok[n]!, failed: cum.failed[n]! };
  });
}
