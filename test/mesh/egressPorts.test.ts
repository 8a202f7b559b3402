/**
 * One outside host on two ports: HTTP on 80 and HTTPS on 443, as the Istio Egress TLS
 * Origination task's edition.cnn.com (istio.io tasks/traffic-management/egress/
 * egress-tls-origination: `curl http://edition.cnn.com/politics` answers 301 Moved Permanently,
 * `https://` answers 200; its ServiceEntry lists port 80 HTTP and port 443 HTTPS). A ServiceEntry
 * registers each host on each port it lists (FIDELITY E1), so the registry is keyed by host and
 * port; the other meshes key their own egress rules the same way.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { run, scenarioOf } from '../helpers/sim.ts';
import { effectiveResources, profileById } from '../../src/mesh/index.ts';
import { formatProblem, parseScenario } from '../../src/scenario/index.ts';

const CNN = [
  { host: 'edition.cnn.com', protocol: 'http', status: 301 },
  { host: 'edition.cnn.com', protocol: 'https' },
];
const serviceEntry = (ports: number[]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'edition-cnn-com' },
  spec: {
    hosts: ['edition.cnn.com'],
    ports: ports.map((n) => ({ number: n, name: n === 80 ? 'http-port' : 'https-port', protocol: n === 80 ? 'HTTP' : 'HTTPS' })),
    resolution: 'DNS',
  },
});
const registryOnly = {
  apiVersion: 'install.istio.io/v1alpha1',
  kind: 'IstioOperator',
  metadata: { name: 'mesh', namespace: 'istio-system' },
  spec: { meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } },
};
const cnn = (extra: Record<string, unknown> = {}) => ({
  duration: '2s',
  services: [{ name: 'curl' }],
  external: CNN,
  traffic: [
    { from: 'curl', to: 'edition.cnn.com', port: 80, at: '100ms', path: '/politics' },
    { from: 'curl', to: 'edition.cnn.com', port: 443, at: '200ms', path: '/politics' },
  ],
  ...extra,
});
/** The generated resources of `kind`: name and ports (a ServiceEntry's ports, a Consul destination's port). */
function generated(obj: Record<string, unknown>, mesh: string, kind: string): { name: string; ports: number[] }[] {
  type Doc = { kind: string; metadata: { name: string }; spec: { ports?: { number: number }[]; destination?: { port: number } } };
  const docs = effectiveResources(scenarioOf(obj), profileById(mesh)!).map((r) => parseAllDocuments(r.yaml)[0]!.toJS() as Doc);
  return docs
    .filter((d) => d.kind === kind)
    .map((d) => ({ name: d.metadata.name, ports: d.spec.ports ? d.spec.ports.map((p) => p.number) : [d.spec.destination!.port] }));
}

/** `port status` of each request, in the order they were sent. */
const answers = (r: ReturnType<typeof run>): string[] => r.report.requests.map((q) => String(q.status));

