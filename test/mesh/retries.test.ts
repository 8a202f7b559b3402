import { describe, expect, it } from 'vitest';
import { run, oneCall } from '../helpers/sim.ts';
import { backoffMs } from '../../src/mesh/proxy/layers/retryLayer.ts';
import { istioDefaultRetry } from '../../src/mesh/profiles/istio/routes.ts';

const failing = (status: number, pod = 'server-0') => ({ faults: [{ pod, responses: [status, status, status, status, status] }] });
const onlyPod = { services: [{ name: 'client' }, { name: 'server' }], traffic: [{ from: 'client', to: 'server', at: '1s' }] };

describe('Istio retries', () => {
  it('FIDELITY B1: retries a 503 twice by default, so the client sees the third attempt', () => {
    const r = run({ ...onlyPod, faults: [{ pod: 'server-0', responses: [503, 503, 200] }] }, 'istio');
    const [end] = r.ends();
    expect(end!.status).toBe(200);
    expect(end!.attempts).toBe(3);
    expect(r.decisions('retry').map((d) => d.cause.isDefault)).toEqual([true, true]);
  });

  it('FIDELITY B1: gives up after 2 retries and reports URX with the 503', () => {
    const r = run({ ...onlyPod, ...failing(503) }, 'istio');
    const [end] = r.ends();
    expect(end).toMatchObject({ status: 503, attempts: 3 });
    expect(end!.reason).toMatch(/^URX retry limit exceeded/);
    expect(r.report.pods.find((p) => p.name === 'server-0')!.received).toBe(3);
  });

  it('FIDELITY B1: does not retry a 500 (not in the default retryOn)', () => {
    const r = run({ ...onlyPod, ...failing(500) }, 'istio');
    expect(r.ends()[0]).toMatchObject({ status: 500, attempts: 1 });
    expect(r.decisions('no-retry')[0]!.summary).toContain('500 is not retried');
  });

  it('FIDELITY B1: attempts: 0 disables retries', () => {
    const r = run({ ...onlyPod, ...failing(503), policies: { retries: [{ service: 'server', attempts: 0 }] } }, 'istio');
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 1 });
  });

  it('FIDELITY B1: a retry prefers a pod not tried yet (previous_hosts)', () => {
    // server-0 always fails; with three pods the retry must land elsewhere.
    const r = run(
      oneCall({ faults: [{ pod: 'server-0', errors: { status: 503, rate: '100%' } }], traffic: [{ from: 'client', to: 'server', count: 30 }] }),
      'istio',
    );
    for (const end of r.ends()) expect(end.status).toBe(200);
    // Where each retry went: the attempts after the first, as the client proxy sent them.
    const retried = r.flights('http-request').filter((f) => f.from === 'client-0/proxy' && (f.attempt ?? 1) > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const f of retried) expect(['server-1/proxy', 'server-2/proxy']).toContain(f.to);
  });

  // A crashed pod refuses connections until the endpoint update reaches the client proxy.
  const crashed = (retryOn: string) =>
    run(
      {
        services: [{ name: 'client' }, { name: 'server', replicas: 2 }],
        traffic: [{ from: 'client', to: 'server', rate: '50/s' }],
        faults: [{ pod: 'server-1', crash: { at: '3s' } }],
        istio: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'server' },
            spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 2, retryOn } }] },
          },
        ],
      },
      'istio',
    );
  const refused = (r: ReturnType<typeof run>) => r.flights('tcp').filter((f) => f.from === 'server-1/proxy' && f.label === 'RST' && f.t >= 3000).length;

  for (const retryOn of ['gateway-error', 'reset']) {
    it(`Envoy retry_state_impl.cc wouldRetryFromReset: retryOn ${retryOn} retries a failed connection (a reset) to a crashed pod`, () => {
      const r = crashed(retryOn);
      expect(refused(r)).toBeGreaterThan(0);
      for (const q of r.report.requests) expect(q.status).toBe(200);
      // Each refused connection cost exactly one retry, which went to the live pod.
      expect(r.report.requests.filter((q) => q.attempts === 2)).toHaveLength(refused(r));
      const retried = r.flights('http-request').filter((f) => f.from === 'client-0/proxy' && (f.attempt ?? 1) > 1);
      expect(retried.map((f) => f.to)).toEqual(retried.map(() => 'server-0/proxy'));
    });
  }

  it('a retryOn without resets (retriable-4xx) returns the failed connection as 503 UF', () => {
    const r = crashed('retriable-4xx');
    const failed = r.report.requests.filter((q) => q.status !== 200);
    expect(failed).toHaveLength(refused(r));
    for (const q of failed) expect(q).toMatchObject({ status: 503, attempts: 1 });
    for (const q of failed) expect(q.reason).toMatch(/^UF /);
  });

  it('FIDELITY B1: backoff of retry n is uniform in [0, (2^n − 1)·25ms), capped at 250ms', () => {
    const p = istioDefaultRetry();
    expect(backoffMs(p, 1, 0.999)).toBe(24);
    expect(backoffMs(p, 2, 0.999)).toBe(74);
    expect(backoffMs(p, 3, 0.999)).toBe(174);
    expect(backoffMs(p, 5, 0.999)).toBe(249);
    expect(backoffMs(p, 1, 0)).toBe(0);
    const r = run({ ...onlyPod, faults: [{ pod: 'server-0', responses: [503, 503] }], traffic: [{ from: 'client', to: 'server', count: 50 }] }, 'istio');
    for (const d of r.decisions('retry')) expect(d.data!.backoffMs as number).toBeLessThan(d.attempt === 1 ? 25 : 75);
  });

  it('FIDELITY B1: numeric retryOn entries become retriable codes (a 500 is retried when listed)', () => {
    const r = run(
      {
        ...onlyPod,
        faults: [{ pod: 'server-0', responses: [500, 200] }],
        istio: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'server' },
            spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 1, retryOn: '500' } }] },
          },
        ],
      },
      'istio',
    );
    expect(r.ends()[0]).toMatchObject({ status: 200, attempts: 2 });
    expect(r.decisions('retry')[0]!.cause.line).toBeGreaterThan(0);
  });
});

