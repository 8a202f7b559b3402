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
import { hashString, UniqueText, type Rng } from '../../sim/index.ts';
import { expBackoffMs } from '../backoff.ts';
import type { BalancerConfig } from '../config.ts';
import type { Pod } from '../types.ts';
import { PodList } from '../podList.ts';

interface Ewma {
  rttMs: number;
  stampMs: number;
}

/** A pick and the reasoning the trace shows. Shared between picks of the same draw: read, never changed. */
export interface Pick {
  readonly pod: Pod;
  readonly summary: string;
  /** The summary, when no other pick's words can be the same text (a least-request draw kept for the run). */
  readonly words?: UniqueText;
}

/**
 * Balancer state one client proxy keeps for one service. Active requests are counted in a
 * {@link PodList}, not a table by pod name (each is read twice and written twice per request). The
 * tables of the peak-EWMA estimates and of reconnecting endpoints are made when first needed.
 */
export class BalancerState {
  private readonly active = new PodList<number>();
  private ewma: Map<string, Ewma> | undefined;
  private rr = 0;
  private ring: Ring | undefined;
  /** Endpoints whose connection failed, not ready until the time given (reconnect backoff). */
  private unready: Map<string, { untilMs: number; failures: number }> | undefined;

  constructor(readonly config: BalancerConfig) {}

  /** Picks among `endpoints`; `hashKey` is the request's value for consistent hashing. */
  pick(candidates: readonly Pod[], rng: Rng, nowMs: number, hashKey?: string): Pick {
    // Only ready endpoints are picked while some are reconnecting (tower P2C picks among ready services).
    let endpoints = candidates;
    const unready = this.unready;
    if (unready !== undefined && unready.size > 0) {
      const ready = candidates.filter((p) => (unready.get(p.name)?.untilMs ?? 0) <= nowMs);
      if (ready.length > 0) endpoints = ready;
    }
    const n = endpoints.length;
    if (n === 1) return { pod: endpoints[0]!, summary: `${endpoints[0]!.name} (only endpoint)` };
    switch (this.config.algorithm) {
      case 'round-robin': {
        const pod = endpoints[this.rr++ % n]!;
        return { pod, summary: `${pod.name} (round robin over ${n})` };
      }
      case 'random': {
        const pod = endpoints[rng.int(n)]!;
        return { pod, summary: `${pod.name} (random among ${n})` };
      }
      case 'consistent-hash': {
        const key = hashKey ?? '';
        const signature = endpoints.map((p) => p.name).join(',');
        if (this.ring?.signature !== signature) this.ring = buildRing(endpoints, this.config.hash?.ringSize ?? 1024);
        const pod = ringLookup(this.ring, key);
        return { pod, summary: `${pod.name}: hash of ${key === '' ? '(empty key)' : `"${key}"`} lands on its part of the ring` };
      }
      case 'least-request': {
        const a = endpoints[rng.int(n)]!;
        const b = endpoints[rng.int(n)]!;
        const qa = this.activeOf(a);
        const qb = this.activeOf(b);
        return leastRequestPick(a, b, qa, qb);
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
        };
      }
    }
  }

  /** Requests to `pod` this proxy has started and not seen end. */
  activeOf(pod: Pod): number {
    return this.active.get(pod) ?? 0;
  }

  started(pod: Pod): void {
    this.active.set(pod, this.activeOf(pod) + 1);
  }

  /**
   * A request to `pod` ended after `rttMs`; feeds the EWMA. A failed connection is not a latency
   * sample: it makes the endpoint unready for the reconnect backoff instead.
   */
  finished(pod: Pod, rttMs: number, nowMs: number, connectFailed = false, u = 0): void {
    this.active.set(pod, Math.max(0, this.activeOf(pod) - 1));
    const backoff = this.config.reconnectBackoff;
    if (backoff && connectFailed) {
      const unready = (this.unready ??= new Map());
      const failures = (unready.get(pod.name)?.failures ?? 0) + 1;
      unready.set(pod.name, { untilMs: nowMs + expBackoffMs(backoff, failures - 1, u), failures });
      return;
    }
    if (!connectFailed) this.unready?.delete(pod.name);
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
    const ewma = (this.ewma ??= new Map());
    let e = ewma.get(pod.name);
    if (!e) ewma.set(pod.name, (e = { rttMs: this.config.defaultRttMs ?? 30, stampMs: nowMs }));
    return e;
  }
}

