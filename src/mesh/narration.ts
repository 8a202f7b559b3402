/**
 * Scenario narration placed in the trace: lines with `at` at their time; lines with `on` right
 * after the first event of their kind (the first retry, the first failed handshake, ...). Which
 * decisions fire which trigger is in the decision table (src/sim/decisions.ts).
 */
import type { NarrationSpec } from '../scenario/index.ts';
import { DECISION_KINDS, type NarrationTrigger, type TraceEvent } from '../sim/index.ts';

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

/** Inserts the scenario's narration into the event list and renumbers `seq`. */
export function weaveNarration(events: TraceEvent[], narration: readonly NarrationSpec[]): TraceEvent[] {
  if (narration.length === 0) return events;
  const timed = narration.filter((n) => n.at !== undefined).sort((a, b) => a.at! - b.at!);
  const pending = narration.filter((n) => n.on !== undefined);
  const out: TraceEvent[] = [];
  let ti = 0;
  const emit = (e: TraceEvent): void => {
    e.seq = out.length;
    out.push(e);
  };
  for (const e of events) {
    while (ti < timed.length && timed[ti]!.at! <= e.t) emit({ type: 'narration', t: timed[ti]!.at!, seq: 0, text: timed[ti++]!.text });
    emit(e);
    for (let i = 0; i < pending.length; i++) {
      if (triggers(pending[i]!.on!, e)) {
        emit({ type: 'narration', t: e.t, seq: 0, text: pending[i]!.text, ...('node' in e && e.node ? { node: e.node } : {}) });
        pending.splice(i--, 1);
      }
    }
  }
  while (ti < timed.length) emit({ type: 'narration', t: timed[ti]!.at!, seq: 0, text: timed[ti++]!.text });
  return out;
}
