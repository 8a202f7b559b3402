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

describe('IPv4 addresses and CIDR blocks', () => {
  const egress = (cidr: string, except?: string[]) => ({
    linkerd: [
      {
        apiVersion: 'policy.linkerd.io/v1alpha1',
        kind: 'EgressNetwork',
        metadata: { name: 'out' },
        spec: { trafficPolicy: 'Allow', networks: [{ cidr, ...(except ? { except } : {}) }] },
      },
    ],
  });

  it('reads each part of an address as a number 0–255', () => {
    expect(problems({ external: [{ host: 'api.example.com', ip: '203.0.113.10' }], clients: [{ name: 'browser', ip: '198.51.100.7' }] })).toEqual([]);
    expect(problems({ external: [{ host: 'api.example.com', ip: '999.1.2.3' }], clients: [{ name: 'browser', ip: '198.51.100' }] })).toEqual([
      't.yaml:8:9: external[0].ip must be an IPv4 address like 203.0.113.10 (got "999.1.2.3")',
      't.yaml:11:9: clients[0].ip must be an IPv4 address like 198.51.100.7 (got "198.51.100")',
    ]);
  });

  it('checks EgressNetwork networks as IPv4 blocks: parts 0–255, a prefix 0–32', () => {
    expect(problems(egress('203.0.113.0/24', ['203.0.113.128/25']))).toEqual([]);
    for (const bad of ['999.0.0.0/8', '10.0.0.0/40', '10.0.0.0', '::/0']) {
      expect(problems(egress(bad))).toEqual([
        expect.stringContaining(`linkerd[0].spec.networks[0].cidr must be an IPv4 CIDR like 203.0.113.0/24 (got "${bad}")`),
      ]);
    }
    expect(problems(egress('10.0.0.0/8', ['10.1.0.0/99']))).toEqual([
      expect.stringContaining('linkerd[0].spec.networks[0].except[0] must be an IPv4 CIDR like 203.0.113.0/24 (got "10.1.0.0/99")'),
    ]);
  });
});

describe('numbers shared by the native kinds', () => {
  it('checks every port as a whole number from 1 to 65535, the Ingress backend port too', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', annotations: { 'nginx.ingress.kubernetes.io/service-upstream': 'true' } },
      spec: { rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 70000 } } } }] } }] },
    };
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'web' },
      spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web', port: { number: 0 } } }] }] },
    };
    expect(problems({ linkerd: [ingress], istio: [vs] }).map((p) => p.replace(/^t\.yaml:\d+:\d+: /, ''))).toEqual([
      'linkerd[0].spec.rules[0].http.paths[0].backend.service.port.number must be a whole number from 1 to 65535 (got 70000)',
      'istio[0].spec.http[0].route[0].destination.port.number must be a whole number from 1 to 65535 (got 0)',
    ]);
  });
});