/**
 * The pick of a least-request draw with its words, made once per draw (the two endpoints and their
 * active counts) and kept by the first endpoint drawn, for the run: at 3 replicas a run repeats a
 * few dozen draws thousands of times; at 30, a few thousand draws a few times each. Kept by a
 * number (the second endpoint's and the two counts), so a draw seen once costs its pick and one
 * entry, not a list of its own. Its words are a {@link UniqueText}: no other draw has the same
 * (each names its two endpoints and counts), and the draws past {@link KEPT_ACTIVE} go through
 * the store's interning as any summary does.
 */
const draws = new WeakMap<Pod, Map<number, KeptDraw>>();

/**
 * A kept draw's pick, and its words as the {@link UniqueText} the trace gets: one object, not a
 * pick and its words beside it (at 30 replicas ~7,400 draws are kept in a 10 s run, most seen once).
 */
class KeptDraw extends UniqueText implements Pick {
  constructor(
    readonly pod: Pod,
    words: string,
  ) {
    super(words);
  }

  get summary(): string {
    return this.text;
  }

  get words(): UniqueText {
    return this;
  }
}

/** Active counts up to this (not included) are kept; higher ones are rare and written each time. */
const KEPT_ACTIVE = 8;

function leastRequestPick(a: Pod, b: Pod, qa: number, qb: number): Pick {
  if (qa >= KEPT_ACTIVE || qb >= KEPT_ACTIVE) return { pod: qb < qa ? b : a, summary: drawWords(a, b, qa, qb) };
  let byDraw = draws.get(a);
  if (!byDraw) draws.set(a, (byDraw = new Map()));
  // By the second endpoint's number in the run: the first's draws are all of its run.
  const key = (b.index * KEPT_ACTIVE + qa) * KEPT_ACTIVE + qb;
  let pick = byDraw.get(key);
  if (pick === undefined) byDraw.set(key, (pick = new KeptDraw(qb < qa ? b : a, drawWords(a, b, qa, qb))));
  return pick;
}

function drawWords(a: Pod, b: Pod, qa: number, qb: number): string {
  return a === b ? `${a.name} (drew it twice; ${qa} active)` : `${(qb < qa ? b : a).name}: ${a.name} has ${qa} active, ${b.name} has ${qb}`;
}

/** A hash ring (Envoy RING_HASH): each endpoint owns ringSize / n points, hashed from its name. */
interface Ring {
  signature: string;
  points: Uint32Array;
  owners: Pod[];
}

function buildRing(endpoints: readonly Pod[], ringSize: number): Ring {
  const perHost = Math.max(1, Math.floor(ringSize / endpoints.length));
  const entries: [number, Pod][] = [];
  for (const p of endpoints) for (let i = 0; i < perHost; i++) entries.push([hashString(`${p.name}_${i}`), p]);
  entries.sort((a, b) => a[0] - b[0]);
  return { signature: endpoints.map((p) => p.name).join(','), points: Uint32Array.from(entries.map((e) => e[0])), owners: entries.map((e) => e[1]) };
}

/** The owner of the first ring point at or after the key's hash (wrapping around). */
function ringLookup(ring: Ring, key: string): Pod {
  const h = hashString(key);
  let lo = 0;
  let hi = ring.points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ring.points[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  return ring.owners[lo === ring.points.length ? 0 : lo]!;
}
