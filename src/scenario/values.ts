/**
 * Scenario values as plain functions, without the schemas: durations read and written, and the
 * comparisons of `expect`. The simulation uses these (a run needs no zod); units.ts builds the
 * schemas on them and re-exports them.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
/** A duration with one or more parts (`1h30m`). */
export const COMPOUND_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

/** Parses `1h30m`, `250ms`, `1.5s` into whole milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!COMPOUND_RE.test(s)) return undefined;
  let total = 0;
  for (const part of s.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g) ?? []) {
    const m = DURATION_RE.exec(part);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  return Math.round(total);
}

/**
 * The whole milliseconds either side of a well-formed duration that falls between them (`0.1ms`
 * → [0, 1], `1.0005s` → [1000, 1001]); undefined for a whole number of milliseconds or a
 * malformed text. The engine's clock counts whole milliseconds, so the loader refuses these
 * rather than round them.
 */
export function subMillisecond(text: string): [number, number] | undefined {
  const s = text.trim();
  if (!COMPOUND_RE.test(s)) return undefined;
  let total = 0;
  for (const part of s.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g) ?? []) {
    const m = DURATION_RE.exec(part)!;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  // Decimal fractions are inexact in binary (1.005 * 1000 is 1004.999…): allow that much.
  if (Math.abs(total - Math.round(total)) <= 1e-6) return undefined;
  return [Math.floor(total), Math.ceil(total)];
}

/** `12h 0m`, `250ms`, `1.5s`: how the UI and narration print a duration. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(3)}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  if (h > 0) return `${h}h ${m}m`;
  return s ? `${m}m ${s}s` : `${m}m`;
}

/** `250ms`, `2s`, `5m`, `24h`: a duration as a scenario file or an annotation writes it. */
export function durationLiteral(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

export interface Comparison {
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  value: number;
  text: string;
}

/** Whether `actual` satisfies the comparison. */
export function compare(actual: number, c: Comparison): boolean {
  switch (c.op) {
    case '<':
      return actual < c.value;
    case '<=':
      return actual <= c.value;
    case '>':
      return actual > c.value;
    case '>=':
      return actual >= c.value;
    case '==':
      return actual === c.value;
    case '!=':
      return actual !== c.value;
  }
}

/** `"three"`, `3`, `a list`, `nothing`: how a wrong value is quoted in a message. */
export function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  // `replicas:` with nothing after it: the author wrote no value, not the word null.
  if (input === null) return 'an empty value';
  // JSON quoting escapes quotes, newlines and control characters: a problem stays one line.
  if (typeof input === 'string') return JSON.stringify(input);
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return String(input);
}
