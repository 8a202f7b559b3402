/**
 * Badges name what happened beside where it happened. Only an ejection says "ejected": an
 * endpoint coming back (uneject) or an ejection the cap prevented (ejection-skipped) is not one.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { badgeOf } from '../../src/player/badges.ts';
import { runScenario } from '../../src/player/index.ts';
import type { DecisionEvent, DecisionKind } from '../../src/sim/index.ts';

const decision = (kind: DecisionKind, attempt?: number): DecisionEvent => ({
  type: 'decision',
  t: 0,
  seq: 0,
  node: 'a/proxy',
  layer: 'outlierDetection',
  kind,
  summary: kind,
  cause: { config: 'test', isDefault: true, source: 'test' },
  ...(attempt !== undefined ? { attempt } : {}),
});

describe('badgeOf', () => {
  it('draws "ejected" for an ejection only', () => {
    expect(badgeOf(decision('ejection'))).toMatchObject({ kind: 'ejected', text: 'ejected' });
    expect(badgeOf(decision('uneject'))).toBeNull();
    expect(badgeOf(decision('ejection-skipped'))).toBeNull();
  });

  it('numbers a retry as its step does, and keeps the other words', () => {
    expect(badgeOf(decision('retry', 1))).toMatchObject({ kind: 'retry', text: 'retry 1' });
    expect(badgeOf(decision('retry-overflow'))).toMatchObject({ kind: 'overflow', text: 'overflow' });
    expect(badgeOf(decision('retries-exhausted'))).toMatchObject({ kind: 'gave-up', text: 'gave up' });
    expect(badgeOf(decision('handshake-failed'))).toMatchObject({ kind: 'denied', text: 'TLS failed' });
    expect(badgeOf(decision('fault-delay'))).toMatchObject({ kind: 'fault' });
    expect(badgeOf(decision('endpoint'))).toBeNull();
  });

  it('FIDELITY B1: a retry badge says "retry 1 of 2" where its step says "retry 1 of 2" (attempts 2 = up to 3 tries)', () => {
    const file = 'scenarios/retries-flaky-pod.yaml';
    for (const mesh of ['istio', 'linkerd']) {
      const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
      if (!run.ok) throw new Error(file);
      const retries = run.trace.events.filter((e): e is DecisionEvent => e.type === 'decision' && e.kind === 'retry');
      expect(retries.length, mesh).toBeGreaterThan(0);
      for (const r of retries) {
        const said = /retry (\d+)( of (\d+))?/.exec(r.summary);
        expect(said, r.summary).not.toBeNull();
        expect(badgeOf(r)!.text, r.summary).toBe(said![2] ? `retry ${said![1]} of ${said![3]}` : `retry ${said![1]}`);
      }
      // Istio's VirtualService at 5 s sets attempts: 2 — its first retries read "retry 1 of 2".
      if (mesh === 'istio') expect(retries.map((r) => badgeOf(r)!.text)).toContain('retry 1 of 2');
    }
  });

  it('outlier-vs-failure-accrual under Istio: one "ejected" badge per ejection, none when the pods return', () => {
    const file = 'scenarios/outlier-vs-failure-accrual.yaml';
    const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'istio' });
    if (!run.ok) throw new Error(file);
    const decisions = run.trace.events.filter((e): e is DecisionEvent => e.type === 'decision');
    const ejected = run.trace.events.filter((e) => badgeOf(e)?.kind === 'ejected');
    // The scenario ejects twice and returns both pods (so a learner sees two returns as well).
    expect(decisions.filter((d) => d.kind === 'uneject').length).toBeGreaterThan(0);
    expect(ejected.length).toBe(run.report.ejections.length);
    expect(ejected.every((e) => e.type === 'decision' && e.kind === 'ejection')).toBe(true);
  });
});
