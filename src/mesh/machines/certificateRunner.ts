/**
 * The certificate machine ({@link certificateMachine}) run without xstate: the same states,
 * events, timers and `sendCsr` calls, in the same order on the engine's clock, recording the same
 * transitions. An xstate actor makes a system, a snapshot per step and closures per timer; a run
 * with 600 pods starts 600 of them, and certificate-rotation's CSR retry loop steps one thousands
 * of times. The xstate definition stays the reference (the inspector draws it, and
 * test/mesh/certificateRunner.test.ts drives both with the same events and compares everything
 * they do).
 *
 * What xstate v5 does, and so this does, for one event: the transition's `assign` (store,
 * storeRetry), then the entry action `sendCsr` of each state entered, at once; after the step, the
 * timers — first the cancels of the states left (innermost first), then the `after` timers of the
 * states entered (outermost first) — and last the recorded transition (the actor's observer).
 * A timer that fired is not cancelled again. `stop()` cancels what is pending and ignores later events.
 */
import type { RecordedActor, Scheduler, TimerId, TraceRecorder } from '../../sim/index.ts';
import type { certificateMachine, CertificateEvent } from './certificateMachine.ts';

type Top = 'none' | 'requesting' | 'backoff' | 'issued' | 'expired';
type Inner = 'valid' | 'renewing' | 'renewBackoff' | 'requesting' | 'backoff' | null;

/** Where a certificate runner lives, as {@link RecordedActorOptions} without the machine. */
export interface CertificateRunnerOptions {
  scheduler: Scheduler;
  recorder: TraceRecorder;
  entity: string;
  node: string;
  /** Wait before trying again after a failed CSR, until a `csr.failed` says otherwise. */
  retryInMs: number;
  /** Called (inside the step, as the entry action) each time a state that sends a CSR is entered. */
  sendCsr: () => void;
}

/** The timer each state with `after` keeps while it is active. */
interface Timers {
  expiry: TimerId | null;
  renew: TimerId | null;
  retry: TimerId | null;
}

/** Runs one certificate's machine as {@link certificateMachine} would, recording its transitions. */
export class CertificateRunner implements RecordedActor<typeof certificateMachine> {
  private top: Top = 'none';
  private inner: Inner = null;
  private stopped = false;
  private renewInMs = 0;
  private expireInMs = 0;
  private retryInMs: number;
  private readonly timers: Timers = { expiry: null, renew: null, retry: null };
  private readonly scheduler: Scheduler;
  private readonly recorder: TraceRecorder;
  private readonly entity: string;
  private readonly node: string;
  private readonly sendCsr: () => void;
  /** Cancels and timers of the current step, run after it (xstate's deferred actions), in order. */
  private readonly leaving: (keyof Timers)[] = [];
  private readonly entering: (keyof Timers)[] = [];

  constructor(opts: CertificateRunnerOptions) {
    this.scheduler = opts.scheduler;
    this.recorder = opts.recorder;
    this.entity = opts.entity;
    this.node = opts.node;
    this.retryInMs = opts.retryInMs;
    this.sendCsr = opts.sendCsr;
    this.recorder.store.pushTransition(this.scheduler.now, this.entity, 'certificate', this.node, undefined, null, 'none', 'start');
  }

  /** The state as xstate names it (`issued.valid`). */
  private get name(): string {
    return this.inner === null ? this.top : `${this.top}.${this.inner}`;
  }