describe('Egress TLS Origination task: edition.cnn.com on HTTP 80 and HTTPS 443', () => {
  it('before any config: port 80 answers 301 (the host redirects to https), port 443 answers 200 — one host, one node', () => {
    const r = run(cnn(), 'istio');
    expect(answers(r)).toEqual(['301', '200']);
    expect(r.trace.topology.nodes.filter((n) => n.kind === 'external').map((n) => n.id)).toEqual(['ext:edition.cnn.com']);
    // The app's own TLS on 443 travels as TLS; port 80 is plain HTTP.
    const out = r.flights('http-request').filter((f) => f.to === 'ext:edition.cnn.com');
    expect(out.map((f) => (f.detail as { tls?: boolean } | undefined)?.tls)).toEqual([false, true]);
  });

  it('FIDELITY E1: REGISTRY_ONLY with a ServiceEntry for port 80 only — 443 of the same host is not in the registry (reset)', () => {
    const r = run(cnn({ istio: [registryOnly, serviceEntry([80])] }), 'istio');
    expect(answers(r)).toEqual(['301', '0']);
    const deny = r.decisions('deny', 'egress')[0]!;
    expect(deny.summary).toContain('port 443 of edition.cnn.com is not in the registry (ServiceEntry edition-cnn-com lists 80)');
  });

  it("FIDELITY E1: the task's ServiceEntry lists both ports, and both get out under REGISTRY_ONLY", () => {
    const r = run(cnn({ istio: [registryOnly, serviceEntry([80, 443])] }), 'istio');
    expect(answers(r)).toEqual(['301', '200']);
  });

  it('policies.egress allow names the host: every port it listens on is allowed (one ServiceEntry with both ports)', () => {
    const r = run(cnn({ policies: { egress: { mode: 'registry-only', allow: ['edition.cnn.com'] } } }), 'istio');
    expect(answers(r)).toEqual(['301', '200']);
    expect(generated(cnn({ policies: { egress: { mode: 'registry-only', allow: ['edition.cnn.com'] } } }), 'istio', 'ServiceEntry')).toEqual([
      { name: 'edition-cnn-com', ports: [80, 443] },
    ]);
  });

  it('a VirtualService http route applies to the HTTP port only: TLS to 443 is not routed by path', () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'cnn' },
      spec: { hosts: ['edition.cnn.com'], http: [{ match: [{ uri: { prefix: '/sport' } }], route: [{ destination: { host: 'edition.cnn.com' } }] }] },
    };
    // /politics matches no http rule: 404 on port 80 (NR), while 443's TLS passes untouched.
    expect(answers(run(cnn({ istio: [vs] }), 'istio'))).toEqual(['404', '200']);
  });

  it('an unmeshed client reaches each port directly', () => {
    const r = run(cnn({ services: [{ name: 'curl', meshed: false }] }), 'istio');
    expect(answers(r)).toEqual(['301', '200']);
  });

  it('a call in services[].calls names the port too', () => {
    const r = run(
      {
        duration: '2s',
        services: [{ name: 'front', calls: [{ to: 'edition.cnn.com', port: 80 }] }, { name: 'curl' }],
        external: CNN,
        traffic: [{ from: 'curl', to: 'front', at: '100ms' }],
      },
      'istio',
    );
    // The app's call got 301, a 3xx: the request it was handling answers 301 too (a failed call propagates only 5xx or no answer).
    expect(r.flights('http-response').some((f) => f.from === 'ext:edition.cnn.com' && f.status === 301)).toBe(true);
  });
});

