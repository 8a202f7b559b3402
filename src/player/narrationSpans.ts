/**
 * Narration beside its event: each narration line is tied to the event it is about and is
 * *current* only while that event is — shown next to its node then, and cleared once it is past,
 * so a line never describes one packet while another is on screen.
 *
 * The event of a line written `on:` a trigger is that trigger (the weave puts the line right after
 * it, with its node); the event of a line written `at:` a time is the first event of that instant,
 * if one happens then (the author timed the line to it: `at: 2030ms` is when the browser gets its
 * 404). A line is current from its own place in show time until the first of:
 *
 * - the clock passing its event's time by {@link PACE.maxLagSimMs} — the time model's own bound on
 *   how long after its moment anything still plays, so by then the picture shows later events;
 * - another request's packet or step at the node the line is about (the line tells of one
 *   request's fate: the next request through that node may fare otherwise);
 * - the next narration line of a later instant.
 *
 * A line about no event — the opening lines at 0 s, which describe the mesh as it starts rather
 * than anything in it, and a line timed between events — describes the scene: it is current until
 * the next line, and has no node. A line stays current for at least {@link PACE.flightMinShowMs}
 * of show time, so stepping onto it always shows it. While playing at ×1 a line about one request lasts as long as that request
 * holds its node; guided mode stops the clock on each line so it can be read.
 */
import type { NodeId, Trace, TraceEvent } from '../sim/index.ts';
import { PACE, showAtTime, type ShowMap } from './pace.ts';
import type { Cursor } from './timeline.ts';
import { isStep } from './steps.ts';
import { COL_FLIGHT, COL_NARRATION, COL_NONE, requestOf as requestAt, storeOf } from './columns.ts';

/** A narration line and the stretch of the replay during which it is current. */
export interface NarrationSpan {
  /** The line's own event (`seq`), its simulated time and text. */
  seq: number;
  t: number;
  text: string;
  /** The node the line is about (its event's), if any: its callout is drawn there. */
  node?: NodeId;
  /** Every node its event touches, and its request on the way there and while the line is current: what guided mode frames. */
  nodes: NodeId[];
  /** Where it becomes current, as a cursor position (show time, seq). */
  fromShowMs: number;
  fromSeq: number;
  /** What makes it past: current while this position is not done (seq -1: as soon as the clock reaches the show time). */
  toShowMs: number;
  toSeq: number;
}

/** A narration line current at a cursor, as a view gives it. */
export interface NarrationNow {
  seq: number;
  t: number;
  text: string;
  node?: NodeId;
  nodes: readonly NodeId[];
}

/** As timeline.ts's `done` (that module builds the spans, so this one does not import it). */
function done(showMs: number, seq: number, cursor: Cursor): boolean {
  return showMs < cursor.showMs || (showMs === cursor.showMs && seq <= cursor.seq);
}

/** The nodes an event touches. */
function nodesOf(e: TraceEvent): NodeId[] {
  if (e.type === 'flight') return [e.from, e.to];
  return 'node' in e && e.node ? [e.node] : [];
}

function requestOf(e: TraceEvent): string | undefined {
  return 'requestId' in e && e.requestId ? e.requestId : undefined;
}

/** The event a line is about: its trigger (`on:`), or the first event of its instant (`at:`), or none. */
function eventOf(events: readonly TraceEvent[], n: TraceEvent & { type: 'narration' }): TraceEvent | undefined {
  if (n.node) {
    // The weave puts an `on:` line right after its trigger (other lines of the same trigger between).
    for (let s = n.seq - 1; s >= 0 && events[s]!.t === n.t; s--) {
      const e = events[s]!;
      if (e.type !== 'narration' && nodesOf(e).includes(n.node)) return e;
    }
    return undefined;
  }
  // At 0 s everything is the mesh starting: the opening lines set the scene.
  if (n.t === 0) return undefined;
  for (let s = n.seq + 1; s < events.length && events[s]!.t === n.t; s++) if (isStep(events[s]!) && events[s]!.type !== 'narration') return events[s];
  return undefined;
}

/** Each service's first pod's app node and the nodes of all its pods, by the service's name before any dot. */
function servicesOf(trace: Trace): Map<string, { app: NodeId; nodes: NodeId[] }> {
  const out = new Map<string, { app: NodeId; nodes: NodeId[] }>();
  // Clients outside the cluster ("browser") and gateways count too.
  for (const p of trace.topology.pods) {
    const name = p.service.split('.')[0]!;
    const service = out.get(name) ?? out.set(name, { app: p.app, nodes: [] }).get(name)!;
    service.nodes.push(p.app, ...(p.proxy ? [p.proxy] : []));
  }
  return out;
}

/**
 * The service a line opens with, as its subject ("db is overloaded", "reviews starts failing";
 * a whole word: "db", not "dbx"). A line that only mentions a service on the way ("… reviews
 * never saw the request") is not about it.
 */
const openingService = (services: ReturnType<typeof servicesOf>, text: string): { app: NodeId; nodes: NodeId[] } | undefined =>
  services.get(/^[\w-]+/.exec(text)?.[0] ?? '');

