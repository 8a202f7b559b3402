/**
 * Istio outlier detection (Envoy consecutive-5xx / consecutive-gateway-error detectors — FIDELITY
 * C2): errors are counted inline per host; reaching the threshold ejects the host at once, for
 * baseEjectionTime × the number of times it has been ejected (capped at 300 s); ejected hosts
 * return at the first interval sweep after their time is up, and each sweep that finds a host
 * healthy lowers its multiplier. At most maxEjectionPercent of the hosts are ejected, but always
 * at least one. Locally originated failures (connect failures, resets, timeouts) count as 5xx in
 * the default, non-split mode.
 */
import type { OutlierPolicy } from '../../config.ts';
import type { HttpResponse, Pod } from '../../types.ts';
import type { World } from '../../world.ts';
import type { Proxy } from '../Proxy.ts';
import { HealthMachines, isFailure, type HealthTracker } from './tracker.ts';

interface HostState {
  consecutive5xx: number;
  consecutiveGateway: number;
  ejected: boolean;
  untilMs: number;
  multiplier: number;
  /** Index of the open ejection in the run's ejection list. */
  record: number;
}

export class OutlierDetector implements HealthTracker {
  private readonly hosts = new Map<string, HostState>();
  private readonly machines: HealthMachines;
  private sweepTimer: number | null = null;

  constructor(
    private readonly world: World,
    private readonly proxy: Proxy,
    readonly policy: OutlierPolicy,
  ) {
    this.machines = new HealthMachines(world, proxy);
  }

  private host(name: string): HostState {
    let h = this.hosts.get(name);
    if (!h) this.hosts.set(name, (h = { consecutive5xx: 0, consecutiveGateway: 0, ejected: false, untilMs: 0, multiplier: 0, record: -1 }));
    return h;
  }

  usable(endpoints: readonly Pod[]): { pods: Pod[]; note?: string } {
    const healthy = endpoints.filter((p) => !this.hosts.get(p.name)?.ejected);
    // Below minHealthPercent healthy, Envoy's panic mode balances over every host (FIDELITY C2).
    if (this.policy.minHealthPercent > 0 && (100 * healthy.length) / endpoints.length < this.policy.minHealthPercent)
      return {
        pods: [...endpoints],
        note: `only ${healthy.length} of ${endpoints.length} healthy, below minHealthPercent ${this.policy.minHealthPercent}%: balancing over all (panic)`,
      };
    return healthy.length === endpoints.length
      ? { pods: endpoints as Pod[] }
      : { pods: healthy, note: `${endpoints.length - healthy.length} of ${endpoints.length} ejected` };
  }

  dispatched(): void {}

  observe(pod: Pod, res: HttpResponse, hosts: number, requestId: string): void {
    const p = this.policy;
    const h = this.host(pod.name);
    if (h.ejected) return;
    // A TCP proxy sees connection results only: a connection that opened is a success (Consul tcp, FIDELITY-MORE I7).
    if (!isFailure(res) || (p.localOriginOnly && res.failure !== 'connect-failure')) {
      h.consecutive5xx = 0;
      h.consecutiveGateway = 0;
      return;
    }
    h.consecutive5xx++;
    // Local-origin failures are reported to the detector as 503, a gateway error.
    const gateway = res.failure !== undefined || res.status === 0 || (res.status >= 502 && res.status <= 504);
    h.consecutiveGateway = gateway ? h.consecutiveGateway + 1 : 0;
    const byGateway =
      p.consecutiveGateway > 0 && (p.consecutive5xx === 0 || p.consecutiveGateway < p.consecutive5xx) && h.consecutiveGateway >= p.consecutiveGateway;
    const by5xx = p.consecutive5xx > 0 && h.consecutive5xx >= p.consecutive5xx;
    if (byGateway || by5xx)
      this.eject(pod, h, hosts, byGateway ? `${h.consecutiveGateway} consecutive gateway errors` : `${h.consecutive5xx} consecutive 5xx`, requestId);
  }

  private eject(pod: Pod, h: HostState, hosts: number, why: string, requestId: string): void {
    const w = this.world;
    const ejectedNow = [...this.hosts.values()].filter((x) => x.ejected).length;
    const percent = (100 * (ejectedNow + 1)) / hosts;
    h.consecutive5xx = 0;
    h.consecutiveGateway = 0;
    if (ejectedNow > 0 && percent > this.policy.maxEjectionPercent) {
      w.decide({
        node: this.proxy.node,
        layer: 'outlierDetection',
        kind: 'ejection-skipped',
        summary: `${pod.name}: ${why}, but ejecting it would exceed maxEjectionPercent ${this.policy.maxEjectionPercent}% (${ejectedNow} of ${hosts} already out)`,
        cause: this.policy.cause,
        requestId,
      });
      return;
    }
    h.multiplier++;
    const duration = Math.min(this.policy.baseEjectionMs * h.multiplier, this.policy.maxEjectionMs);
    h.ejected = true;
    h.untilMs = w.now + duration;
    const interval = this.policy.intervalMs;
    const returnsAt = Math.ceil(h.untilMs / interval) * interval;
    h.record = w.stats.ejections.length;
    w.stats.ejections.push({ endpoint: pod.name, by: this.proxy.name, atMs: w.now, untilMs: returnsAt, reason: `outlier detection: ${why}` });
    w.decide({
      node: this.proxy.node,
      layer: 'outlierDetection',
      kind: 'ejection',
      summary: `ejected ${pod.name}: ${why}; out for ${duration / 1000}s (${this.policy.baseEjectionMs / 1000}s × ${h.multiplier}), back at the sweep at ${returnsAt / 1000}s`,
      cause: this.policy.cause,
      requestId,
    });
    this.machines.send(pod, { type: 'outlier.ejected' });
    this.scheduleSweep();
  }

  /** Sweeps run at multiples of the interval, only while something is ejected or remembered. */
  private scheduleSweep(): void {
    if (this.sweepTimer !== null) return;
    const w = this.world;
    const interval = this.policy.intervalMs;
    const at = (Math.floor(w.now / interval) + 1) * interval;
    this.sweepTimer = w.scheduler.at(at, () => {
      this.sweepTimer = null;
      this.sweep();
    });
  }

  private sweep(): void {
    const w = this.world;
    let again = false;
    for (const [name, h] of this.hosts) {
      if (h.ejected && w.now >= h.untilMs) {
        h.ejected = false;
        w.decide({
          node: this.proxy.node,
          layer: 'outlierDetection',
          kind: 'uneject',
          summary: `${name} returns to load balancing (interval sweep)`,
          cause: this.policy.cause,
        });
        this.machines.send(w.pods.get(name)!, { type: 'outlier.returned' });
      } else if (!h.ejected && h.multiplier > 0) {
        h.multiplier--; // FIDELITY C2: the multiplier decrements each interval the host stays healthy
      }
      if (h.ejected || h.multiplier > 0) again = true;
    }
    if (again) this.scheduleSweep();
  }
}
