import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

const failing = (status: number, pod = 'server-0') => ({ faults: [{ pod, responses: [status, status, status, status, status] }] });
const onlyPod = { services: [{ name: 'client' }, { name: 'server' }], traffic: [{ from: 'client', to: 'server', at: '1s' }] };

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

  it('FIDELITY B3 (parse_http_retry): a route with only retry.linkerd.io/limit retries nothing, even when the Service retries 5xx', () => {
    // The limit alone is a retry policy with no status ranges; being the route's own, it replaces
    // the Service's 5xx retries: the 503 goes straight back.
    const r = withRoute({ 'retry.linkerd.io/http': '5xx' }, { 'retry.linkerd.io/limit': '3' });
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 1 });
    const [noRetry] = r.decisions('no-retry');
    expect(noRetry!.summary).toContain('503 is not retried (retry.linkerd.io/http (unset: no status retried))');
    expect(noRetry!.cause.config).toContain('HTTPRoute server-route');
    expect(noRetry!.cause.config).toContain('retry.linkerd.io/limit: 3');
    // The same route without the limit takes the Service's retry: 1 + 1 attempts.
    expect(withRoute({ 'retry.linkerd.io/http': '5xx' }, {}).ends()[0]).toMatchObject({ attempts: 2 });
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
