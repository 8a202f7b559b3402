/**
 * linkerd-exp-backoff (linkerd2-proxy linkerd/exp-backoff): the wait after `iteration` failures
 * (0-based) is min·2^iteration up to max, plus a jitter of up to `jitter` × that base, never past
 * max. Linkerd uses it for failure accrual's probation (FIDELITY C3), reconnects (env.rs
 * DEFAULT_OUTBOUND_CONNECT_BACKOFF) and route retries (policy controller outbound convert_retry).
 */
export interface ExpBackoff {
  minMs: number;
  maxMs: number;
  jitter: number;
}

/** The wait, in whole ms, for a uniform draw `u` in [0, 1). */
export function expBackoffMs(b: ExpBackoff, iteration: number, u: number): number {
  const base = Math.min(b.maxMs, b.minMs * 2 ** iteration);
  return Math.round(base + Math.min(base * b.jitter * u, b.maxMs - base));
}
