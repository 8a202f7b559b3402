/**
 * Reading the scenario's raw data (what the file holds, before the schema) defensively: the
 * checks that run beside the schema (references, policy references, ignored settings) report
 * even when the schema found other problems, so they never assume a shape.
 */
import { didYouMean } from './messages.ts';
import { describe } from './units.ts';
import type { PathProblem } from './load.ts';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `(did you mean "reviews"?)`, or nothing when no candidate is close. */
export function guessHint(value: string, candidates: readonly string[]): string {
  const guess = didYouMean(value, candidates);
  return guess ? ` (did you mean ${describe(guess)}?)` : '';
}

/** Reports every item whose id (by `idOf`) repeats an earlier one, at `field` of the repeat. */
export function unique(
  items: unknown[],
  section: (string | number)[],
  idOf: ((item: Obj) => unknown) | undefined,
  field: string | string[] | undefined,
  message: (id: string) => string,
  problems: PathProblem[],
): void {
  const first = new Map<string, number>();
  const at = (i: number): (string | number)[] => [...section, i, ...(field === undefined ? [] : Array.isArray(field) ? field : [field])];
  items.forEach((item, i) => {
    const id = idOf === undefined ? item : isObj(item) ? idOf(item) : undefined;
    if (typeof id !== 'string') return;
    const j = first.get(id);
    if (j === undefined) first.set(id, i);
    else problems.push({ path: at(i), message: message(id), first: { path: at(j), text: 'first declared' } });
  });
}
