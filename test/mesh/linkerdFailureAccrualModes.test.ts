/**
 * Linkerd failure accrual modes (FIDELITY C3): `consecutive` is simulated; `unified` (linkerd2
 * policy controller parse_accrual_config since linkerd/linkerd2#15374 — edge-26.6.2, version-2.20:
 * consecutive failures plus an alpha success-rate window) is named and refused rather than ignored; anything else Linkerd itself refuses
 * ("unsupported failure accrual mode").
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';

const problems = (mode: string): string[] => {
  const r = parseScenario(
    stringify({
      id: 't',
      title: 't',
      duration: '1s',
      services: [{ name: 'client' }, { name: 'server' }],
      linkerd: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'server', annotations: { 'balancer.linkerd.io/failure-accrual': mode } } }],
    }),
    's.yaml',
  );
  return r.ok ? ['ok'] : r.problems.map(formatProblem);
};

describe('Linkerd failure accrual modes (FIDELITY C3)', () => {
  it('FIDELITY C3: consecutive loads; unified is named as not simulated; another mode is refused, at the annotation', () => {
    expect(problems('consecutive')).toEqual(['ok']);
    expect(problems('unified')).toEqual([
      expect.stringMatching(
        /^s\.yaml:\d+:\d+: .*failure-accrual.*unified .*success-rate.* is in Linkerd 2\.20 \(edge-26\.6\.2 and later\) but not simulated by mesh-sim/,
      ),
    ]);
    expect(problems('success-rate')).toEqual([expect.stringMatching(/^s\.yaml:\d+:\d+: .*must be "consecutive".*got "success-rate"/)]);
  });
});
