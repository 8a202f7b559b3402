/**
 * A trace indexed for replay: show time, steps, flights by show-time bucket, each component's
 * transitions, the decisions that become badges, and the finished requests per service. Built
 * once per run; every query after that is a binary search or a bucket scan.
 */
import type { FlightEvent, NodeId, RequestEndEvent, Trace, TransitionEvent, NarrationEvent } from '../sim/index.ts';
import { buildShowMap, type ShowMap } from './pace.ts';
import { buildSteps, isStep, StepWriter, TraceStep, type Step } from './steps.ts';
import type { Fold } from './folds.ts';
import { badgeOf, type BadgeKind } from './badges.ts';
import { EdgeIndexes } from './edges.ts';
import { narrationSpans, type NarrationSpan } from './narrationSpans.ts';

/** A point in the replay: show time `showMs`, with events at exactly that show time done up to `seq`. */
export interface Cursor {
  showMs: number;
  /** Events at exactly `showMs` with a larger `seq` have not happened yet. */
  seq: number;
}

/** A component (pod workload, certificate, connection, proxy config) and its machine's history. */
export interface ComponentHistory {
  entity: string;
  machine: string;
  node: NodeId;
  /** The other end, for a component between two nodes (an endpoint's health: the endpoint). */
  peer?: NodeId;
  transitions: TransitionEvent[];
  /** Show time of each transition. */
  shows: Float64Array;
}

/** A decision or failed response drawn as a badge for a moment. */
export interface BadgeEvent {
  node: NodeId;
  kind: BadgeKind;
  text: string;
  seq: number;
  showMs: number;
}

/** A finished request, as the metrics count it. */
export interface FinishedRequest {
  service: string;
  ok: boolean;
  status: number;
  latencyMs: number;
  endMs: number;
  showMs: number;
  seq: number;
}

const BUCKET_SHOW_MS = 500;

/** Whether the event at (`showMs`, `seq`) has happened at `cursor`. */
export function done(showMs: number, seq: number, cursor: Cursor): boolean {
  return showMs < cursor.showMs || (showMs === cursor.showMs && seq <= cursor.seq);
}

