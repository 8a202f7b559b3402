/**
 * Endpoint selection, as each proxy implements it:
 *
 * - Envoy LEAST_REQUEST (Istio's default since 1.14, FIDELITY D1): draw two endpoints at random
 *   (with replacement) and keep the one with fewer active requests; the first wins a tie
 *   (envoy/source/common/upstream/load_balancer_impl.cc, choice_count 2).
 * - Linkerd P2C over peak-EWMA (FIDELITY D2): draw two distinct endpoints and keep the lower
 *   cost = RTT estimate × (pending + 1). The estimate jumps to any slower observation (the peak)
 *   and otherwise decays toward new observations — and toward 0 while idle — with a 10 s time
 *   constant; a new endpoint starts at 30 ms (tower/src/load/peak_ewma.rs).
 * - ROUND_ROBIN and RANDOM for DestinationRules that ask for them.
 */
import type { Rng } from '../../sim/index.ts';
import type { BalancerConfig } from '../config.ts';
import type { Pod } from '../types.ts';

interface Ewma {
  rttMs: number;
  stampMs: number;
}

/** A pick and the reasoning the trace shows. */
export interface Pick {
  pod: Pod;
  summary: string;
  candidates: string[];
}

/** Balancer state one client proxy keeps for one service. */
export class BalancerState {
  readonly active = new Map<string, number>();
  private readonly ewma = new Map<string, Ewma>();
  private rr = 0;

  constructor(readonly config: BalancerConfig) {}

  pick(endpoints: readonly Pod[], rng: Rng, nowMs: number): Pick {
    const n = endpoints.length;
    const names = endpoints.map((p) => p.name);
    if (n === 1) return { pod: endpoints[0]!, summary: `${names[0]} (only endpoint)`, candidates: names };
    switch (this.config.algorithm) {
      case 'round-robin': {
        const pod = endpoints[this.rr++ % n]!;
        return { pod, summary: `${pod.name} (round robin)`, candidates: names };
      }
      case 'random': {
        const pod = endpoints[rng.int(n)]!;
        return { pod, summary: `${pod.name} (random)`, candidates: names };
      }
      case 'least-request': {
        const a = endpoints[rng.int(n)]!;
        const b = endpoints[rng.int(n)]!;
        const qa = this.activeOf(a);
        const qb = this.activeOf(b);
        const pod = qb < qa ? b : a;
        return {
          pod,
          summary: a === b ? `${a.name} (drew it twice; ${qa} active)` : `${pod.name}: ${a.name} has ${qa} active, ${b.name} has ${qb}`,
          candidates: [a.name, b.name],
        };
      }
      case 'p2c-peak-ewma': {
        const i = rng.int(n);
        let j = rng.int(n - 1);
        if (j >= i) j++;
        const a = endpoints[i]!;
        const b = endpoints[j]!;
        const ca = this.cost(a, nowMs);
        const cb = this.cost(b, nowMs);
        const pod = ca <= cb ? a : b;
        return {
          pod,
          summary: `${pod.name}: cost ${a.name} ${ca.toFixed(1)} vs ${b.name} ${cb.toFixed(1)} (RTT estimate × (pending+1))`,
          candidates: [a.name, b.name],
        };
      }
    }
  }

  activeOf(pod: Pod): number {
    return this.active.get(pod.name) ?? 0;
  }

  started(pod: Pod): void {
    this.active.set(pod.name, this.activeOf(pod) + 1);
  }

  /** A request to `pod` ended after `rttMs`; feeds the EWMA. */
  finished(pod: Pod, rttMs: number, nowMs: number): void {
    this.active.set(pod.name, Math.max(0, this.activeOf(pod) - 1));
    if (this.config.algorithm !== 'p2c-peak-ewma') return;
    const e = this.estimate(pod, nowMs);
    if (rttMs > e.rttMs) e.rttMs = rttMs;
    else e.rttMs = this.blend(e, rttMs, nowMs);
    e.stampMs = nowMs;
  }

  /** RTT estimate × (pending + 1), after decaying the estimate toward 0 for the idle time. */
  cost(pod: Pod, nowMs: number): number {
    const e = this.estimate(pod, nowMs);
    e.rttMs = this.blend(e, 0, nowMs);
    e.stampMs = nowMs;
    return e.rttMs * (this.activeOf(pod) + 1);
  }

  private blend(e: Ewma, rttMs: number, nowMs: number): number {
    const decay = Math.exp(-(nowMs - e.stampMs) / (this.config.decayMs ?? 10_000));
    return e.rttMs * decay + rttMs * (1 - decay);
  }

  private estimate(pod: Pod, nowMs: number): Ewma {
    let e = this.ewma.get(pod.name);
    if (!e) this.ewma.set(pod.name, (e = { rttMs: this.config.defaultRttMs ?? 30, stampMs: nowMs }));
    return e;
  }
}
