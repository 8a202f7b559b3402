/**
 * A run as a sequence diagram: one request's hops (every attempt, every decision on the way), or
 * the first events of the run. Lifelines are the nodes in the order they first appear (the caller
 * on the left); packets are arrows, decisions and outcomes are notes. Exported as Mermaid text;
 * the UI also draws it as SVG from the same model.
 */
import type { NodeId, Trace, TraceEvent } from '../sim/index.ts';
import { formatClock } from './format.ts';

export interface SequenceMessage {
  kind: 'message';
  from: number;
  to: number;
  text: string;
  /** Responses are drawn dashed. */
  reply: boolean;
  timeMs: number;
  seq: number;
}

export interface SequenceNote {
  kind: 'note';
  over: number;
  text: string;
  timeMs: number;
  seq: number;
}

export interface SequenceDiagram {
  title: string;
  participants: { node: NodeId; label: string }[];
  items: (SequenceMessage | SequenceNote)[];
}

/** What to draw: one request, or the first `first` events. */
export type SequenceChoice = { requestId: string } | { first: number };

const REPLIES = new Set(['http-response']);

/** The diagram of `choice` in `trace`. */
export function sequenceOf(trace: Trace, choice: SequenceChoice): SequenceDiagram {
  const labels = new Map(trace.topology.nodes.map((n) => [n.id, n.label]));
  const participants: SequenceDiagram['participants'] = [];
  const index = new Map<NodeId, number>();
  const at = (node: NodeId): number => {
    let i = index.get(node);
    if (i === undefined) {
      index.set(node, (i = participants.length));
      participants.push({ node, label: labels.get(node) ?? node });
    }
    return i;
  };
  const wanted = (e: TraceEvent): boolean => {
    if ('requestId' in choice) return 'requestId' in e && e.requestId === choice.requestId;
    return e.type === 'flight' || e.type === 'decision' || (e.type === 'request' && e.phase === 'end');
  };
  const items: SequenceDiagram['items'] = [];
  const limit = 'first' in choice ? Math.max(1, choice.first) : Infinity;
  for (const e of trace.events) {
    if (items.length >= limit) break;
    if (!wanted(e)) continue;
    if (e.type === 'flight') {
      const extras = [e.attempt && e.attempt > 1 ? `attempt ${e.attempt}` : '', e.mtls ? 'mTLS' : ''].filter(Boolean);
      items.push({
        kind: 'message',
        from: at(e.from),
        to: at(e.to),
        text: `${e.label}${extras.length ? ` (${extras.join(', ')})` : ''}`,
        reply: REPLIES.has(e.kind),
        timeMs: e.t,
        seq: e.seq,
      });
    } else if (e.type === 'decision') {
      items.push({ kind: 'note', over: at(e.node), text: `${e.layer}: ${e.summary}`, timeMs: e.t, seq: e.seq });
    } else if (e.type === 'request') {
      const text =
        e.phase === 'start'
          ? `${e.from} calls ${e.to}: ${e.method} ${e.path}`
          : `got ${e.status === 0 ? 'no response' : e.status}${e.reason ? ` (${e.reason})` : ''} after ${e.attempts} attempt${e.attempts === 1 ? '' : 's'}, ${Math.round(e.latencyMs * 10) / 10} ms`;
      items.push({ kind: 'note', over: at(e.node), text, timeMs: e.t, seq: e.seq });
    }
  }
  const order = appsFirst(trace, participants);
  for (const item of items) {
    if (item.kind === 'message') {
      item.from = order[item.from]!;
      item.to = order[item.to]!;
    } else item.over = order[item.over]!;
  }
  const lanes: SequenceDiagram['participants'] = [];
  participants.forEach((p, i) => (lanes[order[i]!] = p));
  const title =
    'requestId' in choice
      ? `${trace.scenario.title} — ${choice.requestId} (${trace.mesh})`
      : `${trace.scenario.title} — first ${items.length} events (${trace.mesh})`;
  return { title, participants: lanes, items };
}

/**
 * Where each participant goes (old index → new): in order of first appearance, except that a
 * pod's app lane comes just left of its sidecar's, so every pod reads app | proxy (a server's
 * sidecar appears before its app, as the request reaches it first).
 */
function appsFirst(trace: Trace, participants: readonly { node: NodeId }[]): number[] {
  const appOf = new Map<NodeId, NodeId>();
  for (const p of trace.topology.pods ?? []) if (p.proxy) appOf.set(p.proxy, p.app);
  const at = new Map(participants.map((p, i) => [p.node, i]));
  const placed: number[] = [];
  const done = new Set<number>();
  for (let i = 0; i < participants.length; i++) {
    if (done.has(i)) continue;
    const app = at.get(appOf.get(participants[i]!.node) ?? '');
    if (app !== undefined && !done.has(app)) {
      placed.push(app);
      done.add(app);
    }
    placed.push(i);
    done.add(i);
  }
  const order: number[] = [];
  placed.forEach((old, next) => (order[old] = next));
  return order;
}

/** Text as Mermaid reads it: its entity codes for the characters that end or break a statement. */
const MERMAID_CODES: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;', '"': '#quot;' };

function mermaidText(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[#;<>"]/g, (c) => MERMAID_CODES[c]!);
}

/** The diagram as Mermaid `sequenceDiagram` text. */
export function toMermaid(d: SequenceDiagram): string {
  const lines = ['sequenceDiagram', `  title ${mermaidText(d.title)}`];
  d.participants.forEach((p, i) => lines.push(`  participant P${i} as ${mermaidText(p.label)}`));
  for (const item of d.items) {
    if (item.kind === 'message')
      lines.push(`  P${item.from}${item.reply ? '-->>' : '->>'}P${item.to}: ${mermaidText(`${formatClock(item.timeMs)} ${item.text}`)}`);
    else lines.push(`  Note over P${item.over}: ${mermaidText(item.text)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A request a diagram can be drawn for. */
export interface RequestChoiceInfo {
  requestId: string;
  /** Id, start, caller → service, method, path and outcome in words. */
  text: string;
  startMs: number;
  /** When the caller had its answer (none while unfinished). */
  endMs?: number;
  /** Attempts the caller's side made (more than 1: retried). */
  attempts: number;
  /** It ended with no response or with an error status (4xx, 5xx). */
  failed: boolean;
}

/** The requests of a run a diagram can be drawn for, in order, with a short description. */
export function requestChoices(trace: Trace): RequestChoiceInfo[] {
  const ends = new Map<string, { status: number; t: number; attempts: number }>();
  for (const e of trace.events) if (e.type === 'request' && e.phase === 'end') ends.set(e.requestId, { status: e.status, t: e.t, attempts: e.attempts });
  const out: RequestChoiceInfo[] = [];
  for (const e of trace.events) {
    if (e.type !== 'request' || e.phase !== 'start') continue;
    const end = ends.get(e.requestId);
    const status = end?.status;
    out.push({
      requestId: e.requestId,
      text: `${e.requestId} ${formatClock(e.t)} ${e.from} → ${e.to} ${e.method} ${e.path}: ${status === undefined ? 'unfinished' : status === 0 ? 'failed' : status}`,
      startMs: e.t,
      ...(end ? { endMs: end.t } : {}),
      attempts: end?.attempts ?? 1,
      failed: status !== undefined && (status === 0 || status >= 400),
    });
  }
  return out;
}