/** Number of items in a (show, seq)-ordered list that have happened at `cursor`. */
export function countDone(shows: ArrayLike<number>, seqOf: (i: number) => number, cursor: Cursor): number {
  let lo = 0;
  let hi = shows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (done(shows[mid]!, seqOf(mid), cursor)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Endpoints a caller took out of load balancing, by `caller@time`: the endpoint health machine's
 * move to ejected (outlier detection) or unavailable (failure accrual) names the endpoint as its peer.
 */
function endpointsTakenOut(trace: Trace): Map<string, NodeId> {
  const out = new Map<string, NodeId>();
  for (const e of trace.events)
    if (e.type === 'transition' && e.machine === 'endpointHealth' && e.peer && (e.to === 'ejected' || e.to === 'unavailable'))
      out.set(`${e.node}@${e.t}`, e.peer);
  return out;
}

/** A trace, indexed for the player. */
export class Timeline {
  readonly show: ShowMap;
  readonly writer: StepWriter;
  readonly steps: Step[];
  readonly flights: FlightEvent[] = [];
  /** For each flight, a number naming its (from, to) pair. */
  readonly flightPairs: number[] = [];
  /** Pair numbers by source, then target. */
  private readonly pairIds = new Map<NodeId, Map<NodeId, number>>();
  private pairCount = 0;
  readonly components: ComponentHistory[] = [];
  /** Every transition of every component, in (show, seq) order: counting them tells when states changed. */
  readonly transitionShows: Float64Array;
  readonly transitionSeqs: Int32Array;
  readonly badges: BadgeEvent[] = [];
  /** The config version a proxy holds after each proxyConfig transition, by the transition's seq. */
  readonly configVersions = new Map<number, number>();
  /** The control plane stopping (`down`) and coming back, in (show, seq) order. */
  readonly controlPlaneSwitches: { seq: number; down: boolean; t: number }[] = [];
  readonly controlPlaneShows: Float64Array;
  readonly narration: NarrationEvent[] = [];
  readonly requests: FinishedRequest[] = [];
  readonly services: string[];
  readonly badgeShows: Float64Array;
  readonly narrationShows: Float64Array;
  readonly requestShows: Float64Array;
  /** Per service (in {@link services} order): ok and failed requests among the first n finished. */
  readonly cumulative: { ok: Int32Array; failed: Int32Array }[];
  private readonly buckets: number[][] = [];
  private edgeIndexes: EdgeIndexes | null = null;
  private spans: NarrationSpan[] | null = null;
  private stepShows: Float64Array | undefined;

  /** `show`: a warp shared with other traces (compare mode); by default the trace's own. */
  constructor(
    readonly trace: Trace,
    show?: ShowMap,
  ) {
    this.show = show ?? buildShowMap(trace.events, trace.durationMs);
    this.writer = new StepWriter(trace);
    this.steps = buildSteps(trace, this.show, this.writer);
    const byEntity = new Map<string, ComponentHistory>();
    const transitions: TransitionEvent[] = [];
    const eventShow = this.show.eventShow;
    const errorsBadged = new Set<string>();
    // Config versions: each change the control plane takes in is the next version; a proxy has
    // the version current when it last synced, and keeps it while stale.
    let configVersion = 0;
    const heldVersion = new Map<string, number>();
    const outOfBalancing = endpointsTakenOut(trace);
    for (const e of trace.events) {
      const showMs = eventShow[e.seq]!;
      if (e.type === 'flight') this.addFlight(e);
      else if (e.type === 'transition') {
        let h = byEntity.get(e.entity);
        if (!h) {
          h = { entity: e.entity, machine: e.machine, node: e.node, transitions: [], shows: new Float64Array(0) };
          if (e.peer !== undefined) h.peer = e.peer;
          byEntity.set(e.entity, h);
        }
        h.transitions.push(e);
        transitions.push(e);
        if (e.machine === 'proxyConfig') {
          if (e.to === 'synced') heldVersion.set(e.entity, configVersion);
          this.configVersions.set(e.seq, heldVersion.get(e.entity) ?? 0);
        }
      } else if (e.type === 'decision') {
        if (e.kind === 'config-change') configVersion++;
        else if (e.kind === 'down' || e.kind === 'up') this.controlPlaneSwitches.push({ seq: e.seq, down: e.kind === 'down', t: e.t });
      } else if (e.type === 'narration') this.narration.push(e);
      else if (e.type === 'request' && e.phase === 'end') this.addRequest(e, showMs);
      const badge = badgeOf(e);
      // A 5xx travels back hop by hop: badge it where it starts, once per attempt.
      const once = e.type === 'flight' && e.requestId ? `${e.requestId}#${e.attempt ?? 1}` : null;
      if (badge && !(once && errorsBadged.has(once))) {
        if (once) errorsBadged.add(once);
        // A caller ejects an endpoint: the badge goes on the endpoint, where the learner looks for it.
        if (badge.kind === 'ejected' && e.type === 'decision') badge.node = outOfBalancing.get(`${e.node}@${e.t}`) ?? badge.node;
        this.badges.push({ ...badge, seq: e.seq, showMs });
      }
    }
    for (const h of byEntity.values()) {
      h.shows = Float64Array.from(h.transitions, (t) => eventShow[t.seq]!);
      this.components.push(h);
    }
    const order = (a: { seq: number }, b: { seq: number }): number => eventShow[a.seq]! - eventShow[b.seq]! || a.seq - b.seq;
    transitions.sort(order);
    this.transitionShows = Float64Array.from(transitions, (t) => eventShow[t.seq]!);
    this.transitionSeqs = Int32Array.from(transitions, (t) => t.seq);
    this.badges.sort((a, b) => a.showMs - b.showMs || a.seq - b.seq);
    this.narration.sort(order);
    this.requests.sort((a, b) => a.showMs - b.showMs || a.seq - b.seq);
    this.services = [...new Set([...trace.topology.services.map((s) => s.name), ...this.requests.map((r) => r.service)])];
    this.badgeShows = Float64Array.from(this.badges, (b) => b.showMs);
    this.controlPlaneSwitches.sort(order);
    this.controlPlaneShows = Float64Array.from(this.controlPlaneSwitches, (c) => eventShow[c.seq]!);
    this.narrationShows = Float64Array.from(this.narration, (n) => eventShow[n.seq]!);
    this.requestShows = Float64Array.from(this.requests, (r) => r.showMs);
    this.cumulative = this.services.map((service) => {
      const ok = new Int32Array(this.requests.length + 1);
      const failed = new Int32Array(this.requests.length + 1);
      this.requests.forEach((r, i) => {
        const mine = r.service === service;
        ok[i + 1] = ok[i]! + (mine && r.ok ? 1 : 0);
        failed[i + 1] = failed[i]! + (mine && !r.ok ? 1 : 0);
      });
      return { ok, failed };
    });
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

  private addFlight(f: FlightEvent): void {
    const index = this.flights.length;
    this.flights.push(f);
    let targets = this.pairIds.get(f.from);
    if (!targets) this.pairIds.set(f.from, (targets = new Map()));
    let pair = targets.get(f.to);
    if (pair === undefined) targets.set(f.to, (pair = this.pairCount++));
    this.flightPairs.push(pair);
    const start = this.show.flightStart[f.seq]!;
    const end = this.show.flightEnd[f.seq]!;
    const last = Math.floor(Math.max(start, end - 1e-9) / BUCKET_SHOW_MS);
    for (let b = Math.floor(start / BUCKET_SHOW_MS); b <= last; b++) (this.buckets[b] ??= []).push(index);
  }

  private addRequest(e: RequestEndEvent, showMs: number): void {
    const service = this.writer.targetOf(e.requestId) ?? '?';
    // A route's own response classes decide success where it has them (Linkerd ServiceProfile
    // responseClasses: linkerd viz routes counts by them, FIDELITY G2); else a 2xx is a success.
    const ok = e.failure === undefined ? e.status >= 200 && e.status < 300 : !e.failure;
    this.requests.push({ service, ok, status: e.status, latencyMs: e.latencyMs, endMs: e.t, showMs, seq: e.seq });
  }

  /** Flights that may be in flight at show time `s` (check each with `flightProgress`). */
  flightCandidates(s: number): readonly number[] {
    return this.buckets[Math.floor(s / BUCKET_SHOW_MS)] ?? [];
  }

  /** The events of a folded run as steps of their own (for the event list, which opens a fold on demand); `pane` in compare mode. */
  foldSteps(fold: Fold, pane?: number): Step[] {
    const out: Step[] = [];
    for (let seq = fold.fromSeq; seq <= fold.toSeq; seq++) {
      const e = this.trace.events[seq]!;
      // Each written when read, like every step: the list shows a screenful of a run of thousands.
      if (isStep(e)) out.push(new TraceStep(-1, this.show.eventShow[seq]!, e, this.writer, undefined, pane));
    }
    return out;
  }

  /** Index of the last step done at `cursor`, or -1. */
  stepIndexAt(cursor: Cursor): number {
    this.stepShows ??= Float64Array.from(this.steps, (st) => st.showMs);
    const steps = this.steps;
    return countDone(this.stepShows, (i) => steps[i]!.seq, cursor) - 1;
  }
}
