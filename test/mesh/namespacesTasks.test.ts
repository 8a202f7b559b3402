/**
 * The same service name in several namespaces, as Istio's security tasks deploy it: httpbin and
 * curl (sleep in older releases) with sidecars in foo and bar, curl without one in legacy.
 * - Mutual TLS Migration (istio.io tasks/security/authentication/mtls-migration): every curl
 *   reaches httpbin.foo and httpbin.bar with 200; after a PeerAuthentication STRICT in foo, the
 *   legacy curl gets "000 ... exit code 56" from httpbin.foo (the connection is reset) and still
 *   200 from httpbin.bar; a mesh-wide STRICT in istio-system shuts it out of both (FIDELITY A1).
 * Services whose name repeats are keyed `name.namespace` (src/scenario/names.ts).
 */
import { describe, expect, it } from 'vitest';
import { run, scenarioOf } from '../helpers/sim.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';
import { stringify } from 'yaml';

const SERVICES = [
  { name: 'httpbin', namespace: 'foo', port: 8000 },
  { name: 'httpbin', namespace: 'bar', port: 8000 },
  { name: 'curl', namespace: 'foo' },
  { name: 'curl', namespace: 'bar' },
  { name: 'curl', namespace: 'legacy', meshed: false },
];
// `for from in foo bar legacy; do for to in foo bar; do curl http://httpbin.${to}:8000/ip`
const TRAFFIC = ['foo', 'bar', 'legacy'].flatMap((from, i) =>
  ['foo', 'bar'].map((to, j) => ({ from: `curl.${from}`, to: `httpbin.${to}`, path: '/ip', at: `${1 + i * 2 + j}00ms` })),
);
const strict = (namespace: string) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: 'default', namespace },
  spec: { mtls: { mode: 'STRICT' } },
});

/** `curl.from to httpbin.to: status`, as the task's loop prints it (000 for no HTTP answer). */
function table(istio: unknown[]): string[] {
  const r = run({ duration: '2s', services: SERVICES, traffic: TRAFFIC, istio }, 'istio');
  return r.report.requests.map((q) => `${q.from.replace(/-0\./, '.')} to ${q.to}: ${String(q.status).padStart(3, '0')}`);
}

describe('Istio task: Mutual TLS Migration', () => {
  it('every curl reaches httpbin.foo and httpbin.bar while both are PERMISSIVE', () => {
    expect(table([])).toEqual([
      'curl.foo to httpbin.foo: 200',
      'curl.foo to httpbin.bar: 200',
      'curl.bar to httpbin.foo: 200',
      'curl.bar to httpbin.bar: 200',
      'curl.legacy to httpbin.foo: 200',
      'curl.legacy to httpbin.bar: 200',
    ]);
  });

  it('STRICT in namespace foo shuts the sidecar-less curl out of httpbin.foo only', () => {
    expect(table([strict('foo')])).toEqual([
      'curl.foo to httpbin.foo: 200',
      'curl.foo to httpbin.bar: 200',
      'curl.bar to httpbin.foo: 200',
      'curl.bar to httpbin.bar: 200',
      'curl.legacy to httpbin.foo: 000',
      'curl.legacy to httpbin.bar: 200',
    ]);
  });

  it('a mesh-wide STRICT (istio-system) shuts it out of both', () => {
    expect(table([strict('istio-system')]).filter((l) => l.endsWith('000'))).toEqual(['curl.legacy to httpbin.foo: 000', 'curl.legacy to httpbin.bar: 000']);
  });
});

