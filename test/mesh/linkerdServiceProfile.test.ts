/**
 * Linkerd ServiceProfile routes as the proxy applies them (FIDELITY B3; linkerd.io/2-edge/reference/service-profiles,
 * the Configuring Retries task linkerd.io/2.15/tasks/configuring-retries): route conditions combined
 * with all / any / not (linkerd2 pkg/profiles ToRequestMatch; linkerd2-proxy service-profiles/src/http.rs
 * RequestMatch), and response classes (first matching class decides; an unmatched 5xx is a failure —
 * linkerd2-proxy app/core/src/classify.rs) deciding what isRetryable retries and what metrics count failed.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run } from '../helpers/sim.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';
import { Timeline, metricsAt } from '../../src/player/index.ts';
import { formatTrace } from '../../src/sim/index.ts';

type Route = Record<string, unknown>;
const profile = (routes: Route[]) => ({
  apiVersion: 'linkerd.io/v1alpha2',
  kind: 'ServiceProfile',
  metadata: { name: 'server.default.svc.cluster.local' },
  spec: { routes },
});

/** Ten requests of `method` to /api, the server answering `status` to every one. */
const ten = (routes: Route[], status: number, method = 'GET') =>
  run(
    {
      duration: '3s',
      services: [{ name: 'client' }, { name: 'server' }],
      traffic: [{ from: 'client', to: 'server', rate: '10/s', stop: '1s', path: '/api', method }],
      faults: [{ service: 'server', errors: { status, rate: '100%' } }],
      linkerd: [profile(routes)],
    },
    'linkerd',
  );
const retries = (r: ReturnType<typeof ten>): number => r.report.summary.retries;

describe('Linkerd ServiceProfile responseClasses (FIDELITY B3, FIDELITY G2)', () => {
  it('FIDELITY B3: without response classes a 429 is a success, so isRetryable does not retry it; a class with isFailure makes it retried', () => {
    const route = { name: 'api', condition: { pathRegex: '/api' }, isRetryable: true };
    expect(retries(ten([route], 429))).toBe(0);
    const r = ten([{ ...route, responseClasses: [{ condition: { status: { min: 429, max: 429 } }, isFailure: true }] }], 429);
    // Ten requests, each retried within the budget's reserve (10/s × 10 s): every one retried until answered.
    expect(retries(r)).toBeGreaterThanOrEqual(10);
    expect(r.decisions('retry')[0]!.summary).toContain('429');
    expect(r.decisions('retry')[0]!.cause.config).toContain('route api isRetryable');
  });

  it('FIDELITY B3: the first matching class decides — all + not carve 503 out of the 5xx failures', () => {
    const route = {
      name: 'api',
      condition: { pathRegex: '/api' },
      isRetryable: true,
      responseClasses: [
        // 503 is "not a failure" (the app sheds load on purpose); other 5xx stay failures as unmatched responses.
        {
          condition: { all: [{ status: { min: 500, max: 599 } }, { not: { status: { min: 500, max: 502 } } }, { not: { status: { min: 504, max: 599 } } }] },
          isFailure: false,
        },
      ],
    };
    expect(retries(ten([route], 503))).toBe(0);
    const five00 = ten([route], 500);
    expect(retries(five00)).toBeGreaterThanOrEqual(10);
    const noRetry = ten([route], 503).decisions('no-retry');
    expect(noRetry).toHaveLength(0); // a success: nothing for the retry layer to decide
  });

  it('FIDELITY G2: metrics count what the classes call failures — a 503 classed as success counts as success', () => {
    const plain = { name: 'api', condition: { pathRegex: '/api' } };
    const edge = (r: ReturnType<typeof ten>) => r.report.metrics.edges.find((e) => e.to === 'server')!;
    expect(edge(ten([plain], 503)).successRate).toBe(0);
    const ok503 = ten([{ ...plain, responseClasses: [{ condition: { status: { min: 503, max: 503 } }, isFailure: false }] }], 503);
    expect(edge(ok503).successRate).toBe(1);
    expect(edge(ok503).actualSuccessRate).toBe(1);
    expect(ok503.report.requests[0]!.tries[0]).toMatchObject({ status: 503, failure: false });
  });

  it('FIDELITY G2: the metrics panel counts what the classes call failures too (linkerd viz routes), and the trace keeps the verdict', () => {
    const plain = { name: 'api', condition: { pathRegex: '/api' } };
    /** The server's success rate in the browser's metrics panel at the end of the run. */
    const panel = (r: ReturnType<typeof ten>) => {
      const tl = new Timeline(r.trace);
      return metricsAt(tl, { showMs: tl.endShowMs, seq: Number.MAX_SAFE_INTEGER }, r.trace.durationMs).services.find((m) => m.service === 'server')!;
    };
    expect(panel(ten([plain], 503))).toMatchObject({ total: 10, ok: 0, successRate: 0 });
    const ok503 = ten([{ ...plain, responseClasses: [{ condition: { status: { min: 503, max: 503 } }, isFailure: false }] }], 503);
    expect(panel(ok503)).toMatchObject({ total: 10, ok: 10, failed: 0, successRate: 1 });
    // A 200 a class calls a failure counts as failed.
    const bad200 = ten([{ ...plain, responseClasses: [{ condition: { status: { min: 200, max: 200 } }, isFailure: true }] }], 200);
    expect(panel(bad200)).toMatchObject({ total: 10, ok: 0, successRate: 0 });
    // The request's end event carries the route's verdict (unset without classes), through the columnar trace and its text.
    const ends = (r: ReturnType<typeof ten>) =>
      r.trace.events.filter((e) => e.type === 'request' && e.phase === 'end').map((e) => (e as { failure?: boolean }).failure);
    expect(new Set(ends(ok503))).toEqual(new Set([false]));
    expect(new Set(ends(bad200))).toEqual(new Set([true]));
    expect(new Set(ends(ten([plain], 503)))).toEqual(new Set([undefined]));
    expect(formatTrace(bad200.trace.events)).toContain('route:failure');
  });

  it('FIDELITY B3: any of the classes — a 4xx class makes 404 and 409 failures that are retried', () => {
    const route = {
      name: 'api',
      condition: { pathRegex: '/api' },
      isRetryable: true,
      responseClasses: [{ condition: { any: [{ status: { min: 404, max: 404 } }, { status: { min: 409, max: 409 } }] }, isFailure: true }],
    };
    expect(retries(ten([route], 404))).toBeGreaterThanOrEqual(10);
    expect(retries(ten([route], 409))).toBeGreaterThanOrEqual(10);
    expect(retries(ten([route], 403))).toBe(0);
  });
});