describe('other meshes key outside hosts by host and port', () => {
  it('Consul: allow-listed through the terminating gateway — one destination per port', () => {
    const r = run(cnn({ policies: { egress: { mode: 'registry-only', allow: ['edition.cnn.com'] } } }), 'consul');
    expect(answers(r)).toEqual(['301', '200']);
    expect(generated(cnn({ policies: { egress: { mode: 'registry-only', allow: ['edition.cnn.com'] } } }), 'consul', 'ServiceDefaults')).toEqual([
      { name: 'edition-cnn-com', ports: [80] },
      { name: 'edition-cnn-com-443', ports: [443] },
    ]);
  });

  it('FIDELITY-MORE J6: OSM — an Egress policy for port 80 lets 80 out, not 443', () => {
    const osm = [
      {
        apiVersion: 'config.openservicemesh.io/v1alpha2',
        kind: 'MeshConfig',
        metadata: { name: 'osm-mesh-config', namespace: 'osm-system' },
        spec: { traffic: { enableEgress: false } },
      },
      {
        apiVersion: 'policy.openservicemesh.io/v1alpha1',
        kind: 'Egress',
        metadata: { name: 'cnn' },
        spec: { sources: [{ kind: 'ServiceAccount', name: 'curl' }], hosts: ['edition.cnn.com'], ports: [{ number: 80, protocol: 'http' }] },
      },
    ];
    expect(answers(run(cnn({ osm }), 'osm'))).toEqual(['301', '0']);
  });

  it("FIDELITY E2: Linkerd — policies.egress allow for a host on two ports builds a route per port, each of its port's kind", () => {
    const allow = cnn({ policies: { egress: { mode: 'registry-only', allow: ['edition.cnn.com'] } } });
    // Before: one HTTPRoute from the first entry, so TLS to 443 found no TLSRoute and was closed (tls-egress-deny).
    expect(answers(run(allow, 'linkerd'))).toEqual(['301', '200']);
    type Route = { kind: string; metadata: { name: string }; spec: { parentRefs: { port?: number }[] } };
    const routes = effectiveResources(scenarioOf(allow), profileById('linkerd')!)
      .map((r) => parseAllDocuments(r.yaml)[0]!.toJS() as Route)
      .filter((d) => d.kind === 'HTTPRoute' || d.kind === 'TLSRoute')
      .map((d) => `${d.kind} ${d.metadata.name} port ${d.spec.parentRefs[0]!.port}`);
    expect(routes).toEqual(['HTTPRoute allow-edition-cnn-com-80 port 80', 'TLSRoute allow-edition-cnn-com-443 port 443']);
  });

  it('FIDELITY E2: Linkerd — a route whose EgressNetwork parentRef names a port lets out that port only', () => {
    const network = {
      apiVersion: 'policy.linkerd.io/v1alpha1',
      kind: 'EgressNetwork',
      metadata: { name: 'egress', namespace: 'linkerd-egress' },
      spec: { trafficPolicy: 'Deny' },
    };
    const tls = (port: number) => ({
      apiVersion: 'gateway.networking.k8s.io/v1alpha2',
      kind: 'TLSRoute',
      metadata: { name: 'cnn-tls', namespace: 'linkerd-egress' },
      spec: { parentRefs: [{ name: 'egress', kind: 'EgressNetwork', group: 'policy.linkerd.io', port }], hostnames: ['edition.cnn.com'], rules: [{}] },
    });
    const http = (port: number) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'cnn-http', namespace: 'linkerd-egress' },
      spec: { parentRefs: [{ name: 'egress', kind: 'EgressNetwork', group: 'policy.linkerd.io', port }], hostnames: ['edition.cnn.com'], rules: [{}] },
    });
    expect(answers(run(cnn({ linkerd: [network, tls(443), http(80)] }), 'linkerd'))).toEqual(['301', '200']);
    // Ports the host is not reached on: 80 answers the network's 403, and TLS to 443 is closed.
    expect(answers(run(cnn({ linkerd: [network, tls(8443), http(8080)] }), 'linkerd'))).toEqual(['403', '0']);
  });

  it('Istio ambient and Linkerd reach both ports', () => {
    expect(answers(run(cnn(), 'ambient'))).toEqual(['301', '200']);
    expect(answers(run(cnn(), 'linkerd'))).toEqual(['301', '200']);
  });
});

describe('the format: located errors', () => {
  const problems = (extra: Record<string, unknown>): string[] => {
    const r = parseScenario(stringify({ id: 't', title: 't', duration: '1s', services: [{ name: 'curl' }], external: CNN, ...extra }), 'p.yaml');
    return r.ok ? ['ok'] : r.problems.map(formatProblem);
  };

  it('a host on two ports must be addressed with port', () => {
    expect(problems({ traffic: [{ from: 'curl', to: 'edition.cnn.com', at: '0s' }] })).toEqual([
      'p.yaml:14:9: traffic[0].to names external host "edition.cnn.com", which listens on ports 80 and 443: say which with port',
    ]);
  });

  it('a port the host does not have, or a port on a service, is an error at the port', () => {
    expect(problems({ traffic: [{ from: 'curl', to: 'edition.cnn.com', port: 8080, at: '0s' }] })).toEqual([
      'p.yaml:15:11: traffic[0].port 8080 is not a port of external host "edition.cnn.com" (it listens on 80, 443)',
    ]);
    expect(problems({ services: [{ name: 'curl' }, { name: 'web' }], traffic: [{ from: 'curl', to: 'web', port: 80, at: '0s' }] })[0]).toMatch(
      /^p\.yaml:\d+:\d+: traffic\[0\]\.port is only for an external host: "web" is not one/,
    );
    expect(problems({ services: [{ name: 'curl', calls: [{ to: 'edition.cnn.com' }] }] })[0]).toMatch(
      /^p\.yaml:\d+:\d+: services\[0\]\.calls\[0\]\.to names external host "edition.cnn.com", which listens on ports 80 and 443/,
    );
  });

  it('the same host on the same port twice is an error naming the first', () => {
    const p = problems({ external: [...CNN, { host: 'edition.cnn.com', port: 80, protocol: 'http' }] });
    expect(p).toEqual([
      'p.yaml:12:11: external[2].host declares external host "edition.cnn.com" on port 80 a second time (a host may be listed once per port) (first declared on line 7)',
    ]);
  });
});