describe('a service name in several namespaces', () => {
  it('keys the repeats name.namespace, names their pods <name>-<i>.<namespace>, and keeps Kubernetes names for labels, DNS and identity', () => {
    const sc = scenarioOf({ services: SERVICES, traffic: [{ from: 'curl.foo', to: 'httpbin', at: '1s' }] });
    expect(sc.services.map((s) => s.name)).toEqual(['httpbin.foo', 'httpbin.bar', 'curl.foo', 'curl.bar', 'curl.legacy']);
    // A short name resolves in the sender's namespace, as Kubernetes DNS does.
    expect(sc.traffic[0]!.to).toBe('httpbin.foo');
    const r = run({ services: SERVICES, traffic: [{ from: 'curl.bar', to: 'httpbin', at: '1s' }] }, 'istio');
    const pods = r.trace.topology.nodes.filter((n) => n.kind === 'app').map((n) => n.pod);
    expect(pods).toContain('httpbin-0.bar');
    const served = r.report.requests[0]!;
    expect(served.status).toBe(200);
    expect(served.tries?.map((t) => t.pod) ?? []).toEqual(['httpbin-0.bar']);
    const server = r.trace.topology.pods.find((p) => p.name === 'httpbin-0.bar')!;
    expect(server).toMatchObject({ namespace: 'bar', serviceAccount: 'httpbin', identity: 'spiffe://cluster.local/ns/bar/sa/httpbin' });
    expect(r.trace.topology.services.find((s) => s.name === 'httpbin.bar')).toMatchObject({ namespace: 'bar', pods: ['httpbin-0.bar'] });
  });

  it('a file where no name repeats loads exactly as before (no key changes)', () => {
    const sc = scenarioOf({ services: [{ name: 'a' }, { name: 'b', namespace: 'x' }], traffic: [{ from: 'a', to: 'b', at: '1s' }] });
    expect(sc.services.map((s) => s.name)).toEqual(['a', 'b']);
    expect(sc.traffic[0]!.to).toBe('b');
  });

  const problems = (obj: Record<string, unknown>): string[] => {
    const r = parseScenario(stringify({ id: 't', title: 't', duration: '2s', ...obj }), 'ns.yaml');
    return r.ok ? ['ok'] : r.problems.map(formatProblem);
  };

  it('a short name the sender cannot resolve, or a repeat in one namespace, is a located error', () => {
    expect(problems({ services: SERVICES, traffic: [{ from: 'curl.legacy', to: 'httpbin', at: '1s' }] })).toEqual([
      'ns.yaml:20:9: traffic[0].to names service "httpbin", which runs in namespaces foo, bar but not in legacy: say which (httpbin.foo)',
    ]);
    expect(problems({ services: [...SERVICES, { name: 'curl', namespace: 'bar' }], traffic: [] })[0]).toMatch(
      /^ns\.yaml:\d+:\d+: services\[5\]\.name declares service "curl" in namespace bar a second time \(first declared on line \d+\)$/,
    );
    expect(problems({ services: SERVICES, traffic: [{ from: 'curl', to: 'httpbin.foo', at: '1s' }] })[0]).toMatch(
      /traffic\[0\]\.from names a service, pod or client "curl"/,
    );
  });

  it("a DestinationRule host short name resolves in the rule's namespace", () => {
    const dr = (namespace: string) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'httpbin', namespace },
      spec: { host: 'httpbin', trafficPolicy: { tls: { mode: 'DISABLE' } } },
    });
    // tls DISABLE toward a STRICT server: the client sidecar's connection is reset (503 UF).
    const res = (namespace: string) =>
      run(
        {
          duration: '2s',
          services: SERVICES,
          traffic: [
            { from: 'curl.foo', to: 'httpbin.foo', at: '100ms' },
            { from: 'curl.foo', to: 'httpbin.bar', at: '200ms' },
          ],
          istio: [strict('istio-system'), dr(namespace)],
        },
        'istio',
      ).report.requests.map((q) => `${q.to} ${q.status}`);
    expect(res('foo')).toEqual(['httpbin.foo 503', 'httpbin.bar 200']);
    expect(res('bar')).toEqual(['httpbin.foo 200', 'httpbin.bar 503']);
  });
});

describe('Linkerd: routes and the same service name in several namespaces', () => {
  it("an HTTPRoute's parentRef and backendRefs name Services of the route's namespace", () => {
    // In foo, httpbin's route sends everything to httpbin-v2 (of foo): bar's httpbin is untouched.
    const services = [...SERVICES, { name: 'httpbin-v2', namespace: 'foo', port: 8000 }, { name: 'httpbin-v2', namespace: 'bar', port: 8000 }];
    const r = run(
      {
        duration: '2s',
        services,
        traffic: [
          { from: 'curl.foo', to: 'httpbin', at: '100ms' },
          { from: 'curl.bar', to: 'httpbin', at: '200ms' },
        ],
        linkerd: [
          {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'HTTPRoute',
            metadata: { name: 'httpbin', namespace: 'foo' },
            spec: { parentRefs: [{ name: 'httpbin', kind: 'Service' }], rules: [{ backendRefs: [{ name: 'httpbin-v2' }] }] },
          },
        ],
      },
      'linkerd',
    );
    expect(r.report.requests.map((q) => `${q.to} ${q.status} ${q.tries?.map((t) => t.pod).join(',')}`)).toEqual([
      'httpbin.foo 200 httpbin-v2-0.foo',
      'httpbin.bar 200 httpbin-0.bar',
    ]);
  });
});

describe('Consul: the same service name in several Kubernetes namespaces', () => {
  it('is a located error next to consul: resources (Consul CE would register them as one service)', () => {
    const r = parseScenario(
      stringify({
        id: 't',
        title: 't',
        duration: '1s',
        services: SERVICES,
        consul: [{ apiVersion: 'mesh-sim/v1', kind: 'HelmValues', metadata: { name: 'consul' }, values: { global: { acls: { manageSystemACLs: true } } } }],
      }),
      'c.yaml',
    );
    const lines = r.ok ? [] : r.problems.map(formatProblem);
    expect(lines).toHaveLength(SERVICES.length);
    expect(lines[0]).toMatch(
      /^c\.yaml:\d+:\d+: services\[0\]\.name repeats a name of another namespace, which is not simulated with consul: resources \(Consul CE would register every httpbin as one service\); rename it$/,
    );
  });
});
