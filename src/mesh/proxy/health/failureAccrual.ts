/**
 * Linkerd failure accrual (FIDELITY C3): after `maxFailures` consecutive failures an endpoint
 * becomes unavailable to the balancer for a backoff — min-penalty doubling per failed probe up to
 * max-penalty, plus jitter — then enters probation, where exactly one request may probe it. A
 * good probe makes it available again; a bad one sends it back for the next, longer backoff.
 * The backoff follows linkerd-exp-backoff: base = min(max, min·2^n), jitter uniform on
 * [0, base·ratio] but never past max.
 *
 * `unified` (Linkerd 2.20; linkerd2-proxy linkerd/app/outbound/src/http/breaker/unified.rs) adds a
 * success-rate window: the endpoint also becomes unavailable once at least min-requests answers in
 * the window succeed less often than the threshold. 5xx and errors count against both; a 429 only
 * against the window (it is not a hard failure) and it fails a probe (the server is shedding load).
 * Consecutive failures are checked first. After a good probe the window starts empty.
 */
import type { FailureAccrualPolicy } from '../../config.ts';
import type { HttpResponse, Pod } from '../../types.ts';
import type { World } from '../../world.ts';
import type { Proxy } from '../Proxy.ts';
import { HealthMachines, isFailure, type HealthTracker } from './tracker.ts';
import { expBackoffMs } from '../../backoff.ts';
import { SuccessRateWindow } from './successRateWindow.ts';

interface EndpointState {
  failures: number;
  state: 'available' | 'unavailable' | 'probation';
  iteration: number;
  probing: boolean;
  /** `unified` with a threshold above 0 only. */
  window?: SuccessRateWindow;
}

/** HTTP 429: counts against unified's success rate and fails its probe, but is no consecutive failure (unified.rs is_rate_limit_signal). */
const RATE_LIMITED = 429;

/** linkerd-exp-backoff: the delay before probation number `iteration` (0-based). */
export function accrualBackoffMs(p: FailureAccrualPolicy, iteration: number, u: number): number {
  return expBackoffMs({ minMs: p.minPenaltyMs, maxMs: p.maxPenaltyMs, jitter: p.jitterRatio }, iteration, u);
}

export class FailureAccrual implements HealthTracker {
  private readonly endpoints = new Map<string, EndpointState>();
  private readonly machines: HealthMachines;

  constructor(
    private readonly world: World,
    private readonly proxy: Proxy,
    readonly policy: FailureAccrualPolicy,
  ) {
    this.machines = new HealthMachines(world, proxy);
  }

  private of(name: string): EndpointState {
    let e = this.endpoints.get(name);
    if (!e) {
      e = { failures: 0, state: 'available', iteration: 0, probing: false };
      const rate = this.policy.successRate;
      if (rate) e.window = new SuccessRateWindow(rate.windowMs, this.world.now);
      this.endpoints.set(name, e);
    }
    return e;
  }

  usable(endpoints: readonly Pod[]): { pods: Pod[]; note?: string } {
    const pods = endpoints.filter((p) => {
      const e = this.endpoints.get(p.name);
      return !e || e.state === 'available' || (e.state === 'probation' && !e.probing);
    });
    return pods.length === endpoints.length
      ? { pods }
      : { pods, note: `${endpoints.length - pods.length} of ${endpoints.length} unavailable (failure accrual)` };
  }

  dispatched(pod: Pod, requestId: string): void {
    const e = this.of(pod.name);
    if (e.state !== 'probation' || e.probing) return;
    e.probing = true;
    this.world.decide({
      node: this.proxy.node,
      layer: 'failureAccrual',
      kind: 'probe',
      summary: `${pod.name} is in probation: this request is its one probe`,
      cause: this.policy.cause,
      requestId,
    });
  }

  observe(pod: Pod, res: HttpResponse, _hosts: number, requestId: string): void {
    const e = this.of(pod.name);
    const failed = isFailure(res);
    const unified = this.policy.mode === 'unified';
    if (e.state === 'probation' && e.probing) {
      e.probing = false;
      if (failed || (unified && res.status === RATE_LIMITED)) {
        e.iteration++;
        this.trip(pod, e, `probe failed (${res.status || res.failure})`, requestId, 'accrual.probeFailed');
      } else {
        e.state = 'available';
        e.failures = 0;
        e.iteration = 0;
        e.window?.reset(this.world.now);
        this.world.decide({
          node: this.proxy.node,
          layer: 'failureAccrual',
          kind: 'recovered',
          summary: `${pod.name} answered its probe: available again`,
          cause: this.policy.cause,
          requestId,
        });
        this.machines.send(pod, { type: 'accrual.probeSucceeded' });
      }
      return;
    }
    if (e.state !== 'available') return;
    // unified.rs: the consecutive count first (off at 0 in both modes: consecutive_failures.rs trips on
    // `failures == max_failures`, which a count starting at 1 never meets), then the window.
    e.failures = failed ? e.failures + 1 : 0;
    const max = this.policy.maxFailures;
    if (max > 0 && e.failures >= max) {
      e.iteration = 0;
      this.trip(pod, e, `${e.failures} consecutive failures`, requestId, 'accrual.tripped');
      return;
    }
    const rate = this.policy.successRate;
    if (!e.window || !rate) return;
    e.window.record(!failed && res.status !== RATE_LIMITED, this.world.now);
    if (e.window.shouldTrip(rate.minRequests, rate.threshold)) {
      const { successes, total } = e.window.counts();
      e.iteration = 0;
      const pct = (x: number): string => `${Math.round(x * 100)}%`;
      const why = `success rate ${successes} of ${total} (${pct(successes / total)}) in the last ${rate.windowMs / 1000}s, below ${pct(rate.threshold)}`;
      this.trip(pod, e, why, requestId, 'accrual.tripped');
    }
  }

  private trip(pod: Pod, e: EndpointState, why: string, requestId: string, event: 'accrual.tripped' | 'accrual.probeFailed'): void {
    const w = this.world;
    const penalty = accrualBackoffMs(this.policy, e.iteration, this.proxy.rng.next());
    e.state = 'unavailable';
    e.failures = 0;
    w.stats.ejections.push({ endpoint: pod.name, by: this.proxy.name, atMs: w.now, untilMs: w.now + penalty, reason: `failure accrual: ${why}` });
    w.decide({
      node: this.proxy.node,
      layer: 'failureAccrual',
      kind: 'ejection',
      summary: `${pod.name} unavailable: ${why}; probation in ${penalty}ms`,
      cause: this.policy.cause,
      requestId,
    });
    this.machines.send(pod, { type: event });
    w.scheduler.after(penalty, () => {
      if (e.state !== 'unavailable') return;
      e.state = 'probation';
      this.machines.send(pod, { type: 'accrual.probation' });
    });
  }
}
