import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { accrualBackoffMs } from '../../src/mesh/proxy/health/failureAccrual.ts';

const dr = (trafficPolicy: Record<string, unknown>, host = 'httpbin') => ({
  istio: [{ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: host }, spec: { host, trafficPolicy } }],
});
const fortio = (concurrency: number, count = 30, extra: Record<string, unknown> = {}) => ({
  services: [{ name: 'fortio' }, { name: 'httpbin', latency: '20ms' }],
  traffic: [{ from: 'fortio', to: 'httpbin', count, concurrency }],
  ...extra,
});
const pool = { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } } };

describe('Istio connection pool (circuit breaking)', () => {
  it('FIDELITY C1: effectively unlimited by default — no overflow at any concurrency', () => {
    const r = run(fortio(10), 'istio');
    expect(r.report.summary.byStatus['503']).toBeUndefined();
    expect(r.decisions('overflow')).toEqual([]);
  });

  it('FIDELITY C1: one connection and one pending request: a third concurrent caller overflows with 503 UO', () => {
    const r = run(fortio(3, 30, dr(pool)), 'istio');
    const overflowed = r.report.requests.filter((q) => q.reason === 'UO upstream overflow');
    expect(overflowed.length).toBeGreaterThan(0);
    for (const q of overflowed) expect(q).toMatchObject({ status: 503, attempts: 1 }); // overflow is not retried
    const noRetry = r.decisions('no-retry').find((d) => overflowed.some((q) => q.id === d.requestId))!;
    expect(noRetry.summary).toContain('never retries its own circuit-breaker refusal');
    // The backend never saw the overflowed requests.
    const received = r.report.pods.find((p) => p.name === 'httpbin-0')!.received;
    expect(received).toBe(r.report.summary.total - overflowed.length);
    expect(r.decisions('overflow')[0]!.cause.line).toBeGreaterThan(0);
  });

  it('FIDELITY C1: with one caller at a time the same limits never overflow', () => {
    const r = run(fortio(1, 30, dr(pool)), 'istio');
    expect(r.report.summary.ok).toBe(30);
  });

  it('FIDELITY C1: http2MaxRequests caps active requests across the cluster', () => {
    const r = run(
      {
        ...fortio(4, 40, dr({ connectionPool: { http: { http2MaxRequests: 2 } } })),
        services: [{ name: 'fortio' }, { name: 'httpbin', replicas: 3, latency: '20ms' }],
      },
      'istio',
    );
    expect(r.report.requests.filter((q) => q.reason === 'UO upstream overflow').length).toBeGreaterThan(0);
  });

  it('FIDELITY C1: maxRequestsPerConnection 1 opens a new connection (and handshake) per request', () => {
    const r = run(fortio(1, 5, dr({ connectionPool: { http: { maxRequestsPerConnection: 1 } } })), 'istio');
    expect(r.report.handshakes.length).toBe(5);
    expect(run(fortio(1, 5), 'istio').report.handshakes.length).toBe(1);
  });

  it('FIDELITY C3: Linkerd has no pool limit — the same load never overflows', () => {
    const r = run(fortio(3, 30), 'linkerd');
    expect(r.report.summary.ok).toBe(30);
  });
});

const badPod = (extra: Record<string, unknown>, duration = '60s') => ({
  duration,
  services: [{ name: 'client' }, { name: 'reviews', replicas: 3, latency: '10ms' }],
  traffic: [{ from: 'client', to: 'reviews', rate: '20/s' }],
  faults: [{ pod: 'reviews-1', errors: { status: 500, rate: '100%' } }],
  ...extra,
});