/**
 * Each narration line of `trace` with the stretch during which it is current, on `map` (its show map).
 * Rows are read from the trace's columns (src/player/columns.ts); a view is made only for the lines and their events.
 */
export function narrationSpans(trace: Trace, map: ShowMap): NarrationSpan[] {
  const events = trace.events;
  const store = storeOf(events);
  const strings = store.strings;
  const n = store.length;
  const lines: (TraceEvent & { type: 'narration' })[] = [];
  for (let s = 0; s < n; s++) if (store.type[s] === COL_NARRATION) lines.push(events[s] as TraceEvent & { type: 'narration' });
  const end = map.endShow;
  const services = servicesOf(trace);
  /** Whether row `s` touches `node` (as nodesOf(events[s]) includes it). */
  const touches = (s: number, node: NodeId): boolean =>
    store.type[s] === COL_FLIGHT
      ? strings[store.node[s]!] === node || strings[store.a[s]!] === node
      : node !== '' && store.node[s] !== COL_NONE && strings[store.node[s]!] === node;
  /** nodesOf(events[s]), added to `into`. */
  const addNodes = (s: number, into: Set<NodeId>): void => {
    if (store.type[s] === COL_FLIGHT) into.add(strings[store.node[s]!]!).add(strings[store.a[s]!]!);
    else if (store.node[s] !== COL_NONE && strings[store.node[s]!]) into.add(strings[store.node[s]!]!);
  };
  return lines.map((line, i) => {
    const from = { showMs: map.eventShow[line.seq]!, seq: line.seq };
    const event = eventOf(events, line);
    // A line timed to an instant whose first event is some request's ("db is overloaded" at 2 s,
    // when web's next request leaves) is about the service it opens with, if that request does not
    // touch it: its callout goes there.
    const named =
      line.node || !event || !(event.type === 'request' || (event.type === 'flight' && event.requestId)) ? undefined : openingService(services, line.text);
    const node =
      line.node ??
      (named && !nodesOf(event!).some((id) => named.nodes.includes(id)) ? named.app : undefined) ??
      (event ? (event.type === 'flight' ? event.from : nodesOf(event)[0]) : undefined);
    // The request as the request column holds it (the same id, the same number), none when the event has none.
    const request = event && requestOf(event) !== undefined ? requestAt(store, event.seq) : COL_NONE;
    // The clock past the event by the time model's bound on lag, but never before a moment of its own.
    let to: Cursor = event
      ? { showMs: Math.min(end, Math.max(showAtTime(map, line.t + PACE.maxLagSimMs), from.showMs + PACE.flightMinShowMs)), seq: -1 }
      : { showMs: end, seq: -1 };
    const earlier = (showMs: number, seq: number): boolean => showMs < to.showMs || (showMs === to.showMs && seq < to.seq);
    // The next line of a later instant replaces it.
    for (let k = i + 1; k < lines.length; k++) {
      if (lines[k]!.t === line.t) continue;
      const c = { showMs: map.eventShow[lines[k]!.seq]!, seq: lines[k]!.seq };
      if (earlier(c.showMs, c.seq)) to = c;
      break;
    }
    // Another request at its node: events in seq order are in time order, and nothing after the
    // bound's time can show before it.
    const nodes = new Set<NodeId>(node ? [node] : []);
    if (event) for (const id of nodesOf(event)) nodes.add(id);
    // The request's way here, as far back as the time model lets a step lag.
    if (request !== COL_NONE)
      for (let s = (event?.seq ?? line.seq) - 1; s >= 0 && store.t[s]! >= line.t - PACE.maxLagSimMs; s--)
        if (requestAt(store, s) === request) addNodes(s, nodes);
    const horizon = line.t + PACE.maxLagSimMs;
    for (let s = (event?.seq ?? line.seq) + 1; s < n && store.t[s]! <= horizon; s++) {
      const type = store.type[s];
      if (type === COL_NARRATION) continue;
      const showMs = map.eventShow[s]!;
      if (!done(from.showMs, from.seq, { showMs, seq: s }) || !earlier(showMs, s)) continue;
      const r = requestAt(store, s);
      if (request !== COL_NONE && r !== COL_NONE && r !== request && node !== undefined && touches(s, node)) to = { showMs, seq: s };
      else if (request !== COL_NONE && r === request) addNodes(s, nodes);
    }
    const span: NarrationSpan = {
      seq: line.seq,
      t: line.t,
      text: line.text,
      nodes: [...nodes],
      fromShowMs: from.showMs,
      fromSeq: from.seq,
      toShowMs: to.showMs,
      toSeq: to.seq,
    };
    if (node !== undefined) span.node = node;
    return span;
  });
}

/** Whether `span` is current at `cursor`. */
export function isCurrent(span: NarrationSpan, cursor: Cursor): boolean {
  return done(span.fromShowMs, span.fromSeq, cursor) && !done(span.toShowMs, span.toSeq, cursor);
}
