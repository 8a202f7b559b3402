/**
 * A trace as JSON text for download, in parts: a long run's trace (millions of events) is longer
 * than one string may be, so each part holds a slice of the events. Joined, the parts are exactly
 * `JSON.stringify(trace, null, 1)`.
 */
import type { Trace } from '../sim/index.ts';

/** Events per part. */
const PER_PART = 10_000;

export function traceJsonParts(trace: Trace): string[] {
  const { events, ...rest } = trace;
  // `events` is the trace's last key; written empty, then filled in below.
  const head = JSON.stringify({ ...rest, events: [] }, null, 1);
  const empty = '[]\n}';
  if (events.length === 0 || !head.endsWith(empty)) return [JSON.stringify(trace, null, 1)];
  const parts = [`${head.slice(0, -empty.length)}[\n`];
  for (let start = 0; start < events.length; start += PER_PART) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(events.length, start + PER_PART); i++) lines.push(JSON.stringify(events[i], null, 1).replace(/^/gm, '  '));
    parts.push(`${start > 0 ? ',\n' : ''}${lines.join(',\n')}`);
  }
  parts.push('\n ]\n}');
  return parts;
}
