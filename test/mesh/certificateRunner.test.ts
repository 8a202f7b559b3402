import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { Scheduler, TraceRecorder, startXstateActor, type RecordedActor } from '../../src/sim/index.ts';
import { certificateMachine, type CertificateEvent } from '../../src/mesh/machines/certificateMachine.ts';
import { CertificateRunner } from '../../src/mesh/machines/certificateRunner.ts';

/** What a test does next: send an event, let time pass, or stop the actor. */
type Action = { send: CertificateEvent } | { waitMs: number } | { stop: true };

/** What a CSR sent on entry leads to, in the test's world: an answer some time later (or none). */
type Answer = { issued: { renewInMs: number; expireInMs: number }; afterMs: number } | { failed: number; afterMs: number } | null;

interface Log {
  transitions: unknown[];
  /** Every call the runner made on the clock, in order: `at <time>` (with the id it got) or `cancel <id>`, and each sendCsr. */
  calls: string[];
}

/**
 * Runs `actions` through one runner on a clock that logs every call; each CSR the machine sends
 * (its entry action) is answered by the next of `answers` (none once they run out) in a task of its own, as identity.ts does.
 */
function run(start: (s: Scheduler, r: TraceRecorder, sendCsr: () => void) => RecordedActor, actions: Action[], answers: Answer[], sync: boolean): Log {
  const scheduler = new Scheduler();
  const recorder = new TraceRecorder();
  const calls: string[] = [];
  const at = scheduler.at.bind(scheduler);
  const cancel = scheduler.cancel.bind(scheduler);
  scheduler.at = (t, task) => {
    const id = at(t, task);
    calls.push(`at ${t} #${id}`);
    return id;
  };
  scheduler.cancel = (id) => {
    calls.push(`cancel #${id}`);
    cancel(id);
  };
  let csr = 0;
  const answer = (): void => {
    const a = answers[csr++] ?? null;
    if (!a) return;
    // Called only once the actor below runs (its first CSR goes on proxy.started).
    const deliver = (): void => actor.send('issued' in a ? { type: 'cert.issued', ...a.issued } : { type: 'csr.failed', retryInMs: a.failed });
    // Also from inside the step (an event sent while the actor is busy waits in its mailbox).
    if (sync && a.afterMs === 0) deliver();
    else scheduler.after(a.afterMs, deliver);
  };
  const sendCsr = (): void => {
    calls.push(`csr @${scheduler.now}`);
    answer();
  };
  const actor = start(scheduler, recorder, sendCsr);
  let t = 0;
  for (const a of actions) {
    if ('send' in a) actor.send(a.send as never);
    else if ('stop' in a) actor.stop();
    else scheduler.runUntil((t += a.waitMs));
  }
  scheduler.runUntil(t + 100_000);
  recorder.store.seal();
  return { transitions: Array.from({ length: recorder.store.length }, (_, i) => recorder.store.plain(i)), calls };
}

const viaXstate = (retryInMs: number) => (scheduler: Scheduler, recorder: TraceRecorder, sendCsr: () => void) =>
  startXstateActor(certificateMachine, { scheduler, recorder, entity: 'cert:a', node: 'a/proxy', input: { retryInMs, sendCsr } });
const viaRunner = (retryInMs: number) => (scheduler: Scheduler, recorder: TraceRecorder, sendCsr: () => void) =>
  new CertificateRunner({ scheduler, recorder, entity: 'cert:a', node: 'a/proxy', retryInMs, sendCsr });

const ms = fc.integer({ min: 0, max: 400 });
const event: fc.Arbitrary<CertificateEvent> = fc.oneof(
  fc.constant({ type: 'proxy.started' as const }),
  fc.record({ type: fc.constant('cert.issued' as const), renewInMs: ms, expireInMs: ms }),
  fc.record({ type: fc.constant('csr.failed' as const), retryInMs: ms }),
  fc.constant({ type: 'cert.expired' as const }),
  fc.constant({ type: 'proxy.stopped' as const }),
);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: event.map((send) => ({ send })) },
  { weight: 4, arbitrary: ms.map((waitMs) => ({ waitMs })) },
  { weight: 1, arbitrary: fc.constant({ stop: true as const }) },
);
const answer: fc.Arbitrary<Answer> = fc.oneof(
  fc.record({ issued: fc.record({ renewInMs: ms, expireInMs: ms }), afterMs: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ failed: ms, afterMs: fc.integer({ min: 0, max: 50 }) }),
  fc.constant(null),
);

describe('the certificate machine without xstate', () => {
  // xstate warns (in development builds) about events sent to a stopped actor.
  beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  it('records the same transitions and makes the same clock calls and CSRs as the xstate actor, for any events, answers and timing', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), fc.array(answer, { maxLength: 6 }), ms, fc.boolean(), (actions, answers, retryInMs, sync) => {
        expect(run(viaRunner(retryInMs), actions, answers, sync)).toEqual(run(viaXstate(retryInMs), actions, answers, sync));
      }),
      { numRuns: 600 },
    );
  });

  it('renews, retries a failed renewal and expires as the machine says (a hand-checked run)', () => {
    // Issued at 0 (renew at 50, expire at 100); the renewal fails (retry after 30), the next CSR goes unanswered: expired at 100.
    const log = run(
      viaRunner(10),
      [{ send: { type: 'proxy.started' } }],
      [
        { issued: { renewInMs: 50, expireInMs: 100 }, afterMs: 0 },
        { failed: 30, afterMs: 0 },
      ],
      false,
    );
    const states = log.transitions.map((e) => (e as { to: string; t: number }).t + ' ' + (e as { to: string }).to);
    expect(states).toEqual([
      '0 none',
      '0 requesting',
      '0 issued.valid',
      '50 issued.renewing',
      '50 issued.renewBackoff',
      '80 issued.renewing',
      '100 expired.requesting',
    ]);
  });
});
