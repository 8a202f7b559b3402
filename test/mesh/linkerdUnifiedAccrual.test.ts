/**
 * Linkerd failure accrual `unified` (FIDELITY C3; Linkerd 2.20, linkerd/linkerd2#15374): the
 * consecutive-failures count plus a success-rate window, either trips. Sources: linkerd2-proxy
 * linkerd/app/outbound/src/http/breaker/unified.rs and success_rate.rs (ten buckets; 429 counts
 * against the window but not the count, and fails a probe), linkerd2 policy-controller
 * outbound/index.rs parse_success_rate_params (defaults threshold 0.8, window 10s, min-requests 5).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

const MODE = 'balancer.linkerd.io/failure-accrual';
const RATE = 'balancer.alpha.linkerd.io/failure-accrual-success-rate-';

/** client → reviews (3 pods); reviews-1 answers `statuses` in order, then 200s. */
const scenario = (statuses: number[], annotations: Record<string, string>) => ({
  duration: '4s',
  services: [{ name: 'client' }, { name: 'reviews', replicas: 3, latency: '10ms' }],
  traffic: [{ from: 'client', to: 'reviews', rate: '30/s' }],
  faults: [{ pod: 'reviews-1', responses: statuses }],
  linkerd: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', annotations } }],
});
/** 500, 200, 500, 200, … : half fail, never two in a row. */
const alternating = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 500 : 200));

/** The answers reviews-1 gave client-0, in order, up to its first ejection. */
function answersBeforeEjection(r: ReturnType<typeof run>): number[] {
  const first = r.report.ejections[0];
  return r.report.requests
    .filter((q) => q.tries?.some((t) => t.pod === 'reviews-1') && (!first || q.endMs <= first.atMs))
    .map((q) => q.tries!.find((t) => t.pod === 'reviews-1')!.status);
}

describe('Linkerd failure accrual unified (FIDELITY C3, Linkerd 2.20)', () => {
  it('FIDELITY C3: a pod failing every other request never strings 7 failures together: consecutive keeps it, unified makes it unavailable on its success rate', () => {
    const consecutive = run(scenario(alternating, { [MODE]: 'consecutive' }), 'linkerd');
    expect(consecutive.report.ejections).toEqual([]);

    const unified = run(scenario(alternating, { [MODE]: 'unified' }), 'linkerd');
    const [first] = unified.report.ejections;
    expect(first).toMatchObject({ endpoint: 'reviews-1', by: 'client-0' });
    // min-requests 5: the fifth answer (500, 200, 500, 200, 500: 2 of 5 = 40% < 80%) trips it.
    expect(answersBeforeEjection(unified)).toEqual([500, 200, 500, 200, 500]);
    expect(first!.reason).toMatch(/success rate 2 of 5 \(40%\) in the last 10s, below 80%/);
  });

  it('FIDELITY C3: min-requests and threshold are read from the alpha annotations; threshold 0 turns the window off', () => {
    const later = run(scenario(alternating, { [MODE]: 'unified', [`${RATE}min-requests`]: '10' }), 'linkerd');
    expect(answersBeforeEjection(later)).toHaveLength(10);
    // A threshold of 40%: alternating answers never fall below it (2 of 5, 3 of 6, 3 of 7, 4 of 8, …).
    const lower = run(scenario(alternating, { [MODE]: 'unified', [`${RATE}threshold`]: '0.4' }), 'linkerd');
    expect(lower.report.ejections).toEqual([]);
    expect(answersBeforeEjection(lower).filter((s) => s === 500).length).toBeGreaterThan(10);
    const off = run(scenario(alternating, { [MODE]: 'unified', [`${RATE}threshold`]: '0' }), 'linkerd');
    expect(off.report.ejections).toEqual([]);
  });

  it('FIDELITY C3: answers older than the window drop out of it', () => {
    // A 100ms window (ten 10ms buckets) at ~10 answers/s per pod never holds 5 answers.
    const r = run(scenario(alternating, { [MODE]: 'unified', [`${RATE}window`]: '100ms' }), 'linkerd');
    expect(r.report.ejections).toEqual([]);
  });

  it('FIDELITY C3: a 429 counts against the success rate, not toward consecutive failures, and fails a probe', () => {
    const limited = Array.from({ length: 60 }, () => 429);
    expect(
      run(scenario(limited, { [MODE]: 'consecutive', 'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '3' }), 'linkerd').report.ejections,
    ).toEqual([]);
    const r = run(scenario(limited, { [MODE]: 'unified', 'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '3' }), 'linkerd');
    const [first, second] = r.report.ejections;
    expect(first!.reason).toMatch(/success rate 0 of 5/);
    // The probe in probation got a 429: back to unavailable for the next, longer penalty.
    expect(second!.reason).toBe('failure accrual: probe failed (429)');
    expect(second!.untilMs - second!.atMs).toBeGreaterThanOrEqual(2000);
  });

  it('FIDELITY C3: under unified the consecutive count still trips first on a run of 5xx; max-failures 0 turns it off', () => {
    const errors = Array.from({ length: 40 }, () => 503);
    const count = run(scenario(errors, { [MODE]: 'unified', [`${RATE}min-requests`]: '20' }), 'linkerd');
    expect(count.report.ejections[0]!.reason).toBe('failure accrual: 7 consecutive failures');
    const noCount = run(
      scenario(errors, { [MODE]: 'unified', [`${RATE}min-requests`]: '20', 'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '0' }),
      'linkerd',
    );
    expect(noCount.report.ejections[0]!.reason).toMatch(/success rate 0 of 20/);
  });
});