describe('Istio outlier detection', () => {
  const od = (o: Record<string, unknown>) => dr({ outlierDetection: o }, 'reviews');

  it('FIDELITY C2: off unless configured — the bad pod keeps receiving traffic', () => {
    const r = run(badPod({}, '10s'), 'istio');
    expect(r.report.ejections).toEqual([]);
    expect(r.report.pods.find((p) => p.name === 'reviews-1')!.received).toBeGreaterThan(40);
  });

  it('FIDELITY C2: 5 consecutive 5xx eject the host inline for baseEjectionTime (30 s), back at the next sweep', () => {
    const r = run(badPod(od({ consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s' })), 'istio');
    const [first] = r.report.ejections;
    expect(first).toMatchObject({ endpoint: 'reviews-1', by: 'client-0' });
    // Exactly five 500s reached the client before the ejection.
    const failedBefore = r.report.requests.filter((q) => q.status === 500 && q.endMs <= first!.atMs).length;
    expect(failedBefore).toBe(5);
    // Out for 30 s: returns at the first 10 s sweep at or after atMs + 30 s.
    expect(first!.untilMs).toBe(Math.ceil((first!.atMs + 30_000) / 10_000) * 10_000);
    const during = r.flights('http-request').filter((f) => f.to === 'reviews-1/app' && f.t > first!.atMs && f.t < first!.untilMs);
    expect(during).toEqual([]);
    expect(r.transitions('endpointHealth', 'health:client-0→reviews-1').map((t) => t.to)).toEqual(['healthy', 'ejected', 'healthy', 'ejected']);
  });

  it('FIDELITY C2: the second ejection lasts twice as long (30 s × 2)', () => {
    const r = run(badPod(od({ consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s' }), '120s'), 'istio');
    const [a, b] = r.report.ejections;
    const length = (e: typeof a) => e!.untilMs - e!.atMs;
    expect(length(b)).toBeGreaterThanOrEqual(60_000);
    expect(length(b)).toBeLessThan(70_000);
    expect(length(a)).toBeLessThan(40_000);
  });

  it('FIDELITY C2: defaults — consecutive5xxErrors 5, interval 10 s, base 30 s', () => {
    const r = run(badPod(od({})), 'istio');
    const [first] = r.report.ejections;
    expect(r.report.requests.filter((q) => q.status === 500 && q.endMs <= first!.atMs)).toHaveLength(5);
    expect(first!.untilMs - first!.atMs).toBeGreaterThanOrEqual(30_000);
    // Default interval 10 s, base 30 s: back at the first sweep at or after atMs + 30 s.
    expect(first!.untilMs).toBe(Math.ceil((first!.atMs + 30_000) / 10_000) * 10_000);
  });

  it('FIDELITY C2: maxEjectionPercent 10% still ejects one host, but not a second', () => {
    const r = run({ ...badPod(od({ consecutive5xxErrors: 3 }), '5s'), faults: [{ service: 'reviews', errors: { status: 500, rate: '100%' } }] }, 'istio');
    const ejected = new Set(r.report.ejections.filter((e) => e.atMs < 5000).map((e) => e.endpoint));
    expect(ejected.size).toBe(1);
    expect(r.decisions('ejection-skipped').length).toBeGreaterThan(0);
  });

  it('FIDELITY C2: when every host is ejected (maxEjectionPercent 100), requests fail with 503 UH', () => {
    const r = run(
      { ...badPod(od({ consecutive5xxErrors: 2, maxEjectionPercent: 100 }), '5s'), faults: [{ service: 'reviews', errors: { status: 500, rate: '100%' } }] },
      'istio',
    );
    expect(r.report.requests.some((q) => q.status === 503 && q.reason === 'UH no healthy upstream')).toBe(true);
  });

  it('FIDELITY C2: consecutiveGatewayErrors counts only 502–504', () => {
    const gw = run(
      {
        ...badPod(od({ consecutive5xxErrors: 100, consecutiveGatewayErrors: 3 }), '5s'),
        faults: [{ pod: 'reviews-1', errors: { status: 503, rate: '100%' } }],
      },
      'istio',
    );
    expect(gw.report.ejections.length).toBeGreaterThan(0);
    const plain = run(badPod(od({ consecutive5xxErrors: 100, consecutiveGatewayErrors: 3 }), '5s'), 'istio');
    expect(plain.report.ejections).toEqual([]);
  });
});

describe('Linkerd failure accrual', () => {
  const fa = (annotations: Record<string, string> = {}) => ({
    linkerd: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'reviews', annotations: { 'balancer.linkerd.io/failure-accrual': 'consecutive', ...annotations } },
      },
    ],
  });

  it('FIDELITY C3: off unless the Service is annotated', () => {
    expect(run(badPod({}, '10s'), 'linkerd').report.ejections).toEqual([]);
  });

  it('FIDELITY C3: a ServiceProfile on the Service turns failure accrual off (circuit breaking is incompatible with ServiceProfiles)', () => {
    const profile = {
      apiVersion: 'linkerd.io/v1alpha2',
      kind: 'ServiceProfile',
      metadata: { name: 'reviews.default.svc.cluster.local', namespace: 'default' },
      spec: { routes: [{ name: 'all', condition: { pathRegex: '.*' } }] },
    };
    const annotated = fa();
    expect(run(badPod(annotated, '10s'), 'linkerd').report.ejections.length).toBeGreaterThan(0);
    const withProfile = run(badPod({ linkerd: [...annotated.linkerd, profile] }, '10s'), 'linkerd');
    expect(withProfile.report.ejections).toEqual([]);
    expect(withProfile.report.requests.filter((q) => q.status === 500).length).toBeGreaterThan(7);
  });

  it('FIDELITY C3: 7 consecutive failures make the endpoint unavailable, then one probe in probation', () => {
    const r = run(badPod(fa(), '10s'), 'linkerd');
    const [first] = r.report.ejections;
    expect(first).toMatchObject({ endpoint: 'reviews-1', by: 'client-0' });
    expect(r.report.requests.filter((q) => q.status === 500 && q.endMs <= first!.atMs)).toHaveLength(7);
    // min penalty 1 s plus jitter up to 50%.
    expect(first!.untilMs - first!.atMs).toBeGreaterThanOrEqual(1000);
    expect(first!.untilMs - first!.atMs).toBeLessThanOrEqual(1500);
    const states = r.transitions('endpointHealth', 'health:client-0→reviews-1').map((t) => t.to);
    expect(states.slice(0, 4)).toEqual(['healthy', 'unavailable', 'probation', 'unavailable']);
    // In probation exactly one request goes to the pod before it is judged again.
    const probes = r.decisions('probe');
    expect(probes.length).toBeGreaterThan(0);
    const firstProbe = probes[0]!.t;
    const second = r.report.ejections[1]!;
    const sentInProbation = r.flights('http-request').filter((f) => f.to === 'reviews-1/proxy' && f.t >= firstProbe && f.t <= second.atMs);
    expect(sentInProbation).toHaveLength(1);
  });

  it('FIDELITY C3: penalties double after each failed probe, capped at max-penalty (1 m)', () => {
    const p = {
      kind: 'failure-accrual' as const,
      mode: 'consecutive' as const,
      maxFailures: 7,
      minPenaltyMs: 1000,
      maxPenaltyMs: 60_000,
      jitterRatio: 0.5,
      cause: { config: '', isDefault: true, source: '' },
    };
    expect([0, 1, 2, 3].map((i) => accrualBackoffMs(p, i, 0))).toEqual([1000, 2000, 4000, 8000]);
    expect(accrualBackoffMs(p, 10, 0)).toBe(60_000);
    expect(accrualBackoffMs(p, 10, 0.99)).toBe(60_000); // jitter never pushes past the maximum
    expect(accrualBackoffMs(p, 0, 0.99)).toBe(1495);
    const r = run(badPod(fa({ 'balancer.linkerd.io/failure-accrual-consecutive-jitter-ratio': '0' })), 'linkerd');
    const lengths = r.report.ejections.slice(0, 4).map((e) => e.untilMs - e.atMs);
    expect(lengths).toEqual([1000, 2000, 4000, 8000]);
  });

  it('FIDELITY C3: a successful probe makes the endpoint available again', () => {
    const r = run({ ...badPod(fa(), '20s'), faults: [{ pod: 'reviews-1', errors: { status: 500, rate: '100%' }, until: '3s' }] }, 'linkerd');
    expect(r.decisions('recovered').length).toBe(1);
    const late = r.flights('http-request').filter((f) => f.to === 'reviews-1/app' && f.t > 10_000);
    expect(late.length).toBeGreaterThan(20);
  });

  it('FIDELITY C3: when failure accrual makes every endpoint of a backend unavailable, the route tries its other backend', () => {
    const service = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, annotations: { 'balancer.linkerd.io/failure-accrual': 'consecutive' } },
    });
    const r = run(
      {
        duration: '10s',
        services: [{ name: 'client' }, { name: 'web', replicas: 2 }, { name: 'web-v2', replicas: 2 }],
        traffic: [{ from: 'client', to: 'web', rate: '20/s' }],
        faults: [{ service: 'web-v2', errors: { status: 500, rate: '100%' } }],
        linkerd: [
          service('web'),
          service('web-v2'),
          {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'HTTPRoute',
            metadata: { name: 'web' },
            spec: {
              parentRefs: [{ name: 'web', kind: 'Service' }],
              rules: [
                {
                  backendRefs: [
                    { name: 'web', weight: 50 },
                    { name: 'web-v2', weight: 50 },
                  ],
                },
              ],
            },
          },
        ],
      },
      'linkerd',
    );
    // Both web-v2 pods trip (7 consecutive failures each) before any fallback.
    const tripped = r.report.ejections.filter((e) => e.endpoint.startsWith('web-v2-'));
    expect(new Set(tripped.map((e) => e.endpoint))).toEqual(new Set(['web-v2-0', 'web-v2-1']));
    const fallbacks = r.decisions('backend-fallback', 'loadBalance');
    expect(fallbacks.length).toBeGreaterThan(10);
    expect(fallbacks[0]!.summary).toBe('every endpoint of web-v2 is unavailable; trying backend web');
    const bothOut = Math.max(...['web-v2-0', 'web-v2-1'].map((pod) => tripped.find((e) => e.endpoint === pod)!.atMs));
    expect(fallbacks[0]!.t).toBeGreaterThanOrEqual(bothOut);
    // The failure accrual of web-v2 is the reason, pointing at its Service annotation.
    expect(fallbacks[0]!.cause.isDefault).toBe(false);
    expect(fallbacks[0]!.cause.config).toContain('web-v2');
    // Requests that fell back succeed on web, and none fails fast for want of an endpoint.
    const fellBack = new Set(fallbacks.map((d) => d.requestId));
    const answered = r.report.requests.filter((q) => fellBack.has(q.id));
    expect(answered.length).toBe(fellBack.size);
    for (const q of answered) expect(q.status).toBe(200);
    expect(r.decisions('no-endpoint')).toEqual([]);
  });

  it('FIDELITY C3: with every endpoint unavailable, requests fail fast with 503', () => {
    const r = run(
      {
        ...badPod(fa({ 'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '2' }), '5s'),
        faults: [{ service: 'reviews', errors: { status: 500, rate: '100%' } }],
      },
      'linkerd',
    );
    expect(r.report.requests.some((q) => q.status === 503 && q.reason === 'service in fail-fast')).toBe(true);
  });
});
