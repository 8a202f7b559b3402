/**
 * The application inside a pod: how long it takes to answer and how it misbehaves. The scenario's
 * `faults` (error rate, scripted responses, delay) act here, below the mesh, so the mesh has to
 * cope with them; crashes are handled by the pod's lifecycle.
 */
import type { Rng } from '../sim/index.ts';
import type { FaultSpec, ServiceSpec } from '../scenario/index.ts';

/** 2.326 is the standard normal quantile at 0.99: p99 = p50 · e^(2.326 σ) for a log-normal. */
const Z99 = 2.326;

export interface AppAnswer {
  status: number;
  delayMs: number;
  /** Which fault shaped the answer, for the trace. */
  fault?: string;
  /** Its index in the scenario's `faults`. */
  faultIndex?: number;
}

/** A fault with its index in the scenario's list (so decisions can cite its line). */
export interface IndexedFault {
  spec: FaultSpec;
  index: number;
}

export class AppBehaviour {
  private scripted: { fault: IndexedFault; queue: number[] }[];

  constructor(
    private readonly latency: ServiceSpec['latency'],
    private readonly faults: readonly IndexedFault[],
    private readonly rng: Rng,
  ) {
    this.scripted = faults.filter((f) => f.spec.responses).map((f) => ({ fault: f, queue: [...f.spec.responses!] }));
  }

  /**
   * Whether the app closes the connection before reading a request arriving at `nowMs` (a
   * `resets` fault): the index of the fault that did, or undefined.
   */
  resetsConnection(nowMs: number): number | undefined {
    const faults = this.faults;
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i]!.spec;
      if (f.resets && active(f, nowMs) && this.rng.chance(f.resets.rate)) return faults[i]!.index;
    }
    return undefined;
  }

  /** The app's answer to a request arriving at `nowMs`. */
  answer(nowMs: number): AppAnswer {
    let delayMs = this.sampleLatency();
    let status = 200;
    let fault: string | undefined;
    let faultIndex: number | undefined;
    const faults = this.faults;
    for (let i = 0; i < faults.length; i++) {
      const { spec: f, index } = faults[i]!;
      if (!active(f, nowMs)) continue;
      if (f.delay && this.rng.chance(f.delay.rate)) {
        delayMs += f.delay.time;
        fault = `delay ${f.delay.time}ms`;
        faultIndex = index;
      }
      if (f.errors && status === 200 && this.rng.chance(f.errors.rate)) {
        status = f.errors.status;
        fault = `errors ${f.errors.status} at ${Math.round(f.errors.rate * 100)}%`;
        faultIndex = index;
      }
    }
    const scripted = this.scripted;
    for (let i = 0; i < scripted.length; i++) {
      const s = scripted[i]!;
      if (status === 200 && active(s.fault.spec, nowMs) && s.queue.length > 0) {
        status = s.queue.shift()!;
        fault = `scripted response ${status}`;
        faultIndex = s.fault.index;
      }
    }
    return fault === undefined ? { status, delayMs } : { status, delayMs, fault, faultIndex: faultIndex! };
  }

  private sampleLatency(): number {
    const l = this.latency;
    if (typeof l === 'number') return l;
    if (l.p99 <= l.p50 || l.p50 === 0) return l.p50;
    const sigma = Math.log(l.p99 / l.p50) / Z99;
    return Math.max(0, Math.round(l.p50 * Math.exp(sigma * this.rng.normal())));
  }
}

function active(f: FaultSpec, nowMs: number): boolean {
  return (f.from === undefined || nowMs >= f.from) && (f.until === undefined || nowMs < f.until);
}
