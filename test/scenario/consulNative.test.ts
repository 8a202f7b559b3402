import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';

const API = 'consul.hashicorp.com/v1alpha1';
const problems = (consul: unknown[], extra: Record<string, unknown> = {}): string[] => {
  const r = parseScenario(
    stringify({ id: 't', title: 't', duration: '1s', services: [{ name: 'web' }, { name: 'api', versions: ['v1', 'v2'] }], consul, ...extra }),
    't.yaml',
  );
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('consul: native resources as kubectl apply takes them', () => {
  it('accepts the CRD forms of the config entries', () => {
    expect(
      problems([
        { apiVersion: API, kind: 'ServiceDefaults', metadata: { name: 'api' }, spec: { protocol: 'http' } },
        { apiVersion: API, kind: 'ProxyDefaults', metadata: { name: 'global' }, spec: { config: { protocol: 'http' } } },
        {
          apiVersion: API,
          kind: 'ServiceRouter',
          metadata: { name: 'api' },
          spec: { routes: [{ match: { http: { pathPrefix: '/v2' } }, destination: { serviceSubset: 'v2', numRetries: 2, retryOn: ['5xx'] } }] },
        },
        {
          apiVersion: API,
          kind: 'ServiceSplitter',
          metadata: { name: 'api' },
          spec: {
            splits: [
              { weight: 90, serviceSubset: 'v1' },
              { weight: 10, serviceSubset: 'v2' },
            ],
          },
        },
        {
          apiVersion: API,
          kind: 'ServiceResolver',
          metadata: { name: 'api' },
          spec: { defaultSubset: 'v1', subsets: { v1: { filter: 'Service.Meta.version == v1' }, v2: { filter: 'Service.Meta.version == v2' } } },
        },
        {
          apiVersion: API,
          kind: 'ServiceIntentions',
          metadata: { name: 'api' },
          spec: { destination: { name: 'api' }, sources: [{ name: 'web', action: 'allow' }] },
        },
      ]),
    ).toEqual([]);
  });

  it('names an unknown kind and suggests the one it probably meant', () => {
    expect(problems([{ apiVersion: API, kind: 'ServiceIntention', metadata: { name: 'api' } }])[0]).toBe(
      't.yaml:12:11: consul[0].kind is "ServiceIntention", a Consul kind mesh-sim does not support (did you mean "ServiceIntentions"?) (supported: ServiceDefaults, ProxyDefaults, Mesh, ServiceIntentions, ServiceRouter, ServiceSplitter, ServiceResolver, TerminatingGateway, Gateway, HTTPRoute, HelmValues)',
    );
  });

  it('points at an unknown field with the field it probably meant', () => {
    const [p] = problems([{ apiVersion: API, kind: 'ServiceDefaults', metadata: { name: 'api' }, spec: { protocoll: 'http' } }]);
    expect(p).toContain('consul[0].spec.protocoll is not a ServiceDefaults field that mesh-sim supports (did you mean "protocol"?)');
  });

  it('refuses a field it does not simulate, by name', () => {
    const [p] = problems([{ apiVersion: API, kind: 'ServiceRouter', metadata: { name: 'api' }, spec: { routes: [{ destination: { prefixRewrite: '/' } }] } }]);
    expect(p).toContain('consul[0].spec.routes[0].destination.prefixRewrite is not supported by mesh-sim (prefixRewrite)');
  });

  it('wants the wrong apiVersion replaced by the right one', () => {
    const [p] = problems([{ apiVersion: 'consul.hashicorp.com/v1', kind: 'Mesh', metadata: { name: 'mesh' } }]);
    expect(p).toContain('consul[0].apiVersion "consul.hashicorp.com/v1" is not an apiVersion of Mesh (use consul.hashicorp.com/v1alpha1)');
  });

  it('FIDELITY-MORE I5: wants the splits to add up to 100', () => {
    const [p] = problems([{ apiVersion: API, kind: 'ServiceSplitter', metadata: { name: 'api' }, spec: { splits: [{ weight: 90 }, { weight: 5 }] } }]);
    expect(p).toContain('consul[0].spec.splits weights must add up to 100 (they add up to 95)');
  });

  it('FIDELITY-MORE I5: reads subset filters on the version meta and says which pods a filter misses', () => {
    expect(
      problems([{ apiVersion: API, kind: 'ServiceResolver', metadata: { name: 'api' }, spec: { subsets: { v1: { filter: 'Service.Tags contains v1' } } } }])[0],
    ).toContain('must be a filter mesh-sim can evaluate: Service.Meta.version == a version, like "Service.Meta.version == v1"');
    expect(
      problems([
        { apiVersion: API, kind: 'ServiceResolver', metadata: { name: 'api' }, spec: { subsets: { v3: { filter: 'Service.Meta.version == v3' } } } },
      ])[0],
    ).toContain('consul[0].spec.subsets.v3.filter selects no pod: service "api" has versions v1, v2');
  });

  it('FIDELITY-MORE I5: a route to a subset no resolver defines is an error at the subset', () => {
    const [p] = problems([{ apiVersion: API, kind: 'ServiceRouter', metadata: { name: 'api' }, spec: { routes: [{ destination: { serviceSubset: 'v9' } }] } }]);
    expect(p).toContain('consul[0].spec.routes[0].destination.serviceSubset names subset "v9" that no ServiceResolver for "api" defines');
  });

  it('FIDELITY-MORE I4: an intention must name an L4 action or L7 permissions, not both, and one entry per destination', () => {
    expect(
      problems([
        {
          apiVersion: API,
          kind: 'ServiceIntentions',
          metadata: { name: 'a' },
          spec: { destination: { name: 'api' }, sources: [{ name: 'web', action: 'allow', permissions: [{ action: 'allow', http: { pathPrefix: '/' } }] }] },
        },
      ])[0],
    ).toContain('consul[0].spec.sources[0] must set exactly one of action (an L4 intention) or permissions (an L7 intention)');
    const twice = problems([
      {
        apiVersion: API,
        kind: 'ServiceIntentions',
        metadata: { name: 'a' },
        spec: { destination: { name: 'api' }, sources: [{ name: 'web', action: 'allow' }] },
      },
      {
        apiVersion: API,
        kind: 'ServiceIntentions',
        metadata: { name: 'b' },
        spec: { destination: { name: 'api' }, sources: [{ name: 'web', action: 'deny' }] },
      },
    ]);
    expect(twice[0]).toMatch(
      /consul\[1\]\.spec\.destination\.name repeats destination "api": consul-k8s admits one ServiceIntentions per destination \(first declared on line \d+\)/,
    );
  });

  it('FIDELITY-MORE I4: an intention source must be a service the scenario has (a typo would silently match nothing)', () => {
    const [p] = problems([
      {
        apiVersion: API,
        kind: 'ServiceIntentions',
        metadata: { name: 'a' },
        spec: { destination: { name: 'api' }, sources: [{ name: 'wbe', action: 'deny' }] },
      },
    ]);
    expect(p).toContain('consul[0].spec.sources[0].name names a service or gateway "wbe" that the scenario does not declare (did you mean "web"?)');
  });

  it('FIDELITY-MORE I2: Consul CE has one namespace; other namespaces are refused with the reason', () => {
    const [p] = problems([
      {
        apiVersion: API,
        kind: 'ServiceIntentions',
        metadata: { name: 'a' },
        spec: { destination: { name: 'api', namespace: 'prod' }, sources: [{ name: 'web', action: 'deny' }] },
      },
    ]);
    expect(p).toContain('consul[0].spec.destination.namespace must be "default": Consul CE has one namespace');
  });

  it('ProxyDefaults and Mesh carry their one allowed name', () => {
    expect(problems([{ apiVersion: API, kind: 'ProxyDefaults', metadata: { name: 'defaults' } }])[0]).toContain(
      'consul[0].metadata.name must be "global": Consul has one proxy-defaults entry (got "defaults")',
    );
  });

  it('a change may carry consul resources, checked where it is written', () => {
    const [p] = problems([], {
      changes: [{ at: '0.5s', consul: [{ apiVersion: API, kind: 'ServiceRouter', metadata: { name: 'nope' }, spec: { routes: [] } }] }],
    });
    expect(p).toContain('changes[0].consul[0].metadata.name names a service "nope" that the scenario does not declare');
  });
});