describe('Linkerd ServiceProfile route conditions all / any / not (FIDELITY B3)', () => {
  const routes = [
    // Reads are retryable; everything else (not GET) is a second route that is not.
    { name: 'writes', condition: { not: { method: 'GET' } } },
    { name: 'reads', condition: { all: [{ method: 'GET' }, { any: [{ pathRegex: '/api' }, { pathRegex: '/books/\\d+' }] }] }, isRetryable: true },
  ];
  it('FIDELITY B3: the first route whose condition holds wins; not, all and any combine as the proxy evaluates them', () => {
    expect(retries(ten(routes, 503, 'GET'))).toBeGreaterThanOrEqual(10);
    const post = ten(routes, 503, 'POST');
    expect(retries(post)).toBe(0);
    expect(post.decisions('no-retry')[0]!.cause.config).toContain('.spec.routes[0]');
  });

  it('FIDELITY B3: several fields in one condition must all hold (pkg/profiles ToRequestMatch)', () => {
    const both = [{ name: 'api-get', condition: { method: 'POST', not: { pathRegex: '/other' } }, isRetryable: true }];
    expect(retries(ten(both, 503, 'POST'))).toBeGreaterThanOrEqual(10);
    expect(retries(ten(both, 503, 'GET'))).toBe(0);
  });
});

describe('Linkerd ServiceProfile validation (located errors)', () => {
  const problems = (routes: Route[]): string[] => {
    const r = parseScenario(
      stringify({ id: 't', title: 't', duration: '1s', services: [{ name: 'client' }, { name: 'server' }], linkerd: [profile(routes)] }),
      's.yaml',
    );
    return r.ok ? ['ok'] : r.problems.map((p) => formatProblem(p));
  };
  it('an empty condition, a status range without max, max below min and a status out of range are refused where they are', () => {
    expect(problems([{ name: 'a', condition: { any: [{}] } }])[0]).toMatch(/^s\.yaml:\d+:\d+: .*a request match must have a field set/);
    const noMax = problems([{ name: 'a', condition: { method: 'GET' }, responseClasses: [{ condition: { status: { min: 404 } }, isFailure: true }] }]);
    expect(noMax[0]).toMatch(/^s\.yaml:\d+:\d+: .*status.*is required: linkerd2-proxy drops a response class whose status range lacks max/);
    const reversed = problems([{ name: 'a', condition: { method: 'GET' }, responseClasses: [{ condition: { status: { min: 504, max: 500 } } }] }]);
    expect(reversed[0]).toMatch(/max.*must not be below min 504/);
    const outside = problems([{ name: 'a', condition: { method: 'GET' }, responseClasses: [{ condition: { not: { status: { min: 100, max: 600 } } } }] }]);
    expect(outside[0]).toMatch(/^s\.yaml:\d+:\d+: .*must be an HTTP status from 100 to 599/);
    expect(problems([{ name: 'a', condition: { method: 'GET' }, responseClasses: [{ condition: {} }] }])[0]).toMatch(/a response match must have a field set/);
  });
});
