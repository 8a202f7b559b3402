/**
 * Istio fields that name a port. Every simulated service listens on one port (services[].port),
 * so a port-level setting applies when it names that port and to nothing otherwise.
 * - PeerAuthentication `portLevelMtls` (istio.io reference/config/security/peer_authentication,
 *   its "finance" example: STRICT for the workload, DISABLE on port 8080): the workload policy's
 *   mode for the pod's port wins, UNSET there inherits (istio pilot/pkg/security/authn/
 *   policy_applier.go); it needs a selector (pkg/config/validation). FIDELITY A1.
 * - VirtualService match `port` (istio.io reference/config/networking/virtual-service
 *   HTTPMatchRequest.port): a rule matches only requests addressed to that port.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';
import { stringify } from 'yaml';

const pa = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace: 'foo' },
  spec,
});
const SERVICES = [
  { name: 'finance', namespace: 'foo', port: 8080 },
  { name: 'ledger', namespace: 'foo', port: 80 },
  { name: 'legacy', namespace: 'foo', meshed: false },
];
/** The status the sidecar-less legacy client gets from finance (port 8080) and ledger (port 80). */
function fromLegacy(istio: unknown[]): string[] {
  const r = run(
    {
      duration: '2s',
      services: SERVICES,
      traffic: [
        { from: 'legacy', to: 'finance', at: '100ms' },
        { from: 'legacy', to: 'ledger', at: '200ms' },
      ],
      istio,
    },
    'istio',
  );
  return r.report.requests.map((q) => `${q.to} ${q.status}`);
}

describe('Istio: PeerAuthentication portLevelMtls', () => {
  const strictNamespace = pa('default', { mtls: { mode: 'STRICT' } });
  const finance = (portLevelMtls: Record<string, unknown>) =>
    pa('finance', { selector: { matchLabels: { app: 'finance' } }, mtls: { mode: 'STRICT' }, portLevelMtls });

  it("the reference's finance example: mTLS required in foo, but finance's port 8080 takes plaintext", () => {
    expect(fromLegacy([strictNamespace])).toEqual(['finance 0', 'ledger 0']);
    const r = fromLegacy([strictNamespace, finance({ 8080: { mode: 'DISABLE' } })]);
    expect(r).toEqual(['finance 200', 'ledger 0']);
  });

  it('a port the workload does not listen on changes nothing; UNSET on its port inherits the workload mode', () => {
    expect(fromLegacy([strictNamespace, finance({ 9090: { mode: 'DISABLE' } })])).toEqual(['finance 0', 'ledger 0']);
    expect(fromLegacy([strictNamespace, finance({ 8080: { mode: 'UNSET' } })])).toEqual(['finance 0', 'ledger 0']);
    // PERMISSIVE on the port under a STRICT workload policy lets plaintext in too.
    expect(fromLegacy([strictNamespace, finance({ 8080: { mode: 'PERMISSIVE' } })])).toEqual(['finance 200', 'ledger 0']);
  });

  it('the decision cites the port-level field', () => {
    const r = run(
      {
        duration: '1s',
        services: SERVICES,
        traffic: [{ from: 'legacy', to: 'finance', at: '100ms' }],
        istio: [strictNamespace, finance({ 8080: { mode: 'DISABLE' } })],
      },
      'istio',
    );
    const causes = r.decisions().map((d) => `${d.summary} [${d.cause.config ?? ''}]`);
    expect(causes.filter((c) => c.includes('portLevelMtls[8080].mode DISABLE'))).not.toEqual([]);
  });

  it('without a selector, or empty, it is a located error (Istio validation)', () => {
    const problems = (spec: Record<string, unknown>): string[] => {
      const r = parseScenario(stringify({ id: 't', title: 't', duration: '1s', services: SERVICES, istio: [pa('p', spec)] }), 'p.yaml');
      return r.ok ? ['ok'] : r.problems.map((p) => formatProblem(p).replace(/^p\.yaml:\d+:\d+: /, ''));
    };
    expect(problems({ mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'DISABLE' } } })).toEqual([
      'istio[0].spec.portLevelMtls needs a selector: a mesh or namespace PeerAuthentication cannot have port level mTLS (Istio validation)',
    ]);
    expect(problems({ selector: { matchLabels: { app: 'finance' } }, portLevelMtls: {} })).toEqual([
      'istio[0].spec.portLevelMtls must have at least one port when set (Istio validation)',
    ]);
    expect(problems({ selector: { matchLabels: { app: 'finance' } }, portLevelMtls: { http: { mode: 'DISABLE' } } })[0]).toMatch(
      /must be a port number like "8080"/,
    );
  });
});

describe('Istio: VirtualService match port', () => {
  const vs = (port: number, gateways?: string[]) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'httpbin' },
    spec: {
      hosts: ['httpbin'],
      ...(gateways ? { gateways } : {}),
      http: [
        { match: [{ port }], route: [{ destination: { host: 'httpbin', subset: 'v2' } }] },
        { route: [{ destination: { host: 'httpbin', subset: 'v1' } }] },
      ],
    },
  });
  const dr = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'httpbin' },
    spec: { host: 'httpbin', subsets: ['v1', 'v2'].map((v) => ({ name: v, labels: { version: v } })) },
  };
  const served = (port: number) =>
    run(
      {
        duration: '1s',
        services: [{ name: 'curl' }, { name: 'httpbin', port: 8000, versions: ['v1', 'v2'] }],
        traffic: [{ from: 'curl', to: 'httpbin', at: '100ms' }],
        istio: [dr, vs(port)],
      },
      'istio',
    ).report.requests[0]!.tries.map((t) => t.pod);

  it("a rule with match port takes only requests addressed to that port (httpbin's 8000)", () => {
    expect(served(8000)).toEqual(['httpbin-v2-0']);
    expect(served(9000)).toEqual(['httpbin-v1-0']);
  });

  it('a port match at a gateway needs a Gateway of that name (its listener port is what the match compares; Egress Gateways task: test/mesh/egressGatewayTask.test.ts)', () => {
    const r = parseScenario(
      stringify({
        id: 't',
        title: 't',
        duration: '1s',
        services: [{ name: 'curl' }, { name: 'httpbin', versions: ['v1', 'v2'] }],
        istio: [dr, vs(80, ['my-gateway'])],
      }),
      'v.yaml',
    );
    expect(r.ok ? [] : r.problems.map((p) => formatProblem(p).replace(/^v\.yaml:\d+:\d+: /, ''))).toContain(
      'istio[1].spec.http[0].match[0].port is matched at Gateway "my-gateway", which no Gateway resource defines',
    );
  });
});
