import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

const bookinfo = (extra: Record<string, unknown> = {}) => ({
  services: [{ name: 'productpage', replicas: 2 }, { name: 'reviews' }],
  clients: [{ name: 'browser' }],
  ingress: { host: 'bookinfo.example.com', routes: [{ pathPrefix: '/productpage', service: 'productpage' }] },
  traffic: [{ from: 'browser', to: 'bookinfo.example.com', rate: '5/s', stop: '2s', path: '/productpage' }],
  ...extra,
});

describe('ingress', () => {
  it('FIDELITY E1: Istio — a Gateway on istio-ingressgateway and a VirtualService bound to it; the gateway originates mTLS', () => {
    const r = run(bookinfo(), 'istio');
    expect(r.report.summary.ok).toBe(r.report.summary.total);
    expect(r.report.summary.total).toBeGreaterThan(5);
    const gw = r.trace.topology.pods.find((p) => p.name === 'istio-ingressgateway-0')!;
    expect(gw).toMatchObject({ role: 'gateway', namespace: 'istio-system' });
    const toGateway = r.flights('http-request').filter((f) => f.from === 'client:browser');
    expect(toGateway[0]!.to).toBe('istio-ingressgateway-0/gateway');
    expect(toGateway[0]!.mtls).toBe(false);
    const fromGateway = r.flights('http-request').filter((f) => f.from === 'istio-ingressgateway-0/gateway');
    expect(fromGateway.every((f) => f.mtls && f.to.startsWith('productpage'))).toBe(true);
    expect(r.decisions('route').find((d) => d.node === 'istio-ingressgateway-0/gateway')!.cause.config).toMatch(/VirtualService ingress/);
  });

  it('FIDELITY E2: Linkerd — a meshed ingress-nginx sends to the Service; its proxy balances and originates mTLS', () => {
    const r = run(bookinfo(), 'linkerd');
    expect(r.report.summary.ok).toBe(r.report.summary.total);
    const nginx = r.trace.topology.pods.find((p) => p.name === 'ingress-nginx-controller-0')!;
    expect(nginx).toMatchObject({ role: 'workload', namespace: 'ingress-nginx', meshed: true });
    expect(r.flights('http-request').find((f) => f.from === 'client:browser')!.to).toBe('ingress-nginx-controller-0/proxy');
    const upstream = r.flights('http-request').filter((f) => f.from === 'ingress-nginx-controller-0/proxy' && f.to.startsWith('productpage'));
    expect(upstream.length).toBeGreaterThan(0);
    expect(upstream.every((f) => f.mtls)).toBe(true);
    expect(r.decisions('endpoint').some((d) => d.node === 'ingress-nginx-controller-0/proxy' && d.cause.config.includes('peak-EWMA'))).toBe(true);
  });

  it('a path no ingress rule covers gets 404 at the edge', () => {
    const s = bookinfo({ traffic: [{ from: 'browser', to: 'bookinfo.example.com', at: '1s', path: '/admin' }] });
    expect(run(s, 'istio').report.requests[0]!.status).toBe(404);
    expect(run(s, 'linkerd').report.requests[0]!.status).toBe(404);
  });
});

const egress = (policy?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  services: [{ name: 'app' }],
  external: [
    { host: 'api.example.com', protocol: 'http' },
    { host: 'secure.example.com', protocol: 'https' },
  ],
  traffic: [
    { from: 'app', to: 'api.example.com', at: '1s' },
    { from: 'app', to: 'secure.example.com', at: '2s' },
  ],
  ...(policy ? { policies: { egress: policy } } : {}),
  ...extra,
});
const statusByHost = (r: ReturnType<typeof run>) => Object.fromEntries(r.report.requests.map((q) => [q.to, q.status]));

