/**
 * Badges: the outcomes a learner should notice at a glance — a retry, a timeout, a 5xx, a denied
 * request, an ejected endpoint — each with its word, so colour never carries the meaning alone.
 * Which decision raises which badge is in the decision table (src/sim/decisions.ts).
 */
import {
  DECISION_KINDS,
  type BadgeKind,
  type DecisionEvent,
  type DecisionKind,
  type FlightEvent,
  type TraceEvent,
  type TraceStore,
  type NodeId,
} from '../sim/index.ts';
import { COL_DECISION, COL_FLIGHT, COL_NONE, COL_REQUEST_END } from './columns.ts';

export type { BadgeKind };

/** The badge an event raises, if any: where, what kind, and its word. */
export function badgeOf(e: TraceEvent): { node: NodeId; kind: BadgeKind; text: string } | null {
  if (e.type === 'flight') {
    if (e.kind === 'http-response' && e.status !== undefined && e.status >= 500) return { node: e.from, kind: 'error', text: String(e.status) };
    return null;
  }
  if (e.type === 'request') {
    if (e.phase === 'end' && (e.status === 0 || e.status >= 500)) return { node: e.node, kind: 'error', text: e.status ? `got ${e.status}` : 'failed' };
    return null;
  }
  if (e.type !== 'decision') return null;
  const info = DECISION_KINDS[e.kind];
  if (!('badge' in info)) return null;
  const { kind, text } = info.badge;
  // A retry counts retries as its step does ("retry 1 of 2": FIDELITY B1, attempts 2 = up to 3
  // tries), not tries ("retry #2" read as the second retry).
  if (e.kind === 'retry') {
    const n = typeof e.data?.retry === 'number' ? e.data.retry : e.attempt;
    if (n) return { node: e.node, kind, text: typeof e.data?.maxRetries === 'number' ? `retry ${n} of ${e.data.maxRetries}` : `retry ${n}` };
  }
  return { node: e.node, kind, text };
}

/**
 * {@link badgeOf} for event `i` of a trace's columns (columns.ts), without making the event's
 * view: indexing asks this of every event, and most raise none.
 */
export function badgeAt(s: TraceStore, i: number): { node: NodeId; kind: BadgeKind; text: string } | null {
  const type = s.type[i];
  if (type === COL_FLIGHT) {
    const status = s.e[i]!;
    if (status !== COL_NONE && status >= 500 && s.strings[s.c[i]!] === 'http-response')
      return { node: s.strings[s.node[i]!]!, kind: 'error', text: String(status) };
    return null;
  }
  if (type === COL_REQUEST_END) {
    const status = s.e[i]!;
    if (status === 0 || status >= 500) return { node: s.strings[s.node[i]!]!, kind: 'error', text: status ? `got ${status}` : 'failed' };
    return null;
  }
  if (type !== COL_DECISION) return null;
  const decision = s.strings[s.c[i]!] as DecisionKind;
  const info = DECISION_KINDS[decision];
  if (!('badge' in info)) return null;
  const { kind, text } = info.badge;
  const node = s.strings[s.node[i]!]!;
  if (decision === 'retry') {
    const data = s.obj[i] === COL_NONE ? undefined : (s.objects[s.obj[i]!] as DecisionEvent['data']);
    const attempt = s.f[i] === COL_NONE ? undefined : s.f[i];
    const n = typeof data?.retry === 'number' ? data.retry : attempt;
    if (n) return { node, kind, text: typeof data?.maxRetries === 'number' ? `retry ${n} of ${data.maxRetries}` : `retry ${n}` };
  }
  return { node, kind, text };
}

/** How far back from a badge's event the flight that brought its request is looked for. */
const LOOK_BACK = 4096;

/**
 * The pod an outcome at a node proxy (a ztunnel, which serves every pod on its node) was for:
 * the pod whose address the HBONE CONNECT that brought the request to that proxy names
 * (`detail.tunnel`, `HBONE CONNECT 10.244.0.5:9080`), the latest such flight of the same request
 * before event `i` of the trace's columns. Undefined when the event names no request or none is
 * found (a badge of the proxy itself).
 */
export function badgeTarget(s: TraceStore, i: number, podByIp: ReadonlyMap<string, string>): string | undefined {
  const req = s.req[i]!;
  if (req === COL_NONE) return undefined;
  const node = s.node[i]!;
  for (let j = i - 1; j >= 0 && j >= i - LOOK_BACK; j--) {
    if (s.type[j] !== COL_FLIGHT || s.req[j] !== req || s.a[j] !== node || s.obj[j] === COL_NONE) continue;
    const tunnel = (s.objects[s.obj[j]!] as { detail?: FlightEvent['detail'] }).detail?.tunnel;
    if (typeof tunnel !== 'string') continue;
    const ip = /(\d+\.\d+\.\d+\.\d+)/.exec(tunnel)?.[1];
    const pod = ip === undefined ? undefined : podByIp.get(ip);
    if (pod) return pod;
  }
  return undefined;
}
