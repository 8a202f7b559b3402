import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';

const problems = (extra: Record<string, unknown>): string[] => {
  const r = parseScenario(stringify({ id: 't', title: 't', duration: '1s', services: [{ name: 'web' }], ...extra }), 't.yaml');
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('native resources', () => {
  it('suggests the kind a lower-cased or misspelt kind meant', () => {
    const [p] = problems({ istio: [{ apiVersion: 'networking.istio.io/v1', kind: 'destinationrule', metadata: { name: 'web' }, spec: { host: 'web' } }] });
    expect(p).toContain('istio[0].kind is "destinationrule", an Istio kind mesh-sim does not support (did you mean "DestinationRule"?)');
  });

  it('says which traffic modes were set when more than one is', () => {
    expect(problems({ traffic: [{ from: 'web', to: 'web', rate: '1/s', at: '1s' }] })[0]).toContain(
      'traffic[0] must set only one of rate, at or count (got rate and at)',
    );
  });

  it('asks for the % sign on a bare fault rate', () => {
    expect(problems({ faults: [{ service: 'web', errors: { status: 503, rate: 0.5 } }] })[0]).toContain(
      'faults[0].errors.rate must be written with a % sign, like 0.5% (or 50% if you meant a fraction) (got 0.5)',
    );
  });
});
