/**
 * Linkerd failure accrual modes (FIDELITY C3): `consecutive`, and `unified` (linkerd2 policy
 * controller parse_accrual_config since linkerd/linkerd2#15374 — edge-26.6.2, version-2.20:
 * consecutive failures plus an alpha success-rate window) load; anything else Linkerd itself refuses
 * ("unsupported failure accrual mode"). The success-rate annotations, which Linkerd ignores outside
 * `unified`, are reported at their line, and values the proxy refuses are refused.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';

const problems = (annotations: Record<string, string>): string[] => {
  const r = parseScenario(
    stringify({
      id: 't',
      title: 't',
      duration: '1s',
      services: [{ name: 'client' }, { name: 'server' }],
      linkerd: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'server', annotations } }],
    }),
    's.yaml',
  );
  return r.ok ? ['ok'] : r.problems.map(formatProblem);
};
const MODE = 'balancer.linkerd.io/failure-accrual';
const RATE = 'balancer.alpha.linkerd.io/failure-accrual-success-rate-';

describe('Linkerd failure accrual modes (FIDELITY C3)', () => {
  it('FIDELITY C3: consecutive and unified load; another mode is refused, at the annotation', () => {
    expect(problems({ [MODE]: 'consecutive' })).toEqual(['ok']);
    expect(problems({ [MODE]: 'unified', [`${RATE}threshold`]: '0.9', [`${RATE}window`]: '15s', [`${RATE}min-requests`]: '10' })).toEqual(['ok']);
    expect(problems({ [MODE]: 'success-rate' })).toEqual([expect.stringMatching(/^s\.yaml:\d+:\d+: .*must be "consecutive" or "unified".*got "success-rate"/)]);
  });

  it('FIDELITY C3: a success-rate annotation outside unified is reported, not ignored', () => {
    expect(problems({ [MODE]: 'consecutive', [`${RATE}threshold`]: '0.9' })).toEqual([
      expect.stringMatching(/^s\.yaml:\d+:\d+: .*success-rate-threshold.*has no effect unless balancer\.linkerd\.io\/failure-accrual is "unified"/),
    ]);
    expect(problems({ [`${RATE}min-requests`]: '3' })).toEqual([expect.stringMatching(/^s\.yaml:\d+:\d+: .*has no effect unless/)]);
  });

  it('FIDELITY C3: values the policy controller or proxy refuses are refused at their line', () => {
    expect(problems({ [MODE]: 'unified', [`${RATE}threshold`]: '1.5' })).toEqual([expect.stringMatching(/^s\.yaml:\d+:\d+: .*ratio from 0\.0 to 1\.0/)]);
    expect(problems({ [MODE]: 'unified', [`${RATE}window`]: '5ms' })).toEqual([expect.stringMatching(/^s\.yaml:\d+:\d+: .*at least 10ms/)]);
    expect(problems({ [MODE]: 'unified', [`${RATE}min-requests`]: '2000000' })).toEqual([expect.stringMatching(/^s\.yaml:\d+:\d+: .*up to 1000000/)]);
  });
});
