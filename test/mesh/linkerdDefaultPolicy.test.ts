/**
 * Linkerd's cluster-wide default inbound policy (FIDELITY A7): the install value
 * `proxy.defaultInboundPolicy` (linkerd2 charts/linkerd-control-plane/values.yaml, default
 * all-unauthenticated; `linkerd install --set proxy.defaultInboundPolicy=…`, as the server-policy
 * page shows), overridden by a Namespace's and then a workload's
 * `config.linkerd.io/default-inbound-policy`; and the chart's `clusterNetworks`, which the
 * cluster-* policies and every authorization without networks are limited to (linkerd2
 * policy-controller grpc/src/inbound.rs `to_authz`).
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run } from '../helpers/sim.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';

const helm = (values: Record<string, unknown>) => ({ apiVersion: 'mesh-sim/v1', kind: 'HelmValues', metadata: { name: 'linkerd' }, values });
const SERVICES = [{ name: 'web' }, { name: 'legacy', meshed: false }, { name: 'api' }];

/** What web (meshed) and legacy (unmeshed) get from api. */
function statuses(linkerd: unknown[]): string {
  const r = run(
    {
      duration: '1s',
      services: SERVICES,
      traffic: ['web', 'legacy'].map((from, i) => ({ from, to: 'api', at: `${(i + 1) * 100}ms` })),
      linkerd,
    },
    'linkerd',
  );
  return r.report.requests.map((q) => `${q.from.replace(/-0$/, '')} ${q.status}`).join(', ');
}

describe('Linkerd: a cluster-wide default inbound policy (FIDELITY A7)', () => {
  it('FIDELITY A7: proxy.defaultInboundPolicy applies to every pod no annotation overrides, each value as the policy controller grants it', () => {
    expect(statuses([])).toBe('web 200, legacy 200'); // chart default all-unauthenticated
    const by = (policy: string) => statuses([helm({ proxy: { defaultInboundPolicy: policy } })]);
    expect(by('deny')).toBe('web 403, legacy 403');
    expect(by('all-authenticated')).toBe('web 200, legacy 403');
    expect(by('cluster-authenticated')).toBe('web 200, legacy 403');
    expect(by('cluster-unauthenticated')).toBe('web 200, legacy 200');
    expect(by('all-unauthenticated')).toBe('web 200, legacy 200');
    expect(by('audit')).toBe('web 200, legacy 200');
  });

  it('FIDELITY A7: a Namespace annotation overrides the install default, and the deny names the HelmValues line', () => {
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default', annotations: { 'config.linkerd.io/default-inbound-policy': 'all-unauthenticated' } },
    };
    expect(statuses([helm({ proxy: { defaultInboundPolicy: 'deny' } }), ns])).toBe('web 200, legacy 200');
    const r = run(
      { duration: '1s', services: SERVICES, traffic: [{ from: 'web', to: 'api', at: '100ms' }], linkerd: [helm({ proxy: { defaultInboundPolicy: 'deny' } })] },
      'linkerd',
    );
    const deny = r.decisions('deny')[0]!;
    expect(deny.summary).toContain('denied by default policy deny');
    expect(deny.cause.config).toContain('proxy.defaultInboundPolicy: deny');
  });

  it("FIDELITY A7: cluster-* policies admit only the chart's clusterNetworks; all-* admit every address", () => {
    // Simulated pods are in 10.244.0.0/16: a clusterNetworks without it leaves them outside the cluster.
    const narrow = (policy: string) => statuses([helm({ proxy: { defaultInboundPolicy: policy }, clusterNetworks: '192.168.0.0/16' })]);
    expect(narrow('cluster-unauthenticated')).toBe('web 403, legacy 403');
    expect(narrow('cluster-authenticated')).toBe('web 403, legacy 403');
    expect(narrow('all-unauthenticated')).toBe('web 200, legacy 200');
    expect(narrow('all-authenticated')).toBe('web 200, legacy 403');
  });
});

describe('Linkerd: an AuthorizationPolicy without a NetworkAuthentication (FIDELITY A7)', () => {
  const NS = 'default';
  const server = {
    apiVersion: 'policy.linkerd.io/v1beta3',
    kind: 'Server',
    metadata: { name: 'api', namespace: NS },
    spec: { podSelector: { matchLabels: { app: 'api' } }, port: 80 },
  };
  const mtlsAuthn = {
    apiVersion: 'policy.linkerd.io/v1alpha1',
    kind: 'MeshTLSAuthentication',
    metadata: { name: 'web', namespace: NS },
    spec: { identityRefs: [{ kind: 'ServiceAccount', name: 'web' }] },
  };
  const policy = (refs: unknown[]) => ({
    apiVersion: 'policy.linkerd.io/v1alpha1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'api-web', namespace: NS },
    spec: { targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'api' }, requiredAuthenticationRefs: refs },
  });
  it('FIDELITY A7: applies to clients in the cluster networks only (to_authz), not to every address', () => {
    const mtls = [server, mtlsAuthn, policy([{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'web' }])];
    expect(statuses(mtls)).toBe('web 200, legacy 403');
    expect(statuses([...mtls, helm({ clusterNetworks: '192.168.0.0/16' })])).toBe('web 403, legacy 403');
    // No authentication at all: any client, but still from the cluster networks.
    expect(statuses([server, policy([])])).toBe('web 200, legacy 200');
    expect(statuses([server, policy([]), helm({ clusterNetworks: '172.16.0.0/12' })])).toBe('web 403, legacy 403');
    // A NetworkAuthentication replaces the cluster networks with its own.
    const everywhere = {
      apiVersion: 'policy.linkerd.io/v1alpha1',
      kind: 'NetworkAuthentication',
      metadata: { name: 'all', namespace: NS },
      spec: { networks: [{ cidr: '0.0.0.0/0' }] },
    };
    expect(
      statuses([
        server,
        everywhere,
        policy([{ group: 'policy.linkerd.io', kind: 'NetworkAuthentication', name: 'all' }]),
        helm({ clusterNetworks: '172.16.0.0/12' }),
      ]),
    ).toBe('web 200, legacy 200');
  });
});

describe('Linkerd HelmValues validation', () => {
  it('an unknown policy, a bad CIDR and an unread value are located errors', () => {
    const problems = (values: Record<string, unknown>): string[] => {
      const r = parseScenario(stringify({ id: 't', title: 't', duration: '1s', services: SERVICES, linkerd: [helm(values)] }), 's.yaml');
      return r.ok ? ['ok'] : r.problems.map(formatProblem);
    };
    expect(problems({ proxy: { defaultInboundPolicy: 'allow' } })[0]).toMatch(
      /^s\.yaml:\d+:\d+: .*defaultInboundPolicy.*must be all-unauthenticated, .*\(got "allow"\)/,
    );
    expect(problems({ clusterNetworks: '10.0.0.0/8,banana' })[0]).toMatch(/^s\.yaml:\d+:\d+: .*clusterNetworks.*must be a comma list of CIDRs/);
    expect(problems({ proxy: { logLevel: 'debug' } })[0]).toMatch(/^s\.yaml:\d+:\d+: .*logLevel/);
  });
});
