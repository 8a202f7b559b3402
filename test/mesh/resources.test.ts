import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { effectiveResources, isConnectionMesh, PROFILES } from '../../src/mesh/index.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';
import { scenarioOf } from '../helpers/sim.ts';
import { stringify } from 'yaml';

const withPolicies = scenarioOf({
  services: [{ name: 'web' }, { name: 'api', replicas: 2 }, { name: 'legacy', meshed: false }],
  external: [{ host: 'api.example.com', protocol: 'http' }],
  clients: [{ name: 'browser' }],
  ingress: { host: 'shop.example.com', routes: [{ pathPrefix: '/', service: 'web' }] },
  policies: {
    mtls: 'strict',
    retries: [{ service: 'api', attempts: 3, on: ['5xx'], perTryTimeout: '200ms' }],
    timeouts: [{ service: 'api', request: '2s' }],
    circuitBreaking: [{ service: 'api', maxConnections: 2, maxPending: 1, consecutiveErrors: 4, ejection: '10s' }],
    loadBalancing: [{ service: 'api', algorithm: 'round-robin' }],
    egress: { mode: 'registry-only', allow: ['api.example.com'], gateway: true },
  },
});

describe('effective resources', () => {
  // A connection mesh (NSM) has no equivalent of the HTTP policies: its run reports them unmapped (test/mesh/nsm.test.ts).
  for (const [mesh, profile] of Object.entries(PROFILES).filter(([, p]) => !isConnectionMesh(p))) {
    it(`${mesh}: what policies generate is itself a valid ${profile.resourcesKey} section of a scenario file`, () => {
      const resources = effectiveResources(withPolicies, profile);
      expect(resources.length).toBeGreaterThan(2);
      const docs = resources.map((r) => parseAllDocuments(r.yaml)[0]!.toJS());
      // Re-load the generated resources as authored ones: every field must be one the schema accepts.
      const text = stringify({
        id: 'round-trip',
        title: 't',
        duration: '1s',
        services: [{ name: 'web' }, { name: 'api', replicas: 2 }],
        external: [{ host: 'api.example.com', protocol: 'http' }],
        clients: [{ name: 'browser' }],
        ingress: withPolicies.ingress,
        [profile.resourcesKey]: docs,
      });
      const r = parseScenario(text, 'generated.yaml');
      expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([]);
    });
  }

  it('generated resources say where they came from; durations read as written', () => {
    const istio = effectiveResources(withPolicies, PROFILES.istio!);
    expect(istio.every((r) => r.origin === 'generated')).toBe(true);
    const vs = istio.find((r) => r.kind === 'VirtualService' && r.name === 'api')!;
    expect(vs.yaml).toContain('timeout: 2s');
    expect(vs.yaml).toContain('perTryTimeout: 200ms');
  });
});
