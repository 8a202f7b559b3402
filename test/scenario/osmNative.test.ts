/**
 * The `osm:` section as kubectl apply takes it (FIDELITY-MORE J4–J6): OSM v1.2.4's kinds and
 * apiVersions, fields refused by name, the Retry CRD's required fields, and cross-references
 * (route groups, matches, service accounts, services), each located at file:line:column.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';

const problems = (osm: unknown[]): string[] => {
  const r = parseScenario(stringify({ id: 't', title: 't', duration: '1s', services: [{ name: 'web' }, { name: 'api' }], osm }), 't.yaml');
  return r.ok ? [] : r.problems.map(formatProblem);
};
const target = (rule: Record<string, unknown>, source = 'web') => ({
  apiVersion: 'access.smi-spec.io/v1alpha3',
  kind: 'TrafficTarget',
  metadata: { name: 'api' },
  spec: { destination: { kind: 'ServiceAccount', name: 'api' }, sources: [{ kind: 'ServiceAccount', name: source }], rules: [rule] },
});
const group = {
  apiVersion: 'specs.smi-spec.io/v1alpha4',
  kind: 'HTTPRouteGroup',
  metadata: { name: 'api-routes' },
  spec: { matches: [{ name: 'read', pathRegex: '/.*', methods: ['GET'] }] },
};

describe('FIDELITY-MORE J4: OSM native resources', () => {
  it('FIDELITY-MORE J4: accepts the SMI versions OSM v1.2.4 reads, and names them for a wrong apiVersion', () => {
    expect(problems([group, target({ kind: 'HTTPRouteGroup', name: 'api-routes' })])).toEqual([]);
    const [p] = problems([{ ...group, apiVersion: 'specs.smi-spec.io/v1alpha3' }]);
    expect(p).toMatch(
      /^t\.yaml:\d+:\d+: osm\[0\]\.apiVersion "specs\.smi-spec\.io\/v1alpha3" is not an apiVersion of HTTPRouteGroup \(use specs\.smi-spec\.io\/v1alpha4\)/,
    );
  });

  it('FIDELITY-MORE J4: an unknown kind names the supported ones with a guess', () => {
    const [p] = problems([{ apiVersion: 'split.smi-spec.io/v1alpha2', kind: 'trafficsplit', metadata: { name: 'x' }, spec: {} }]);
    expect(p).toContain('osm[0].kind is "trafficsplit", an OSM kind mesh-sim does not support (did you mean "TrafficSplit"?)');
  });

  it('FIDELITY-MORE J4: a rule naming a missing HTTPRouteGroup, a missing match, or an unknown service account is located', () => {
    expect(problems([target({ kind: 'HTTPRouteGroup', name: 'nope' })])[0]).toMatch(
      /osm\[0\]\.spec\.rules\[0\]\.name names a HTTPRouteGroup in the section "nope"/,
    );
    expect(problems([group, target({ kind: 'HTTPRouteGroup', name: 'api-routes', matches: ['write'] })])[0]).toMatch(
      /osm\[1\]\.spec\.rules\[0\]\.matches\[0\] names a match of HTTPRouteGroup api-routes "write"/,
    );
    expect(problems([group, target({ kind: 'HTTPRouteGroup', name: 'api-routes' }, 'wbe')])[0]).toMatch(
      /osm\[1\]\.spec\.sources\[0\]\.name names a service account "wbe"/,
    );
  });

  it('FIDELITY-MORE J5: a Retry needs all four retryPolicy fields, as the CRD requires', () => {
    const retry = {
      apiVersion: 'policy.openservicemesh.io/v1alpha1',
      kind: 'Retry',
      metadata: { name: 'r' },
      spec: {
        source: { kind: 'ServiceAccount', name: 'web' },
        destinations: [{ kind: 'Service', name: 'api' }],
        retryPolicy: { retryOn: '5xx', numRetries: 2 },
      },
    };
    const got = problems([retry]).join('\n');
    expect(got).toContain('osm[0].spec.retryPolicy.perTryTimeout');
    expect(got).toContain('osm[0].spec.retryPolicy.retryBackoffBaseInterval');
  });

  it('FIDELITY-MORE J5: an UpstreamTrafficSetting must name a service host; rate limits are refused by name', () => {
    const uts = (spec: Record<string, unknown>) => ({
      apiVersion: 'policy.openservicemesh.io/v1alpha1',
      kind: 'UpstreamTrafficSetting',
      metadata: { name: 'u' },
      spec,
    });
    expect(problems([uts({ host: 'nowhere.default.svc.cluster.local' })])[0]).toContain('osm[0].spec.host');
    expect(problems([uts({ host: 'api.default.svc.cluster.local', rateLimit: { local: {} } })])[0]).toContain(
      'osm[0].spec.rateLimit is not supported by mesh-sim (local rate limiting)',
    );
  });

  it('FIDELITY-MORE J3: MeshConfig fields that are not simulated are refused by name', () => {
    const [p] = problems([
      {
        apiVersion: 'config.openservicemesh.io/v1alpha2',
        kind: 'MeshConfig',
        metadata: { name: 'osm-mesh-config' },
        spec: { featureFlags: { enableEnvoyActiveHealthChecks: true } },
      },
    ]);
    expect(p).toContain('osm[0].spec.featureFlags.enableEnvoyActiveHealthChecks is not supported by mesh-sim (active health checks)');
  });
});
