/**
 * Turns zod issues into the messages a course author reads: what the field must be, what the
 * file holds there, and for a misspelt key the key it probably meant.
 */
import type { core } from 'zod';
import { UNKNOWN_KEYS_MARK } from './zodSetup.ts';
import { describe } from './units.ts';

export { pathString } from './problem.ts';

/**
 * Edit distance for "did you mean", case-insensitive, counting a swap of two neighbouring letters
 * as one edit (optimal string alignment): `tilte` is one slip away from `title`, not two.
 */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  // d[i][j]: distance between the first i letters of x and the first j of y.
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[x.length]![y.length]!;
}

/** The closest candidate, if it is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return best !== undefined && bestD <= limit ? best : undefined;
}

/** Keys an unknown-key issue allows (carried in its message by zodSetup). */
export function allowedKeys(issue: core.$ZodIssue): string[] {
  if (issue.message.startsWith(UNKNOWN_KEYS_MARK)) return JSON.parse(issue.message.slice(UNKNOWN_KEYS_MARK.length)) as string[];
  return [];
}

/** What the file holds at an issue's path; `present` is false when the key is absent. */
export interface RawValue {
  present: boolean;
  value: unknown;
}

const ZOD_DEFAULT = /^(Invalid|Too small|Too big|Unrecognized|Expected)/;

/**
 * The message for one issue. The value quoted as "got" is read from the file (`raw`), not from
 * the issue: inside native resources zod reports a missing field's input as the whole resource.
 */
export function issueMessage(issue: core.$ZodIssue, raw: RawValue): string {
  if (issue.code === 'invalid_type' && !raw.present) return 'is required';
  if (!ZOD_DEFAULT.test(issue.message)) return withGot(issue.message, raw);
  const got = describe(raw.value);
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)} (got ${got})`;
    case 'invalid_value': {
      if (issue.values.length === 1) return `must be ${JSON.stringify(issue.values[0])} (got ${got})`;
      const guess = typeof raw.value === 'string' ? didYouMean(raw.value, issue.values.map(String)) : undefined;
      return `must be one of ${issue.values.map(String).join(', ')} (got ${got}${guess ? `; did you mean ${describe(guess)}?` : ''})`;
    }
    case 'too_small':
      if (issue.origin === 'array') return `must list at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      return `must be ${issue.inclusive ? '≥' : '>'} ${issue.minimum} (got ${got})`;
    case 'too_big':
      if (issue.origin === 'array') return `must list at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be ${issue.inclusive ? '≤' : '<'} ${issue.maximum} (got ${got})`;
    case 'invalid_union':
      return `has an unexpected form (got ${got})`;
    case 'invalid_format':
      return `must match the ${issue.format} format (got ${got})`;
    default:
      return issue.message;
  }
}

/**
 * Adds `(got 2.5)` to a schema's own "must ..." message that does not quote the value, so every
 * message says what was found (`replicas must be a whole number ≥ 1 (got 2.5)`).
 */
export function withGot(message: string, raw: RawValue): string {
  if (!message.startsWith('must') || message.includes('(got') || !raw.present) return message;
  const v = raw.value;
  if (v === '' || (typeof v === 'object' && v !== null)) return message;
  // `... (letters, digits, dashes)` becomes `... (letters, digits, dashes; got "Demo")`.
  return message.endsWith(')') ? `${message.slice(0, -1)}; got ${describe(v)})` : `${message} (got ${describe(v)})`;
}

function article(expected: string): string {
  const names: Record<string, string> = {
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
    object: 'a mapping',
    array: 'a list',
    int: 'a whole number',
    record: 'a mapping',
  };
  return names[expected] ?? expected;
}