describe('egress', () => {
  it('FIDELITY E1, E2: both meshes let traffic out by default (ALLOW_ANY; no EgressNetwork)', () => {
    for (const mesh of ['istio', 'linkerd'] as const) expect(statusByHost(run(egress(), mesh))).toEqual({ 'api.example.com': 200, 'secure.example.com': 200 });
    expect(run(egress(), 'istio').decisions('egress')[0]!.summary).toContain('PassthroughCluster');
  });

  it('FIDELITY E1: REGISTRY_ONLY — HTTP to an unregistered host gets 502 (BlackHoleCluster), HTTPS is reset', () => {
    const r = run(egress({ mode: 'registry-only' }), 'istio');
    expect(statusByHost(r)).toEqual({ 'api.example.com': 502, 'secure.example.com': 0 });
    expect(r.report.requests.find((q) => q.to === 'secure.example.com')!.reason).toContain('curl exit 35');
  });

  it('a checkpoint can ask about one external host', () => {
    const checkpoints = [
      { at: '0s', question: 'Will calls to api.example.com fail?', measure: 'client-errors', service: 'api.example.com' },
      { at: '0s', question: 'Will calls to app fail?', measure: 'client-errors', service: 'app' },
    ];
    const r = run(egress({ mode: 'registry-only', allow: ['secure.example.com'] }, { checkpoints }), 'istio');
    expect(statusByHost(r)).toEqual({ 'api.example.com': 502, 'secure.example.com': 200 });
    expect(r.report.checkpoints.map((c) => c.answer)).toEqual(['yes', 'no']);
  });

  it('FIDELITY E1: a ServiceEntry lets a registered host out under REGISTRY_ONLY', () => {
    const r = run(egress({ mode: 'registry-only', allow: ['api.example.com', 'secure.example.com'] }), 'istio');
    expect(statusByHost(r)).toEqual({ 'api.example.com': 200, 'secure.example.com': 200 });
    expect(r.decisions('egress')[0]!.summary).toContain('ServiceEntry');
  });

  it('FIDELITY E2: a Deny EgressNetwork answers HTTP with 403 and closes TLS; a route under it lets a host out', () => {
    const denied = run(egress({ mode: 'registry-only' }), 'linkerd');
    expect(statusByHost(denied)).toEqual({ 'api.example.com': 403, 'secure.example.com': 0 });
    const allowed = run(egress({ mode: 'registry-only', allow: ['api.example.com'] }), 'linkerd');
    expect(statusByHost(allowed)).toEqual({ 'api.example.com': 200, 'secure.example.com': 0 });
  });

  // The resources of Linkerd's "Managing egress traffic" task, as a course author would paste them.
  const egressTask = (httpRoute: Record<string, unknown>, tlsRoute?: Record<string, unknown>) => ({
    services: [{ name: 'app' }],
    external: [
      { host: 'httpbin.org', protocol: 'http' },
      { host: 'github.com', protocol: 'https' },
    ],
    traffic: [
      { from: 'app', to: 'httpbin.org', at: '1s', path: '/get' },
      { from: 'app', to: 'httpbin.org', at: '2s', path: '/post', method: 'POST' },
      { from: 'app', to: 'github.com', at: '3s' },
    ],
    linkerd: [
      {
        apiVersion: 'policy.linkerd.io/v1alpha1',
        kind: 'EgressNetwork',
        metadata: { name: 'all-egress-traffic', namespace: 'default' },
        spec: { trafficPolicy: 'Deny' },
      },
      httpRoute,
      ...(tlsRoute ? [tlsRoute] : []),
    ],
  });
  const parentRefs = (port: number) => [{ name: 'all-egress-traffic', kind: 'EgressNetwork', group: 'policy.linkerd.io', namespace: 'default', port }];
  const httpbinGet = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'httpbin-get', namespace: 'default' },
    spec: { parentRefs: parentRefs(80), rules: [{ matches: [{ path: { value: '/get' } }] }] },
  };
  const tlsEgress = {
    apiVersion: 'gateway.networking.k8s.io/v1alpha2',
    kind: 'TLSRoute',
    metadata: { name: 'tls-egress', namespace: 'default' },
    spec: { parentRefs: parentRefs(443), rules: [{ backendRefs: [{ kind: 'EgressNetwork', group: 'policy.linkerd.io', name: 'all-egress-traffic' }] }] },
  };

  it('FIDELITY E2 (tasks/managing-egress-traffic): an HTTPRoute without hostnames lets out only the paths its rules match; the rest get 403', () => {
    const r = run(egressTask(httpbinGet), 'linkerd');
    expect(r.report.requests.map((q) => `${q.to} ${q.status}`)).toEqual(['httpbin.org 200', 'httpbin.org 403', 'github.com 0']);
    expect(r.decisions('egress')[0]!.summary).toContain('HTTPRoute httpbin-get rule 0');
    expect(r.decisions('deny')[0]!.summary).toMatch(/POST \/post to httpbin.org denied .*http-egress-deny/);
  });

  it('FIDELITY E2: with hostnames, a request no rule matches goes on to the EgressNetwork policy (403 under Deny), not a 404', () => {
    // linkerd2 policy-controller outbound/http.rs protocol(): the default egress route always follows an EgressNetwork's routes.
    const named = { ...httpbinGet, spec: { ...httpbinGet.spec, hostnames: ['httpbin.org'] } };
    const r = run(egressTask(named), 'linkerd');
    expect(r.report.requests.map((q) => `${q.to} ${q.status}`)).toEqual(['httpbin.org 200', 'httpbin.org 403', 'github.com 0']);
    expect(r.decisions('no-route')).toEqual([]);
  });

  it('FIDELITY E2: an EgressNetwork without networks covers everything but the clusterNetworks (private ranges)', () => {
    const r = run(
      {
        services: [{ name: 'app' }],
        external: [
          { host: 'public.example.com', protocol: 'http', ip: '198.51.100.7' },
          { host: 'private.example.com', protocol: 'http', ip: '10.1.2.3' },
        ],
        traffic: [
          { from: 'app', to: 'public.example.com', at: '1s' },
          { from: 'app', to: 'private.example.com', at: '2s' },
        ],
        linkerd: [
          {
            apiVersion: 'policy.linkerd.io/v1alpha1',
            kind: 'EgressNetwork',
            metadata: { name: 'deny-all', namespace: 'default' },
            spec: { trafficPolicy: 'Deny' },
          },
        ],
      },
      'linkerd',
    );
    expect(r.report.requests.map((q) => `${q.to} ${q.status}`)).toEqual(['public.example.com 403', 'private.example.com 200']);
  });

  it('FIDELITY E2 (tasks/managing-egress-traffic): a TLSRoute with the EgressNetwork as backend and no hostnames lets every TLS connection out', () => {
    const r = run(egressTask(httpbinGet, tlsEgress), 'linkerd');
    expect(r.report.requests.map((q) => `${q.to} ${q.status}`)).toEqual(['httpbin.org 200', 'httpbin.org 403', 'github.com 200']);
  });

  it('FIDELITY E2: an Allow EgressNetwork forwards; the namespace’s own network wins over the global one', () => {
    const net = (name: string, namespace: string, trafficPolicy: string) => ({
      apiVersion: 'policy.linkerd.io/v1alpha1',
      kind: 'EgressNetwork',
      metadata: { name, namespace },
      spec: { trafficPolicy },
    });
    const r = run(egress(undefined, { linkerd: [net('global', 'linkerd-egress', 'Deny'), net('local', 'default', 'Allow')] }), 'linkerd');
    expect(statusByHost(r)).toEqual({ 'api.example.com': 200, 'secure.example.com': 200 });
    const onlyGlobal = run(egress(undefined, { linkerd: [net('global', 'linkerd-egress', 'Deny')] }), 'linkerd');
    expect(statusByHost(onlyGlobal)['api.example.com']).toBe(403);
  });

  it('FIDELITY E1: through an egress gateway, the sidecar sends to istio-egressgateway with mTLS, and the gateway to the host', () => {
    const r = run(egress({ mode: 'registry-only', allow: ['api.example.com'], gateway: true }), 'istio');
    expect(statusByHost(r)['api.example.com']).toBe(200);
    const hops = r.flights('http-request').filter((f) => f.requestId === r.report.requests.find((q) => q.to === 'api.example.com')!.id);
    expect(hops.map((f) => `${f.from} -> ${f.to}`)).toEqual([
      'app-0/app -> app-0/proxy',
      'app-0/proxy -> istio-egressgateway-0/gateway',
      'istio-egressgateway-0/gateway -> ext:api.example.com',
    ]);
    expect(hops[1]!.mtls).toBe(true);
  });
});
