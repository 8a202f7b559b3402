/**
 * Badges: the outcomes a learner should notice at a glance — a retry, a timeout, a 5xx, a denied
 * request, an ejected endpoint — each with its word, so colour never carries the meaning alone.
 */
import type { TraceEvent, NodeId } from '../sim/index.ts';

/** What a badge says. */
export type BadgeKind = 'retry' | 'timeout' | 'error' | 'denied' | 'ejected' | 'overflow' | 'fault' | 'gave-up';

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
  const k = e.kind;
  if (k === 'retry') return { node: e.node, kind: 'retry', text: `retry${e.attempt ? ` #${e.attempt + 1}` : ''}` };
  if (k.includes('timeout')) return { node: e.node, kind: 'timeout', text: 'timeout' };
  if (k === 'deny') return { node: e.node, kind: 'denied', text: 'denied' };
  if (k === 'handshake-failed') return { node: e.node, kind: 'denied', text: 'TLS failed' };
  if (k === 'no-route') return { node: e.node, kind: 'error', text: 'no route' };
  if (k.includes('eject')) return { node: e.node, kind: 'ejected', text: 'ejected' };
  if (k.includes('overflow')) return { node: e.node, kind: 'overflow', text: 'overflow' };
  if (k.includes('exhausted')) return { node: e.node, kind: 'gave-up', text: 'gave up' };
  if (k === 'fault' || k.startsWith('fault-')) return { node: e.node, kind: 'fault', text: 'fault' };
  return null;
}
