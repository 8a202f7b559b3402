/**
 * The scenario file's small languages: durations (`250ms`, `10s`, `2m`, `24h`), percentages
 * (`50%`), rates (`20/s`) and comparisons (`">= 0.99"`), with messages that say what was
 * expected and what was found.
 */
import { z } from './zodSetup.ts';
import { COMPOUND_RE, describe, subMillisecond, parseDuration, type Comparison } from './values.ts';

// The plain functions live in values.ts (no zod), so the simulation can use them without loading
// the schemas; they are re-exported here, where the file's small languages are described.
export { compare, describe, durationLiteral, formatDuration, subMillisecond, parseDuration, type Comparison } from './values.ts';

const BARE_NUMBER_RE = /^-?\d+(?:\.\d+)?$/;
const PERCENT_RE = /^(-?\d+(?:\.\d+)?)%$/;
/** What {@link percent} accepts: 0% to 100%, with the sign (leading zeros allowed, as Number reads them). */
const PERCENT_TEXT = '0*(?:100(?:\\.0+)?|\\d{1,2}(?:\\.\\d+)?)%';
const RATE_RE = /^(\d+(?:\.\d+)?)\/(s|m)$/;
const COMPARISON_RE = /^\s*(<=|>=|==|!=|<|>)?\s*(-?\d+(?:\.\d+)?)(ms|s|%)?\s*$/;

/**
 * The text forms as JSON Schema patterns, for editors. The parsers trim surrounding blanks, so
 * the patterns allow them; one source of truth keeps the editor and the loader in agreement.
 */
export const TEXT_PATTERNS = {
  duration: `^\\s*${COMPOUND_RE.source.slice(1, -1)}\\s*$`,
  percent: `^\\s*${PERCENT_TEXT}\\s*$`,
  rate: `^\\s*${RATE_RE.source.slice(1, -1)}\\s*$`,
  comparison: COMPARISON_RE.source,
} as const;

const DURATION_HINT = 'a duration like 250ms, 10s, 2m or 24h';

/** A duration in the file (string with a unit), read as whole milliseconds. */
export const durationMs = z.string({ error: (iss) => `must be ${DURATION_HINT} (got ${describe(iss.input)})` }).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be ${DURATION_HINT} (got ${describe(text)})` });
    return z.NEVER;
  }
  const between = subMillisecondMessage(text);
  if (between) {
    ctx.addIssue({ code: 'custom', message: between });
    return z.NEVER;
  }
  return ms;
});

/**
 * The message for a duration between whole milliseconds. The simulation's clock, the trace's
 * times and every scheduled event count whole milliseconds; rounding `0.1ms` to 0 (or `1.5ms` to
 * 2) silently would change what the author wrote, so the file must say which it means.
 */
export function subMillisecondMessage(text: string): string | undefined {
  const around = subMillisecond(text);
  if (!around) return undefined;
  return `must be whole milliseconds: mesh-sim's clock counts whole milliseconds (got ${describe(text)}; write ${around[0]}ms or ${around[1]}ms)`;
}

/** A non-zero duration. */
export const positiveDurationMs = durationMs.refine((ms) => ms > 0, { message: 'must be longer than 0ms' });

/** A percentage written `50%` (or a bare number 0–100), read as a fraction 0..1. */
export const percent = z
  .union([z.string(), z.number()], { error: (iss) => `must be a percentage like 50% (got ${describe(iss.input)})` })
  .transform((v, ctx) => {
    const text = typeof v === 'number' ? String(v) : v.trim();
    const bare = BARE_NUMBER_RE.test(text);
    // A bare number is a trap: is 0.5 a half or half a percent? Ask for the % sign.
    if (bare && Number(text) >= 0 && Number(text) <= 100) {
      ctx.addIssue({
        code: 'custom',
        message: `must be written with a % sign, like ${text}%${Number(text) <= 1 && Number(text) > 0 ? ` (or ${+(Number(text) * 100).toFixed(4)}% if you meant a fraction)` : ''} (got ${text})`,
      });
      return z.NEVER;
    }
    const digits = bare ? text : PERCENT_RE.exec(text)?.[1];
    if (digits === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a percentage like 50% (got ${describe(text)})` });
      return z.NEVER;
    }
    const n = Number(digits);
    if (digits.startsWith('-') || n > 100) {
      ctx.addIssue({ code: 'custom', message: `must be between 0% and 100% (got ${text.endsWith('%') ? text : text + '%'})` });
      return z.NEVER;
    }
    return n / 100;
  });

/** A whole number from `min` to `max` (no upper bound by default), with messages that say so. `typeError` replaces the message for a value that is not a number. */
export const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER, typeError?: (got: string) => string) => {
  const want = max >= Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  return z
    .number({ error: (iss) => (typeError ? typeError(describe(iss.input)) : `must be ${want} (got ${describe(iss.input)})`) })
    .int({ message: `must be ${want}` })
    .min(min, { message: `must be ${want}` })
    .max(max, { message: `must be ${want}` });
};

/** A TCP port, 1–65535. */
export const portNumber = wholeNumber(1, 65535);

/** A percentage written as a plain number 0–100, as Istio's API writes them (`percentage.value`, `maxEjectionPercent`). */
export const percentNumber = z
  .number({ error: (iss) => `must be a number from 0 to 100 (got ${describe(iss.input)})` })
  .min(0, { message: 'must be a number from 0 to 100' })
  .max(100, { message: 'must be a number from 0 to 100' });

/** The HTTP methods a scenario's requests use (`traffic[].method`, `calls[].method`). */
export const httpMethod = z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']);

/** A request rate written `20/s` or `300/m`, read as requests per second. */
export const ratePerSec = z.string({ error: (iss) => `must be a rate like 20/s or 300/m (got ${describe(iss.input)})` }).transform((text, ctx) => {
  const m = RATE_RE.exec(text.trim());
  if (!m || Number(m[1]) <= 0) {
    ctx.addIssue({ code: 'custom', message: `must be a rate above zero like 20/s or 300/m (got ${describe(text)})` });
    return z.NEVER;
  }
  return Number(m[1]) / (m[2] === 's' ? 1 : 60);
});

/** A comparison used by `expect`: `">= 0.99"`, `"< 5"`, `"== 0"`, or a bare number (equality). */
/** A comparison for `expect`, parsed into operator and value (`250ms` → 250, `5%` → 0.05). */
export const comparison = z
  .union([z.string(), z.number()], { error: (iss) => `must be a comparison like ">= 0.99" or a number (got ${describe(iss.input)})` })
  .transform((v, ctx): Comparison => {
    if (typeof v === 'number') return { op: '==', value: v, text: `== ${v}` };
    const m = COMPARISON_RE.exec(v);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `must be a comparison like ">= 0.99", "< 250ms" or a number (got ${describe(v)})` });
      return z.NEVER;
    }
    let value = Number(m[2]);
    if (m[3] === 's') value *= 1000;
    if (m[3] === '%') value /= 100;
    return { op: (m[1] ?? '==') as Comparison['op'], value, text: v.trim() };
  });
