/**
 * Scenario narration placed in the trace: lines with `at` at their time; lines with `on` right
 * after the first event of their kind (the first retry, the first failed handshake, ...).
 */
import type { NarrationSpec } from '../scenario/index.ts';
import type { TraceEvent } from '../sim/index.ts';

type Trigger = NarrationSpec['on'] & string;

/** Whether `e` is an event of the kind a narration trigger waits for. */
export function triggers(on: Trigger, e: TraceEvent): boolean {
  switch (on) {
    case 'request':
      return e.type === 'request' && e.phase === 'start';
    case 'retry':
      return e.type === 'decision' && e.kind === 'retry';
    case 'timeout':
      return e.type === 'decision' && e.kind === 'timeout';
    case 'handshake':
      return e.type === 'decision' && e.kind === 'handshake-ok';
    case 'handshake-failed':
      return e.type === 'decision' && e.kind === 'handshake-failed';
    case 'certificate':
      return e.type === 'decision' && e.kind === 'certificate-signed';
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
    case 'deny':
      return e.type === 'decision' && e.kind === 'deny';
    case 'fault':
      return e.type === 'decision' && (e.kind === 'fault' || e.kind === 'fault-abort' || e.kind === 'fault-delay');
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