  getSnapshot(): { value: unknown } {
    return { value: this.inner === null ? this.top : { [this.top]: this.inner } };
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const k of ['expiry', 'renew', 'retry'] as const) this.cancel(k);
  }

  send(event: CertificateEvent): void {
    if (this.stopped) return;
    // The recorded cause is the last event that came in, as startXstateActor captures it at the actor's door.
    this.lastEvent = event.type;
    // An event sent from inside a step waits for the step to end, as in xstate's mailbox.
    if (this.busy) {
      this.mailbox.push(event);
      return;
    }
    this.busy = true;
    let next: CertificateEvent | undefined = event;
    while (next) {
      const from = this.name;
      if (this.transition(next)) this.finish(from);
      next = this.stopped ? undefined : this.mailbox.shift();
    }
    this.mailbox.length = 0;
    this.busy = false;
  }

  private busy = false;
  private lastEvent = 'start';
  private readonly mailbox: CertificateEvent[] = [];

  /** Takes the transition `event` selects, if any (false when the state has none for it). */
  private transition(event: CertificateEvent): boolean {
    const top = this.top;
    const inner = this.inner;
    switch (event.type) {
      case 'proxy.stopped':
        // The root's transition to `.none`: every active state is left, `none` entered.
        this.exitAll();
        this.top = 'none';
        return true;
      case 'proxy.started':
        if (top !== 'none') return false;
        this.exitAll();
        this.enter('requesting', null);
        return true;
      case 'cert.issued':
        // `issued` re-enters itself; `requesting` and `expired` go to it. Elsewhere nothing handles it.
        if (top !== 'issued' && top !== 'requesting' && top !== 'expired') return false;
        this.exitAll();
        this.renewInMs = event.renewInMs;
        this.expireInMs = event.expireInMs;
        this.enter('issued', 'valid');
        return true;
      case 'csr.failed':
        if (top === 'requesting') {
          this.exitAll();
          this.retryInMs = event.retryInMs;
          this.enter('backoff', null);
          return true;
        }
        if ((top === 'issued' && inner === 'renewing') || (top === 'expired' && inner === 'requesting')) {
          this.exitInner();
          this.retryInMs = event.retryInMs;
          this.enterInner(top === 'issued' ? 'renewBackoff' : 'backoff');
          return true;
        }
        return false;
      case 'cert.expired':
        if (top !== 'issued') return false;
        this.exitAll();
        this.enter('expired', 'requesting');
        return true;
    }
  }

  /** A timer of the active states fired (leaving a state cancels its timers): its `after` transition. */
  private fire(which: keyof Timers): void {
    this.timers[which] = null;
    if (this.stopped) return;
    this.busy = true;
    this.lastEvent = 'timer';
    const from = this.name;
    const top = this.top;
    if (which === 'expiry') {
      this.exitAll();
      this.enter('expired', 'requesting');
    } else if (which === 'renew') {
      this.exitInner();
      this.enterInner('renewing');
    } else if (top === 'backoff') {
      this.exitAll();
      this.enter('requesting', null);
    } else {
      this.exitInner();
      this.enterInner(top === 'issued' ? 'renewing' : 'requesting');
    }
    this.finish(from);
    this.busy = false;
    const queued = this.mailbox.shift();
    if (queued) this.send(queued);
  }

  /** The end of a step: the cancels of the states left, the timers of the states entered, then the record. */
  private finish(from: string): void {
    for (const k of this.leaving) this.cancel(k);
    for (const k of this.entering) this.arm(k);
    this.leaving.length = 0;
    this.entering.length = 0;
    const to = this.name;
    if (to !== from) this.recorder.store.pushTransition(this.scheduler.now, this.entity, 'certificate', this.node, undefined, from, to, this.lastEvent);
  }

  private exitInner(): void {
    const inner = this.inner;
    if (inner === 'valid') this.leaving.push('renew');
    else if (inner === 'renewBackoff' || inner === 'backoff') this.leaving.push('retry');
    this.inner = null;
  }

  /** Leaves every active state, innermost first. */
  private exitAll(): void {
    this.exitInner();
    if (this.top === 'backoff') this.leaving.push('retry');
    else if (this.top === 'issued') this.leaving.push('expiry');
  }

  /** Enters `top` (and its `inner`), outermost first: entry actions at once, timers after the step. */
  private enter(top: Top, inner: Inner): void {
    this.top = top;
    if (top === 'requesting') this.sendCsr();
    else if (top === 'backoff') this.entering.push('retry');
    else if (top === 'issued') this.entering.push('expiry');
    if (inner !== null) this.enterInner(inner);
  }

  private enterInner(inner: Exclude<Inner, null>): void {
    this.inner = inner;
    if (inner === 'renewing' || inner === 'requesting') this.sendCsr();
    else if (inner === 'valid') this.entering.push('renew');
    else this.entering.push('retry');
  }

  private arm(which: keyof Timers): void {
    const delay = which === 'expiry' ? this.expireInMs : which === 'renew' ? this.renewInMs : this.retryInMs;
    this.timers[which] = this.scheduler.after(delay, () => this.fire(which));
  }

  private cancel(which: keyof Timers): void {
    const id = this.timers[which];
    if (id === null) return;
    this.timers[which] = null;
    this.scheduler.cancel(id);
  }
}
