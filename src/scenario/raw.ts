/**
 * Reading the scenario's raw data (what the file holds, before the schema) defensively: the
 * checks that run beside the schema (references, policy references, ignored settings) report
 * even when the schema found other problems, so they never assume a shape.
 */
import { didYouMean } from './messages.ts';
import { describe } from './units.ts';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `(did you mean "reviews"?)`, or nothing when no candidate is close. */
export function guessHint(value: string, candidates: readonly string[]): string {
  const guess = didYouMean(value, candidates);
  return guess ? ` (did you mean ${describe(guess)}?)` : '';
}
