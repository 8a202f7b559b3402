/**
 * Badges: the outcomes a learner should notice at a glance — a retry, a timeout, a 5xx, a denied
 * request, an ejected endpoint — each with its word, so colour never carries the meaning alone.
 * Which decision raises which badge is in the decision table (src/sim/decisions.ts).
 */
import { DECISION_KINDS, type BadgeKind, type TraceEvent, type NodeId } from '../sim/index.ts';

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