describe('Linkerd retries', () => {
  it('FIDELITY B3: retries nothing unless configured', () => {
    const r = run({ ...onlyPod, ...failing(503) }, 'linkerd');
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 1 });
    expect(r.decisions('no-retry')[0]!.cause.isDefault).toBe(true);
  });

  const annotated = (annotations: Record<string, string>) => ({
    linkerd: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'server', annotations } }],
  });

  it('FIDELITY B3: retry.linkerd.io/http retries once by default (limit 1)', () => {
    const r = run({ ...onlyPod, ...failing(503), ...annotated({ 'retry.linkerd.io/http': '5xx' }) }, 'linkerd');
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 2 });
  });

  it('linkerd2 policy controller convert_retry: annotation retries back off 25 ms doubling to 250 ms, with up to 100% jitter', () => {
    const r = run({ ...onlyPod, ...failing(503), ...annotated({ 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '4' }) }, 'linkerd');
    const waits = r.decisions('retry').map((d) => (d.data as { backoffMs: number }).backoffMs);
    expect(waits).toHaveLength(4);
    // Retry n waits base = min(25·2^(n−1), 250) plus up to base more, never past 250.
    waits.forEach((w, i) => {
      const base = Math.min(25 * 2 ** i, 250);
      expect(w).toBeGreaterThanOrEqual(base);
      expect(w).toBeLessThanOrEqual(Math.min(2 * base, 250));
    });
    // The attempts really are that far apart.
    const sent = r
      .flights('http-request')
      .filter((f) => f.from === 'client-0/proxy')
      .map((f) => f.departMs);
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(waits[i - 1]!);
  });

  it('FIDELITY B3: retry.linkerd.io/limit raises the number of retries', () => {
    const r = run({ ...onlyPod, ...failing(503), ...annotated({ 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '3' }) }, 'linkerd');
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 4 });
  });

  it('FIDELITY B3: a limit of 0 counts as unset (default 1)', () => {
    const r = run({ ...onlyPod, ...failing(503), ...annotated({ 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '0' }) }, 'linkerd');
    expect(r.ends()[0]!.attempts).toBe(2);
  });

  it('FIDELITY B3: gateway-error retries 502–504 but not 500', () => {
    const a = run({ ...onlyPod, ...failing(504), ...annotated({ 'retry.linkerd.io/http': 'gateway-error' }) }, 'linkerd');
    expect(a.ends()[0]!.attempts).toBe(2);
    const b = run({ ...onlyPod, ...failing(500), ...annotated({ 'retry.linkerd.io/http': 'gateway-error' }) }, 'linkerd');
    expect(b.ends()[0]!.attempts).toBe(1);
  });

  it('FIDELITY B3: never retries a request whose body is over 64 KiB', () => {
    const big = { ...onlyPod, traffic: [{ from: 'client', to: 'server', at: '1s', method: 'POST', bodyBytes: 65537 }] };
    const r = run({ ...big, ...failing(503), ...annotated({ 'retry.linkerd.io/http': '5xx' }) }, 'linkerd');
    expect(r.ends()[0]!.attempts).toBe(1);
    expect(r.decisions('no-retry')[0]!.summary).toContain('64 KiB');
    const small = { ...onlyPod, traffic: [{ from: 'client', to: 'server', at: '1s', method: 'POST', bodyBytes: 65536 }] };
    expect(run({ ...small, ...failing(503), ...annotated({ 'retry.linkerd.io/http': '5xx' }) }, 'linkerd').ends()[0]!.attempts).toBe(2);
  });

  // linkerd2 policy-controller grpc/src/outbound/http.rs convert_outbound_route: a route rule with no
  // retry takes the Service's retry, and one with no timeouts the Service's timeouts, each on its own.
  const withRoute = (serviceAnnotations: Record<string, string>, routeAnnotations: Record<string, string>, extra: Record<string, unknown> = failing(503)) =>
    run(
      {
        ...onlyPod,
        ...extra,
        linkerd: [
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'server', annotations: serviceAnnotations } },
          {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'HTTPRoute',
            metadata: { name: 'server-route', annotations: routeAnnotations },
            spec: { parentRefs: [{ name: 'server' }], rules: [{ backendRefs: [{ name: 'server' }] }] },
          },
        ],
      },
      'linkerd',
    );

  it('FIDELITY B3 (convert_outbound_route): a route with only a timeout annotation keeps the Service retries', () => {
    // Was 1 attempt: route annotations of any kind replaced all of the Service's. The policy controller
    // falls back per category, so the Service's retries (5xx, limit 3) apply: 1 + 3 attempts.
    const r = withRoute({ 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '3' }, { 'timeout.linkerd.io/request': '5s' });
    expect(r.ends()[0]!.attempts).toBe(4);
    expect(r.decisions('retry')[0]!.cause.config).toContain('Service server');
  });

  it('FIDELITY B3 (convert_outbound_route): a route retry annotation replaces the Service retry settings as a whole', () => {
    // The route's retry has the default limit 1, not the Service's 3.
    const r = withRoute({ 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '3' }, { 'retry.linkerd.io/http': '5xx' });
    expect(r.ends()[0]!.attempts).toBe(2);
    expect(r.decisions('retry')[0]!.cause.config).toContain('HTTPRoute server-route');
  });

  it('FIDELITY B4 (convert_outbound_route): a route with only retry annotations keeps the Service timeouts', () => {
    const slow = { faults: [{ service: 'server', delay: { time: '5s' } }] };
    const r = withRoute({ 'timeout.linkerd.io/request': '1s' }, { 'retry.linkerd.io/http': '5xx' }, slow);
    expect(r.ends()[0]).toMatchObject({ status: 504, attempts: 1 });
    expect(r.decisions('timeout')[0]!.cause.config).toContain('Service server');
  });

  const budgeted = (errorRate: string) =>
    run(
      {
        services: [{ name: 'client' }, { name: 'server' }],
        traffic: [{ from: 'client', to: 'server', rate: '50/s', stop: '2s', path: '/api' }],
        faults: [{ service: 'server', errors: { status: 503, rate: errorRate } }],
        linkerd: [
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'server', annotations: { 'retry.linkerd.io/http': '5xx' } } },
          {
            apiVersion: 'linkerd.io/v1alpha2',
            kind: 'ServiceProfile',
            metadata: { name: 'server.default.svc.cluster.local' },
            spec: {
              routes: [{ name: 'api', condition: { pathRegex: '/api.*' }, isRetryable: true }],
              retryBudget: { retryRatio: 0.2, minRetriesPerSecond: 1, ttl: '10s' },
            },
          },
        ],
      },
      'linkerd',
    );

  it('FIDELITY B3: a ServiceProfile switches the annotations off; when everything fails only the budget reserve is spent', () => {
    const r = budgeted('100%');
    // linkerd2-proxy http/retry.rs: only answers that are not retried deposit; a retryable failure
    // withdraws. With every answer a failure nothing is deposited, so only the reserve —
    // minRetriesPerSecond × ttl = 10 — is available, however many requests there are.
    expect(r.report.summary.total).toBe(100);
    expect(r.report.summary.retries).toBe(10);
    // Every request ends on a refused withdrawal: 90 at once, the 10 retried ones after their retry failed.
    expect(r.decisions('retry-budget-exhausted')).toHaveLength(100);
    expect(r.decisions('retry').at(-1)!.summary).toMatch(/no count limit; the budget decides/);
  });

  it('FIDELITY B3: successes refill the budget by retryRatio each', () => {
    const r = budgeted('50%');
    const successes = r.ends().filter((e) => e.status === 200).length;
    const retries = r.report.summary.retries;
    // Reserve 10, plus 20% of each answer that was not retried (mostly successes; the 2 s run fits in the 10 s window).
    expect(retries).toBeGreaterThan(10);
    expect(retries).toBeLessThanOrEqual(10 + Math.ceil(0.2 * r.report.summary.total));
    expect(retries).toBeGreaterThanOrEqual(10 + Math.floor(0.2 * successes) - 1);
  });
});
