import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/player/index.ts';
import { FLAKY } from './scenarios.ts';

const budgeted = `id: budget
title: A retry budget
duration: 2s
services:
  - name: web
  - name: api
traffic:
  - { from: web, to: api, at: 1s }
istio:
  - apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: { name: api }
    spec:
      host: api
      trafficPolicy:
        retryBudget: { percent: 20 }
narration:
  - { at: 0s, text: go }
`;

describe('a release picked by the learner', () => {
  it('FIDELITY B1: runs the picked release over the scenario’s own (the trace and report say which)', () => {
    const picked = runScenario({ text: FLAKY, file: 'flaky.yaml', mesh: 'istio', versions: { istio: '1.30' } });
    const declared = runScenario({ text: FLAKY, file: 'flaky.yaml', mesh: 'istio' });
    if (!picked.ok || !declared.ok) throw new Error('run');
    expect(declared.trace.release).toEqual({ version: '1.23', label: 'Istio 1.23' });
    expect(picked.trace.release).toEqual({ version: '1.30', label: 'Istio 1.30' });
    expect(picked.report.release.label).toBe('Istio 1.30');
    // 1.23 retries the flaky pod's 503s; 1.30 lets them through.
    expect(declared.report.summary.byStatus['503'] ?? 0).toBe(0);
    expect(picked.report.summary.byStatus['503']).toBeGreaterThan(5);
  });

  it('FIDELITY B1: a release the file cannot run under is a located problem naming the URL parameter', () => {
    const o = runScenario({ text: budgeted, file: 'budget.yaml', mesh: 'istio', versions: { istio: '1.26' } });
    expect(o.ok).toBe(false);
    expect(!o.ok && o.problems.map((p) => p.text)).toEqual([
      'budget.yaml:16:1: istio[0].spec.trafficPolicy.retryBudget does not exist in Istio 1.26 (chosen in the URL): DestinationRule retryBudget is new in Istio 1.27 (FIDELITY B1) (URL parameter istio=1.26)',
    ]);
    expect(runScenario({ text: budgeted, file: 'budget.yaml', mesh: 'istio', versions: { istio: '1.27' } }).ok).toBe(true);
  });
});
