/**
 * Scenario narration placed in the trace: lines with `at` at their time; lines with `on` right
 * after the first event of their kind (the first retry, the first failed handshake, ...). Which
 * decisions fire which trigger is in the decision table (src/sim/decisions.ts).
 */
import type { NarrationSpec } from '../scenario/index.ts';
import {
  DECISION_KINDS,
  ROW_DECISION,
  ROW_FLIGHT,
  ROW_REQUEST_END,
  ROW_REQUEST_START,
  ROW_TRANSITION,
  type DecisionKind,
  type NarrationTrigger,
  type TraceEvent,
  type TraceStore,
} from '../sim/index.ts';

/** Whether `e` is an event of the kind a narration trigger waits for. */
export function triggers(on: NarrationTrigger, e: TraceEvent): boolean {
  if (e.type === 'decision') {
    const info = DECISION_KINDS[e.kind];
    return 'narration' in info && info.narration === on;
  }
  switch (on) {
    case 'request':
      return e.type === 'request' && e.phase === 'start';
    case 'rotation':
      return e.type === 'transition' && e.machine === 'certificate' && e.to === 'issued.renewing';
    case 'config-push':
      return e.type === 'flight' && e.kind === 'config';
    case 'failure':
      return e.type === 'request' && e.phase === 'end' && (e.status === 0 || e.status >= 500);
    case 'crash':
      return e.type === 'transition' && e.machine === 'workload' && e.to === 'crashed';
    case 'restart':
      return e.type === 'transition' && e.machine === 'workload' && e.from === 'crashed';
    default:
      // The others (retry, timeout, handshake, deny, fault...) are decisions, answered above.
      return false;
  }
}

/**
 * Whether row `i` of `s` may be an event `on` waits for, read from its columns (its type; a
 * decision's kind, a flight's kind, a transition's machine): only such rows are read as events and
 * put to {@link triggers}, instead of a view made for every row.
 */
export function mayTrigger(on: NarrationTrigger, s: TraceStore, i: number): boolean {
  const type = s.type[i];
  if (type === ROW_DECISION) {
    const info = DECISION_KINDS[s.strings[s.c[i]!] as DecisionKind] as (typeof DECISION_KINDS)[DecisionKind] | undefined;
    return info !== undefined && 'narration' in info && info.narration === on;
  }
  switch (on) {
    case 'request':
      return type === ROW_REQUEST_START;
    case 'failure':
      return type === ROW_REQUEST_END;
    case 'config-push':
      return type === ROW_FLIGHT && s.strings[s.c[i]!] === 'config';
    case 'rotation':
      return type === ROW_TRANSITION && s.strings[s.c[i]!] === 'certificate';
    case 'crash':
    case 'restart':
      return type === ROW_TRANSITION && s.strings[s.c[i]!] === 'workload';
    default:
      return false;
  }
}

/** Inserts the scenario's narration among the recorded events (a new store; `seq` is the new position). */
export function weaveNarration(events: TraceStore, narration: readonly NarrationSpec[]): TraceStore {
  if (narration.length === 0) return events;
  const timed = narration.filter((n) => n.at !== undefined).sort((a, b) => a.at! - b.at!);
  const pending = narration.filter((n) => n.on !== undefined);
  const out = events.sharingTables(events.length + narration.length);
  let ti = 0;
  const say = (t: number, text: string, node?: string): void => {
    out.push({ type: 'narration', t, text, ...(node ? { node } : {}) });
  };
  // Rows go over in runs, a typed-array copy per column: from `copied` up to the row a line goes before or after.
  let copied = 0;
  for (let i = 0; i < events.length; i++) {
    const t = events.t[i]!;
    if (ti < timed.length && timed[ti]!.at! <= t) {
      out.copyRange(events, copied, i);
      copied = i;
      while (ti < timed.length && timed[ti]!.at! <= t) say(timed[ti]!.at!, timed[ti++]!.text);
    }
    if (pending.length === 0) continue;
    let e: TraceEvent | undefined;
    for (let k = 0; k < pending.length; k++) {
      if (!mayTrigger(pending[k]!.on!, events, i)) continue;
      e ??= events.view(i);
      if (triggers(pending[k]!.on!, e)) {
        if (copied <= i) {
          out.copyRange(events, copied, i + 1);
          copied = i + 1;
        }
        say(t, pending[k]!.text, 'node' in e ? e.node : undefined);
        pending.splice(k--, 1);
      }
    }
  }
  out.copyRange(events, copied, events.length);
  while (ti < timed.length) say(timed[ti]!.at!, timed[ti++]!.text);
  return out.seal();
}
