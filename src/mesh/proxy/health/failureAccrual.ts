/**
 * Linkerd failure accrual (FIDELITY C3): after `maxFailures` consecutive failures an endpoint
 * becomes unavailable to the balancer for a backoff — min-penalty doubling per failed probe up to
 * max-penalty, plus jitter — then enters probation, where exactly one request may probe it. A
 * good probe makes it available again; a bad one sends it back for the next, longer backoff.
 * The backoff follows linkerd-exp-backoff: base = min(max, min·2^n), jitter uniform on
 * [0, base·ratio] but never past max.
 */
import type { FailureAccrualPolicy } from '../../config.ts';
import type { HttpResponse, Pod } from '../../types.ts';
import type { World } from '../../world.ts';
import type { Proxy } from '../Proxy.ts';
import { HealthMachines, isFailure, type HealthTracker } from './tracker.ts';
import { expBackoffMs } from '../../backoff.ts';

interface EndpointState {
  failures: number;
  state: 'available' | 'unavailable' | 'probation';
  iteration: number;
  probing: boolean;
}

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
    if (!e) this.endpoints.set(name, (e = { failures: 0, state: 'available', iteration: 0, probing: false }));
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
    if (e.state === 'probation' && e.probing) {
      e.probing = false;
      if (failed) {
        e.iteration++;
        this.trip(pod, e, `probe failed (${res.status || res.failure})`, requestId, 'accrual.probeFailed');
      } else {
        e.state = 'available';
        e.failures = 0;
        e.iteration = 0;
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
    if (!failed) {
      e.failures = 0;
      return;
    }
    if (++e.failures >= this.policy.maxFailures) {
      e.iteration = 0;
      this.trip(pod, e, `${e.failures} consecutive failures`, requestId, 'accrual.tripped');
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
