/**
 * What a fault changed: a branch's run against the run it was made from (same scenario, knobs and
 * seed, one fault more). Requests are matched by id; the fault acts from its time on, so the
 * figures are split there — before it nothing should differ, after it the learner reads what
 * the fault did: "after 4.2 s: 37 requests failed that succeeded before".
 */
import { formatDuration } from './format.ts';

/** The part of a run report's request list this needs. */
export interface RequestOutcome {
  id: string;
  endMs: number;
  status: number;
}

export interface WhatIfSummary {
  atMs: number;
  /** Requests that ended before the fault's time with another status than in the earlier run. */
  changedBefore: number;
  /** Requests ending at or after it that succeeded in the earlier run and failed in this one. */
  newlyFailed: number;
  /** ... that failed before and succeed now. */
  newlyOk: number;
  /** Requests (at or after it) made in only one of the runs. */
  onlyBefore: number;
  onlyAfter: number;
  /** The summary in words. */
  text: string;
}

const isOk = (status: number): boolean => status >= 200 && status < 300;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** How `after` (with the fault at `atMs`) differs from `before`. */
export function whatIf(before: readonly RequestOutcome[], after: readonly RequestOutcome[], atMs: number): WhatIfSummary {
  const earlier = new Map(before.map((r) => [r.id, r]));
  const seen = new Set<string>();
  let changedBefore = 0;
  let newlyFailed = 0;
  let newlyOk = 0;
  let onlyAfter = 0;
  for (const r of after) {
    seen.add(r.id);
    const b = earlier.get(r.id);
    const late = r.endMs >= atMs || (b !== undefined && b.endMs >= atMs);
    if (!b) {
      if (late) onlyAfter++;
      else changedBefore++;
      continue;
    }
    if (!late) {
      if (b.status !== r.status) changedBefore++;
      continue;
    }
    if (isOk(b.status) && !isOk(r.status)) newlyFailed++;
    else if (!isOk(b.status) && isOk(r.status)) newlyOk++;
  }
  let onlyBefore = 0;
  for (const b of before) {
    if (seen.has(b.id)) continue;
    if (b.endMs >= atMs) onlyBefore++;
    else changedBefore++;
  }
  const at = formatDuration(atMs);
  const parts = [`${plural(newlyFailed, 'request')} failed that succeeded before`];
  if (newlyOk) parts.push(`${plural(newlyOk, 'request')} succeeded that failed before`);
  if (onlyBefore) parts.push(`${plural(onlyBefore, 'request')} no longer finished`);
  if (onlyAfter) parts.push(`${plural(onlyAfter, 'request')} finished that had not`);
  const beforeText = changedBefore === 0 ? `before ${at} nothing changed` : `before ${at}: ${plural(changedBefore, 'request')} changed`;
  return { atMs, changedBefore, newlyFailed, newlyOk, onlyBefore, onlyAfter, text: `after ${at}: ${parts.join(', ')}; ${beforeText}.` };
}
