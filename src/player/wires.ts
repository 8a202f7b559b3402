/**
 * What the still picture needs of a trace's events, read from its columns without making an
 * event object per row (a 60 s load has half a million): the links flights travel, and the
 * services requests name.
 */
import type { NodeId, Trace } from '../sim/index.ts';
import { COL_FLIGHT, COL_NONE, COL_REQUEST_START, storeOf } from './columns.ts';

/** A flight the picture draws a wire for (see {@link wireFlights}). */
export interface WireFlight {
  from: NodeId;
  to: NodeId;
  /** The flight went through an HBONE tunnel (its `detail.tunnel`). */
  tunnel: boolean;
}

/**
 * In trace order, the first flight between each (from, to) pair, and the first tunnelled flight of
 * each pair where that is a later one: every flight a wire or a tunnel pipe is drawn for (the
 * rest repeat a pair already drawn).
 */
export function wireFlights(trace: Trace): WireFlight[] {
  const s = storeOf(trace.events);
  const width = s.strings.length;
  const seen = new Set<number>();
  const tunnelled = new Set<number>();
  const out: WireFlight[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s.type[i] !== COL_FLIGHT) continue;
    const pair = s.node[i]! * width + s.a[i]!;
    const o = s.obj[i]!;
    // A flight's side object (src/sim/traceStore.ts pushFlight) carries its detail.
    const tunnel = o !== COL_NONE && typeof (s.objects[o] as { detail?: { tunnel?: unknown } }).detail?.tunnel === 'string';
    if (seen.has(pair) && (!tunnel || tunnelled.has(pair))) continue;
    seen.add(pair);
    if (tunnel) tunnelled.add(pair);
    out.push({ from: s.strings[s.node[i]!]!, to: s.strings[s.a[i]!]!, tunnel });
  }
  return out;
}

/** The targets requests name (each request start's `to`), once each. */
export function requestTargets(trace: Trace): Set<string> {
  const s = storeOf(trace.events);
  const ids = new Set<number>();
  for (let i = 0; i < s.length; i++) if (s.type[i] === COL_REQUEST_START) ids.add(s.b[i]!);
  return new Set([...ids].map((id) => s.strings[id]!));
}
