/**
 * Traces as diff-friendly text: one line per event, so two runs can be compared with `diff`
 * and a determinism failure shows the first line that differs.
 */
import type { TraceEvent } from './trace.ts';

/** One stable line for an event (keys in a fixed order). */
export function formatEvent(e: TraceEvent): string {
  const at = `${e.t}`.padStart(8) + 'ms';
  switch (e.type) {
    case 'flight':
      return `${at} flight ${e.kind} ${e.from} -> ${e.to} @${e.arriveMs} ${e.label}${e.requestId ? ` ${e.requestId}#${e.attempt ?? 1}` : ''}${e.mtls ? ' mtls' : ''}`;
    case 'transition':
      return `${at} transition ${e.entity} ${e.machine} ${e.from ?? '∅'} -> ${e.to} (${e.cause})`;
    case 'decision':
      return `${at} decision ${e.node} ${e.layer}/${e.kind} ${e.summary} [${e.cause.config}]${e.requestId ? ` ${e.requestId}#${e.attempt ?? 1}` : ''}`;
    case 'request':
      return e.phase === 'start'
        ? `${at} request.start ${e.requestId} ${e.from} -> ${e.to} ${e.method} ${e.path}`
        : `${at} request.end ${e.requestId} ${e.status} attempts=${e.attempts} ${e.latencyMs}ms${e.mtls ? ' mtls' : ''}${e.reason ? ` (${e.reason})` : ''}${e.failure === undefined ? '' : e.failure ? ' route:failure' : ' route:success'}`;
    case 'narration':
      return `${at} narration ${e.text}`;
  }
}

/** The whole event list as text. */
export function formatTrace(events: readonly TraceEvent[]): string {
  return events.map(formatEvent).join('\n');
}
