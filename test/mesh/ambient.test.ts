/**
 * Istio ambient mode (src/mesh/profiles/ambient): ztunnel per node, HBONE, waypoints, the
 * authorization split. Each test is named after the FIDELITY-MORE item it checks.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { ambientAt, ambientProfile, istioProfile, simulate } from '../../src/mesh/index.ts';
import type { TransitionEvent } from '../../src/sim/index.ts';
import { scenarioOf } from '../helpers/sim.ts';

const SPIFFE = (sa: string): string => `spiffe://cluster.local/ns/default/sa/${sa}`;
const NODES = [
  { name: 'node-a', pods: ['client-0'] },
  { name: 'node-b', pods: ['server-0', 'server-1'] },
];
const WAYPOINT = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'waypoint' },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
};
const ENROLL = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'istio.io/use-waypoint': 'waypoint' } } };
const base = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  nodes: NODES,
  services: [{ name: 'client' }, { name: 'server', replicas: 2, latency: '30ms' }],
  traffic: [{ from: 'client', to: 'server', rate: '20/s', start: '1s', stop: '2s' }],
  duration: '3s',
  ...extra,
});
const pathOf = (r: ReturnType<typeof run>, id: string): string[] =>
  r
    .flights('http-request')
    .filter((f) => f.requestId === id)
    .map((f) => `${f.from} → ${f.to}`);

describe('Istio ambient: ztunnel (L4)', () => {
  it('FIDELITY-MORE H2: without a waypoint, app → its ztunnel → HBONE to the destination ztunnel → app', () => {
    const r = run(base(), 'ambient');
    expect(r.report.summary.ok).toBe(20);
    const id = r.report.requests[0]!.id;
    const path = pathOf(r, id);
    expect(path.slice(0, 2)).toEqual(['client-0/app → node-a/ztunnel', 'node-a/ztunnel → node-b/ztunnel']);
    expect(path[2]).toMatch(/^node-b\/ztunnel → server-[01]\/app$/);
    const tunnelled = r.flights('http-request').find((f) => f.requestId === id && f.from === 'node-a/ztunnel')!;
    expect(tunnelled.mtls).toBe(true);
    expect(String(tunnelled.detail?.tunnel)).toMatch(/^HBONE CONNECT 10\.244\.0\.\d+:80$/);
    // No sidecar anywhere: the pods are not injected.
    expect(r.trace.topology.pods.every((p) => p.proxy === undefined)).toBe(true);
    expect(r.trace.topology.proxies.map((p) => p.kind)).toEqual(['node', 'node']);
  });

  it('FIDELITY-MORE H2: one HBONE connection per pair of identities carries up to 100 streams, then another opens', () => {
    // 400 requests/s taking 1 s each: about 400 in flight from one identity to one.
    const r = run(
      base({
        services: [{ name: 'client' }, { name: 'server', replicas: 2, latency: '1s' }],
        traffic: [{ from: 'client', to: 'server', rate: '400/s', start: '1s', stop: '2s' }],
        duration: '4s',
      }),
      'ambient',
    );
    expect(r.report.summary.ok).toBe(400);
    const conns = new Set(r.transitions('tlsConnection').map((e: TransitionEvent) => e.entity));
    // Under Istio sidecars (HTTP/1.1, one request per connection at a time) the same load opens hundreds.
    expect(conns.size).toBeGreaterThanOrEqual(4);
    expect(conns.size).toBeLessThanOrEqual(6);
    const sidecars = run(
      base({
        services: [{ name: 'client' }, { name: 'server', replicas: 2, latency: '1s' }],
        traffic: [{ from: 'client', to: 'server', rate: '400/s', start: '1s', stop: '2s' }],
        duration: '4s',
      }),
      'istio',
    );
    expect(sidecars.report.handshakes.length).toBeGreaterThan(100);
    // Few requests: a single tunnel and a single handshake, presenting the client's identity and answered with the server's.
    const few = run(base(), 'ambient');
    expect(few.report.handshakes).toEqual([
      expect.objectContaining({
        client: 'ztunnel-node-a',
        server: 'ztunnel-node-b',
        clientIdentity: SPIFFE('client'),
        serverIdentity: SPIFFE('server'),
        ok: true,
      }),
    ]);
  });

  it('FIDELITY-MORE H2: a destination outside the mesh gets plain TCP, no tunnel', () => {
    const r = run(base({ services: [{ name: 'client' }, { name: 'server', replicas: 2, latency: '30ms', meshed: false }] }), 'ambient');
    expect(r.report.summary.ok).toBe(20);
    expect(r.report.handshakes).toEqual([]);
    const id = r.report.requests[0]!.id;
    expect(pathOf(r, id)[1]).toMatch(/^node-a\/ztunnel → server-[01]\/app$/);
    expect(r.report.requests.every((q) => !q.mtls)).toBe(true);
  });

  it('FIDELITY-MORE H3: a ztunnel holds the certificate of each identity on its node (ECDSA P-256), and no other', () => {
    const r = run(base(), 'ambient');
    const held = (z: string): string[] => [...new Set(r.report.certificates.filter((c) => c.workload.startsWith(`${z}/`)).map((c) => c.identity))];
    expect(held('ztunnel-node-a')).toEqual([SPIFFE('client')]);
    expect(held('ztunnel-node-b')).toEqual([SPIFFE('server')]);
    // Each identity is asked for by ztunnel with its own token (ImpersonatedIdentity), on an ECDSA P-256 key.
    const slot = r.trace.topology.proxies[0]!.identities[0]!;
    const detail = ambientProfile.identity.csrDetail({
      identity: slot.identity,
      serviceAccount: 'client',
      namespace: 'default',
      key: slot.certificate.replace(/^cert:/, ''),
      pods: [],
    });
    expect(detail).toMatchObject({ key: 'ECDSA P-256', credential: expect.stringMatching(/ImpersonatedIdentity/) });
    // Renewal at half of 24 h, failed CSRs retried from 500 ms doubling to 150 s.
    const id = ambientProfile.identity;
    expect(id.certTtlMs).toBe(24 * 3_600_000);
    expect(id.renewAfterMs(24 * 3_600_000, () => 0.5)).toBe(12 * 3_600_000);
    expect([1, 2, 3, 9, 10, 20].map((n) => id.retryAfterMs(n, 1, () => 0.5, 'unreachable'))).toEqual([500, 1000, 2000, 128_000, 150_000, 150_000]);
  });

  it('FIDELITY-MORE H7: ztunnel never retries — a 503 from the app reaches the client; a waypoint route with retries retries it', () => {
    const faults = [{ pod: 'server-0', errors: { status: 503, rate: '100%' } }];
    const l4 = run(base({ faults }), 'ambient');
    expect(l4.report.summary.retries).toBe(0);
    expect(l4.report.summary.byStatus['503']).toBeGreaterThan(0);
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'server' },
      spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 3, retryOn: '5xx' } }] },
    };
    const l7 = run(base({ faults, istio: [WAYPOINT, ENROLL, vs] }), 'ambient');
    expect(l7.report.summary.retries).toBeGreaterThan(0);
    expect(l7.report.summary.ok).toBe(20);
    expect(l7.decisions('retry').every((d) => d.node === 'waypoint-0/gateway')).toBe(true);
  });

  it('FIDELITY-MORE H7: ztunnel balances per connection at random — one keep-alive connection stays on one pod', () => {
    // Closed loop: one app connection sends 40 requests one after the other.
    const closed = run(base({ traffic: [{ from: 'client', to: 'server', count: 40, start: '1s' }], duration: '10s' }), 'ambient');
    expect(new Set(closed.report.requests.map((q) => q.tries[0]!.pod)).size).toBe(1);
    // Open loop: each request on a new connection — both pods serve.
    const open = run(base(), 'ambient');
    expect(new Set(open.report.requests.map((q) => q.tries[0]!.pod)).size).toBe(2);
    expect(open.decisions('endpoint').every((d) => d.cause.source.startsWith('FIDELITY-MORE H7'))).toBe(true);
  });

  it('FIDELITY-MORE H7: with no healthy endpoint the connection is reset, not answered with a 503', () => {
    // The only server pod stops at 1.5 s, halfway through the traffic.
    const down = {
      services: [{ name: 'client' }, { name: 'server', latency: '30ms' }],
      nodes: 2,
      faults: [{ pod: 'server-0', crash: { at: '1500ms' } }],
      traffic: [{ from: 'client', to: 'server', rate: '20/s', start: '1s', stop: '3s' }],
      duration: '4s',
    };
    const ambient = run(base(down), 'ambient');
    expect(Object.keys(ambient.report.summary.byStatus).sort()).toEqual(['0', '200']);
    expect(ambient.decisions('no-endpoint')[0]?.summary).toMatch(/connection closed/);
    const sidecars = run(base(down), 'istio');
    expect(sidecars.report.summary.byStatus['503']).toBeGreaterThan(0);
    expect(sidecars.report.summary.byStatus['0']).toBeUndefined();
  });
});

describe('Istio ambient: waypoints', () => {
  it('FIDELITY-MORE H6: a waypoint enrolled by istio.io/use-waypoint: client ztunnel → waypoint → server ztunnel → pod', () => {
    const r = run(base({ istio: [WAYPOINT, ENROLL] }), 'ambient');
    expect(r.report.summary.ok).toBe(20);
    const path = pathOf(r, r.report.requests[0]!.id);
    expect(path.slice(0, 3)).toEqual(['client-0/app → node-a/ztunnel', 'node-a/ztunnel → waypoint-0/gateway', 'waypoint-0/gateway → node-b/ztunnel']);
    expect(path[3]).toMatch(/^node-b\/ztunnel → server-[01]\/app$/);
    expect(r.trace.topology.proxies.find((p) => p.kind === 'waypoint')).toMatchObject({ name: 'waypoint-0', services: ['client', 'server'] });
    // A waypoint nothing enrolls exists and is unused.
    const idle = run(base({ istio: [WAYPOINT] }), 'ambient');
    expect(pathOf(idle, idle.report.requests[0]!.id)[1]).toBe('node-a/ztunnel → node-b/ztunnel');
  });

  it("FIDELITY-MORE H2: behind a waypoint, the destination ztunnel sees the waypoint's identity, not the client's", () => {
    const r = run(base({ istio: [WAYPOINT, ENROLL] }), 'ambient');
    const toServer = r.report.handshakes.find((h) => h.server === 'ztunnel-node-b')!;
    expect(toServer.clientIdentity).toBe(SPIFFE('waypoint'));
    expect(r.report.handshakes.find((h) => h.server === 'waypoint-0')!.clientIdentity).toBe(SPIFFE('client'));
  });

  it('FIDELITY-MORE H6: a Service label beats its namespace label', () => {
    const other = { ...WAYPOINT, metadata: { name: 'other' } };
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'server', labels: { 'istio.io/use-waypoint': 'other' } } };
    const r = run(base({ istio: [WAYPOINT, other, ENROLL, svc] }), 'ambient');
    expect(pathOf(r, r.report.requests[0]!.id)[1]).toBe('node-a/ztunnel → other-0/gateway');
  });

  it('FIDELITY-MORE H6: with no route, a waypoint before 1.30.3 retries only reset-before-request; 1.30 uses the mesh default policy', () => {
    const scenario = scenarioOf(base({ istio: [WAYPOINT, ENROLL] }));
    const view = { kind: 'waypoint' as const, name: 'waypoint-0', namespace: 'default', nodeName: 'node-1' };
    const at = (v: string) => ambientAt(v).compile(scenario).routesFor(view, 'server')!.rules[0]!;
    expect(at('1.29').retry?.conditionsText).toBe('retryOn reset-before-request');
    expect(at('1.30').retry?.conditionsText).toMatch(/^retryOn connect-failure,refused-stream,unavailable,cancelled/);
    expect(at('1.23').retry).toBeNull();
    // A sidecar's default route is the mesh default at every release.
    const sidecar = { ...view, kind: 'sidecar' as const };
    expect(ambientAt('1.29').compile(scenario).routesFor(sidecar, 'server')!.rules[0]!.retry?.conditionsText).toMatch(/^retryOn connect-failure/);
  });
});

const policy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name }, spec });
const serverSelector = { matchLabels: { app: 'server' } };

describe('Istio ambient: authorization split', () => {
  it('FIDELITY-MORE H4: ztunnel enforces L4 ALLOW by principal; a denied connection is reset', () => {
    const allowOther = policy('only-other', {
      selector: serverSelector,
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/other'] } }] }],
    });
    const r = run(base({ istio: [allowOther] }), 'ambient');
    expect(r.report.summary.byStatus).toEqual({ 0: 20 });
    const deny = r.decisions('deny')[0]!;
    expect(deny.node).toBe('node-b/ztunnel');
    expect(deny.summary).toMatch(/connection reset/);
    const allowClient = policy('only-client', {
      selector: serverSelector,
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/client'] } }] }],
    });
    expect(run(base({ istio: [allowClient] }), 'ambient').report.summary.ok).toBe(20);
  });

  it('FIDELITY-MORE H4: an ALLOW with HTTP fields and no waypoint fails closed — even the requests it names are reset', () => {
    const allowGet = policy('allow-get', { selector: serverSelector, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });
    const r = run(base({ istio: [allowGet] }), 'ambient');
    // Every request is a GET, and every one is refused.
    expect(r.report.requests.every((q) => q.method === 'GET')).toBe(true);
    expect(r.report.summary.byStatus).toEqual({ 0: 20 });
    const deny = r.decisions('deny')[0]!;
    expect(deny.summary).toMatch(/methods were dropped .* fails closed/);
    expect(deny.cause.source).toMatch(/^FIDELITY-MORE H4/);
    // The same policy under sidecars works as written.
    expect(run(base({ istio: [allowGet] }), 'istio').report.summary.ok).toBe(20);
  });

  it('FIDELITY-MORE H4: a DENY with HTTP fields keeps only its L4 part at ztunnel, so it denies more than asked', () => {
    const denyPostFromClient = policy('deny-post', {
      selector: serverSelector,
      action: 'DENY',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/client'] } }], to: [{ operation: { methods: ['POST'] } }] }],
    });
    const r = run(base({ istio: [denyPostFromClient] }), 'ambient');
    expect(r.report.summary.byStatus).toEqual({ 0: 20 });
    expect(r.decisions('deny')[0]!.summary).toMatch(/on its L4 part alone: ztunnel cannot see methods/);
    expect(run(base({ istio: [denyPostFromClient] }), 'istio').report.summary.ok).toBe(20);
  });

  it('FIDELITY-MORE H4: an L7 policy attached to the waypoint (targetRefs) is enforced there: 403, not a reset', () => {
    const denyGet = policy('deny-get', {
      targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' }],
      action: 'DENY',
      rules: [{ to: [{ operation: { methods: ['GET'], paths: ['/admin*'] } }] }],
    });
    const traffic = [
      { from: 'client', to: 'server', rate: '10/s', start: '1s', stop: '2s', path: '/admin/users' },
      { from: 'client', to: 'server', rate: '10/s', start: '1s', stop: '2s', path: '/' },
    ];
    const r = run(base({ istio: [WAYPOINT, ENROLL, denyGet], traffic }), 'ambient');
    expect(r.report.summary.byStatus).toEqual({ 200: 10, 403: 10 });
    expect(r.decisions('deny').every((d) => d.node === 'waypoint-0/gateway')).toBe(true);
    // Sidecars do not enforce a policy attached by targetRefs.
    expect(run(base({ istio: [denyGet], traffic }), 'istio').report.summary.ok).toBe(20);
  });

  it("FIDELITY-MORE H4: behind a waypoint a selector policy naming the client's principal no longer matches at ztunnel", () => {
    const allowClient = policy('only-client', {
      selector: serverSelector,
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/client'] } }] }],
    });
    const r = run(base({ istio: [WAYPOINT, ENROLL, allowClient] }), 'ambient');
    expect(r.decisions('deny')[0]!.summary).toMatch(/cluster\.local\/ns\/default\/sa\/waypoint/);
    expect(r.report.summary.ok).toBe(0);
  });

  it('FIDELITY-MORE H5: PeerAuthentication DISABLE is ignored (HBONE is mTLS); STRICT refuses plaintext from outside the mesh', () => {
    const disable = {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'off', namespace: 'istio-system' },
      spec: { mtls: { mode: 'DISABLE' } },
    };
    const r = run(base({ istio: [disable] }), 'ambient');
    expect(r.report.summary.ok).toBe(20);
    expect(r.report.requests.every((q) => q.mtls)).toBe(true);
    const strict = { ...disable, spec: { mtls: { mode: 'STRICT' } } };
    const outside = {
      services: [
        { name: 'client', meshed: false },
        { name: 'server', replicas: 2, latency: '30ms' },
      ],
    };
    expect(run(base({ ...outside }), 'ambient').report.summary.ok).toBe(20);
    expect(run(base({ ...outside, istio: [strict] }), 'ambient').report.summary.ok).toBe(0);
  });

  it('keeps Istio sidecar traces apart: the ambient profile is another mesh id reading the istio: section', () => {
    const scenario = scenarioOf(base());
    expect(simulate(scenario, istioProfile).trace.topology.proxies.every((p) => p.kind === 'sidecar')).toBe(true);
    expect(simulate(scenario, ambientProfile).trace.events).toEqual(simulate(scenario, ambientProfile).trace.events);
  });
});
