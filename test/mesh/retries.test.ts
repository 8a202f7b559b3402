import { describe, expect, it } from 'vitest';
import { run, oneCall } from '../helpers/sim.ts';
import { backoffMs } from '../../src/mesh/proxy/layers/retryLayer.ts';
import { istioDefaultRetry } from '../../src/mesh/profiles/istio/routes.ts';
import { istioBehaviour } from '../../src/mesh/profiles/istio/release.ts';
import { istioProfile } from '../../src/mesh/index.ts';

const failing = (status: number, pod = 'server-0') => ({ faults: [{ pod, responses: [status, status, status, status, status] }] });
const onlyPod = { services: [{ name: 'client' }, { name: 'server' }], traffic: [{ from: 'client', to: 'server', at: '1s' }] };

const istio123 = { meshVersions: { istio: '1.23' } };

describe('Istio retries', () => {
  it('FIDELITY B1 (1.24+): the default retry policy does not retry a 503, so the client sees the first attempt', () => {
    const r = run({ ...onlyPod, faults: [{ pod: 'server-0', responses: [503, 503, 200] }] }, 'istio');
    const [end] = r.ends();
    expect(end).toMatchObject({ status: 503, attempts: 1 });
    const [noRetry] = r.decisions('no-retry');
    expect(noRetry!.summary).toContain('503 is not retried');
    expect(noRetry!.cause).toMatchObject({ isDefault: true });
    expect(noRetry!.cause.config).toContain('Istio 1.30 default retry policy');
    expect(noRetry!.cause.config).toContain('not on 503');
  });

  it('FIDELITY B1 (before 1.24): Istio 1.23 retries a 503 twice by default, so the client sees the third attempt', () => {
    const r = run({ ...onlyPod, ...istio123, faults: [{ pod: 'server-0', responses: [503, 503, 200] }] }, 'istio');
    const [end] = r.ends();
    expect(end!.status).toBe(200);
    expect(end!.attempts).toBe(3);
    expect(r.decisions('retry').map((d) => d.cause.config)).toEqual([
      'Istio 1.23 default retry policy: 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503 (Istio 1.23 (meshVersions.istio))',
      'Istio 1.23 default retry policy: 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503 (Istio 1.23 (meshVersions.istio))',
    ]);
    expect(r.report.release).toEqual({ version: '1.23', label: 'Istio 1.23' });
  });

  it('FIDELITY B1: compatibilityVersion 1.23 on Istio 1.26 brings the 503 retry back; Istio 1.30 refuses it', () => {
    const operator = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'install' }, spec: { compatibilityVersion: '1.23' } };
    const r = run({ ...onlyPod, meshVersions: { istio: '1.26' }, istio: [operator], faults: [{ pod: 'server-0', responses: [503, 200] }] }, 'istio');
    expect(r.ends()[0]).toMatchObject({ status: 200, attempts: 2 });
    expect(r.decisions('retry')[0]!.cause.config).toContain('Istio 1.26 with compatibilityVersion 1.23');
    expect(() => run({ ...onlyPod, istio: [operator] }, 'istio')).toThrow(
      /istio\[0\]\.spec\.compatibilityVersion "1\.23" is not a compatibility version Istio 1\.30 \(the default\) accepts \(1\.25, 1\.26, 1\.27, 1\.28, 1\.29\); releases 1\.24, 1\.25, 1\.26 accept it/,
    );
  });

  it('FIDELITY B1 (1.24+): a VirtualService retry block without retryOn starts from the default, so it does not retry 503 either', () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'server' },
      spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 3 } }] },
    };
    const faults = [{ pod: 'server-0', responses: [503, 200] }];
    expect(run({ ...onlyPod, istio: [vs], faults }, 'istio').ends()[0]).toMatchObject({ status: 503, attempts: 1 });
    expect(run({ ...onlyPod, ...istio123, istio: [vs], faults }, 'istio').ends()[0]).toMatchObject({ status: 200, attempts: 2 });
  });

  it('FIDELITY B1: retryOn 5xx (or 503 listed) brings the 503 retry back on the current release', () => {
    for (const retryOn of ['5xx', '503', 'retriable-status-codes,503']) {
      const vs = {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'server' },
        spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 2, retryOn } }] },
      };
      const r = run({ ...onlyPod, istio: [vs], faults: [{ pod: 'server-0', responses: [503, 503, 200] }] }, 'istio');
      expect(r.ends()[0], retryOn).toMatchObject({ status: 200, attempts: 3 });
    }
  });

  it('FIDELITY B1: gives up after 2 retries and reports URX with the 503 (Istio 1.23 defaults)', () => {
    const r = run({ ...onlyPod, ...istio123, ...failing(503) }, 'istio');
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

  it('FIDELITY B1: a retry prefers a pod not tried yet (previous_hosts; Istio 1.23 defaults retry the 503)', () => {
    // server-0 always fails; with three pods the retry must land elsewhere.
    const r = run(
      oneCall({ ...istio123, faults: [{ pod: 'server-0', errors: { status: 503, rate: '100%' } }], traffic: [{ from: 'client', to: 'server', count: 30 }] }),
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
    const p = istioDefaultRetry(istioBehaviour(istioProfile.release));
    expect(backoffMs(p, 1, 0.999)).toBe(24);
    expect(backoffMs(p, 2, 0.999)).toBe(74);
    expect(backoffMs(p, 3, 0.999)).toBe(174);
    expect(backoffMs(p, 5, 0.999)).toBe(249);
    expect(backoffMs(p, 1, 0)).toBe(0);
    const r = run(
      { ...onlyPod, ...istio123, faults: [{ pod: 'server-0', responses: [503, 503] }], traffic: [{ from: 'client', to: 'server', count: 50 }] },
      'istio',
    );
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

describe('Istio inbound retries (FIDELITY B1, 1.24+)', () => {
  // server-0's app closes its connection before reading one request in two (envoyproxy/envoy#10007).
  const resetting = (extra: Record<string, unknown> = {}) => ({
    services: [{ name: 'client' }, { name: 'server' }],
    traffic: [{ from: 'client', to: 'server', count: 40 }],
    faults: [{ pod: 'server-0', resets: { rate: '50%' } }],
    ...extra,
  });

  it('FIDELITY B1 (1.24+): the server sidecar retries reset-before-request twice, so the client never sees most resets', () => {
    const r = run(resetting(), 'istio');
    const inbound = r.decisions('retry', 'inboundRetry');
    expect(inbound.length).toBeGreaterThan(10);
    for (const d of inbound) {
      expect(d.node).toBe('server-0/proxy');
      expect(d.cause.config).toBe('Istio 1.30 inbound default route: 2 retries on reset-before-request');
      expect(d.data!.backoffMs as number).toBeLessThan(d.summary.includes('retry 1 ') ? 25 : 75);
    }
    // Only three resets in a row get through: 1 in 8 at 50%. The client sees 503 URX then, and does
    // not retry it (503 is not in the 1.24+ default retry policy).
    const failed = r.report.requests.filter((q) => q.status !== 200);
    expect(failed.length).toBeLessThan(inbound.length / 2);
    for (const q of failed) expect(q).toMatchObject({ status: 503, attempts: 1 });
    for (const q of failed) expect(q.reason).toMatch(/^URX retry limit exceeded \(UC upstream connection termination: server-0 closed the connection/);
    // The client's own sidecar made one attempt per request.
    expect(r.report.summary.retries).toBe(0);
    // A reset request never reached the app.
    expect(r.report.pods.find((p) => p.name === 'server-0')!.received).toBe(40 - failed.length);
  });

  it('FIDELITY B1 (before 1.24): Istio 1.23 has no inbound retry — the server sidecar answers 503 UC and the client retries the 503', () => {
    const r = run(resetting({ meshVersions: { istio: '1.23' } }), 'istio');
    expect(r.decisions('retry', 'inboundRetry')).toEqual([]);
    const noRetry = r.decisions('no-retry', 'inboundRetry');
    expect(noRetry.length).toBeGreaterThan(10);
    expect(r.report.summary.retries).toBe(noRetry.length - r.report.requests.filter((q) => q.status !== 200).length);
    for (const q of r.report.requests.filter((x) => x.status !== 200)) expect(q).toMatchObject({ status: 503, attempts: 3 });
  });
});

describe('Istio DestinationRule retryBudget (FIDELITY B1, 1.27+)', () => {
  // Fifty requests at once, every first attempt answered 503: how many retries may be in flight?
  const burst = (release: string, budget: Record<string, number> = {}) =>
    run(
      {
        meshVersions: { istio: release },
        services: [{ name: 'client' }, { name: 'server', replicas: 2, latency: '50ms' }],
        traffic: [{ from: 'client', to: 'server', count: 50, concurrency: 50 }],
        faults: [{ service: 'server', responses: Array(50).fill(503) }],
        istio: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'server' },
            spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 1, retryOn: '5xx' } }] },
          },
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'DestinationRule',
            metadata: { name: 'server' },
            spec: { host: 'server', trafficPolicy: { retryBudget: budget } },
          },
        ],
      },
      'istio',
    );

  it('FIDELITY B1 (1.28+): the default budget is 20% of active + pending requests, at least 3 retries in flight', () => {
    const r = burst('1.30');
    const overflow = r.decisions('retry-overflow');
    expect(overflow.length).toBeGreaterThan(0);
    expect(overflow[0]!.cause.config).toContain('retries in flight ≤ max(20% (Istio 1.30 default 20%) of active + pending requests, 3)');
    // Envoy RetryBudgetImpl::max: max(20% × (active + pending), 3), read at each refusal.
    for (const d of overflow) {
      const [, allows, active] = /allows (\d+) \(20% of (\d+) active \+ pending/.exec(d.summary)!;
      expect(Number(allows)).toBe(Math.max(Math.floor(0.2 * Number(active)), 3));
    }
    expect(overflow.some((d) => / allows ([4-9]|\d\d) /.test(d.summary))).toBe(true);
    expect(r.report.summary.retries).toBeGreaterThan(3);
    expect(r.report.summary.retries).toBeLessThan(50);
    for (const q of r.report.requests.filter((x) => x.reason?.startsWith('UO'))) expect(q).toMatchObject({ status: 503, attempts: 1 });
  });

  it('FIDELITY B1 (1.27): the 0.2 % default bug leaves min_retry_concurrency 3 as the whole budget', () => {
    const r27 = burst('1.27');
    const r30 = burst('1.30');
    expect(r27.decisions('retry-overflow')[0]!.cause.config).toContain('max(0.2% (Istio 1.27 default 0.2%)');
    expect(r27.report.summary.retries).toBeLessThan(r30.report.summary.retries);
  });

  it('FIDELITY B1: retryBudget does not exist before Istio 1.27 (a located error, as kubectl apply would refuse it)', () => {
    expect(() => burst('1.26')).toThrow(
      /istio\[1\]\.spec\.trafficPolicy\.retryBudget does not exist in Istio 1\.26 \(meshVersions\.istio\): DestinationRule retryBudget is new in Istio 1\.27/,
    );
  });
});
