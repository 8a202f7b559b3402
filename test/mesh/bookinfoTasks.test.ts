/**
 * Istio's Fault Injection and Request Timeouts tasks, reproduced with Bookinfo's own client
 * behaviour in `services[].calls`: productpage gives reviews 3 s and tries twice
 * (samples/bookinfo/src/productpage/productpage.py `getProductReviews`), reviews v2 gives ratings
 * 10 s (LibertyRestEndpoint.java), and the apps forward `end-user`.
 * - Fault Injection (istio.io tasks/traffic-management/fault-injection): a 7 s delay toward ratings
 *   for user jason; "the Bookinfo web page loads ... in about 6 seconds" with reviews unavailable.
 * - Request Timeouts (istio.io tasks/traffic-management/request-timeouts): a 0.5 s timeout on the
 *   reviews route over a 2 s delay toward ratings; the page "returns in about 1 second, instead of
 *   2", because productpage retries once.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { problemLines } from '../scenario/fixtures.ts';

const vs = (name: string, http: unknown[]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name },
  spec: { hosts: [name], http },
});
const dr = (name: string, versions: string[]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name },
  spec: { host: name, subsets: versions.map((v) => ({ name: v, labels: { version: v } })) },
});
const to = (host: string, subset: string) => [{ destination: { host, subset } }];

/** Bookinfo as its apps call each other (details left out: it plays no part in either task). */
const bookinfo = (productpageCall: Record<string, unknown> = {}) => [
  { name: 'web', meshed: false },
  {
    name: 'productpage',
    calls: [{ to: 'reviews', path: '/reviews/0', timeout: '3s', retries: 1, propagate: ['end-user'], onError: 'ignore', ...productpageCall }],
  },
  {
    name: 'reviews',
    versions: ['v1', 'v2', 'v3'],
    calls: [
      { to: 'ratings', path: '/ratings/0', versions: ['v2'], timeout: '10s', propagate: ['end-user'] },
      { to: 'ratings', path: '/ratings/0', versions: ['v3'], timeout: '2500ms', propagate: ['end-user'] },
    ],
  },
  { name: 'ratings', versions: ['v1'] },
];

const destinationRules = [dr('reviews', ['v1', 'v2', 'v3']), dr('ratings', ['v1'])];

describe('the Istio Fault Injection task', () => {
  const faultInjection = (productpageCall: Record<string, unknown> = {}) =>
    run(
      {
        duration: '30s',
        services: bookinfo(productpageCall),
        traffic: [
          { from: 'web', to: 'productpage', path: '/productpage', at: '1s', headers: { 'end-user': 'jason' } },
          { from: 'web', to: 'productpage', path: '/productpage', at: '15s' },
        ],
        istio: [
          ...destinationRules,
          // virtual-service-reviews-test-v2.yaml: jason sees reviews v2, everyone else v1.
          vs('reviews', [{ match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: to('reviews', 'v2') }, { route: to('reviews', 'v1') }]),
          // virtual-service-ratings-test-delay.yaml: a 7 s delay toward ratings for jason.
          vs('ratings', [
            {
              match: [{ headers: { 'end-user': { exact: 'jason' } } }],
              fault: { delay: { percentage: { value: 100 }, fixedDelay: '7s' } },
              route: to('ratings', 'v1'),
            },
            { route: to('ratings', 'v1') },
          ]),
        ],
      },
      'istio',
    );

  it("productpage's two 3 s tries toward reviews make jason's page load with reviews unavailable after about 6 s", () => {
    const r = faultInjection();
    const pages = r.report.requests.filter((q) => q.to === 'productpage');
    const jason = pages.find((q) => q.headers['end-user'] === 'jason')!;
    // The page itself loads (productpage shows "reviews are currently unavailable"), after about 6 s.
    expect(jason.status).toBe(200);
    expect(jason.endMs - jason.startMs).toBeGreaterThanOrEqual(6000);
    expect(jason.endMs - jason.startMs).toBeLessThan(6100);
    // Two tries by productpage, each abandoned at its own 3 s deadline, each carrying end-user on.
    const tries = r.report.requests.filter((q) => q.to === 'reviews' && q.startMs < 10_000);
    expect(tries).toHaveLength(2);
    for (const t of tries) {
      expect(t).toMatchObject({ status: 0, headers: { 'end-user': 'jason' } });
      expect(t.endMs - t.startMs).toBe(3000);
      expect(t.reason).toMatch(/gave up after 3000ms/);
    }
    // reviews v2 forwarded end-user too, so ratings' route delayed it 7 s: within v2's 10 s.
    const ratings = r.report.requests.filter((q) => q.to === 'ratings');
    expect(ratings).toHaveLength(2);
    for (const q of ratings) {
      // Sent by reviews v2, where the header productpage forwarded routed jason.
      expect(q).toMatchObject({ from: 'reviews-v2-0', status: 200, headers: { 'end-user': 'jason' } });
      expect(q.endMs - q.startMs).toBeGreaterThanOrEqual(7000);
    }
    // Another user is routed to reviews v1, which does not call ratings: no delay at all.
    const other = pages.find((q) => q.headers['end-user'] === undefined)!;
    expect(other.status).toBe(200);
    expect(other.endMs - other.startMs).toBeLessThan(100);
  });

  it('without the header forwarded, the delay rule never matches and jason sees reviews v1 at once', () => {
    const r = faultInjection({ propagate: [] });
    const jason = r.report.requests.find((q) => q.to === 'productpage' && q.headers['end-user'] === 'jason')!;
    expect(jason.endMs - jason.startMs).toBeLessThan(100);
    expect(r.report.requests.filter((q) => q.to === 'ratings')).toHaveLength(0);
  });

  it('with one try only (no app retry), the page gives up after about 3 s', () => {
    const r = faultInjection({ retries: 0 });
    const jason = r.report.requests.find((q) => q.to === 'productpage' && q.headers['end-user'] === 'jason')!;
    expect(jason.endMs - jason.startMs).toBeGreaterThanOrEqual(3000);
    expect(jason.endMs - jason.startMs).toBeLessThan(3100);
  });
});

describe('the Istio Request Timeouts task', () => {
  const requestTimeouts = (reviewsRoute: Record<string, unknown>) =>
    run(
      {
        services: bookinfo(),
        traffic: [{ from: 'web', to: 'productpage', path: '/productpage', at: '1s' }],
        istio: [
          ...destinationRules,
          vs('reviews', [{ route: to('reviews', 'v2'), ...reviewsRoute }]),
          // A 2 s delay toward ratings for everyone.
          vs('ratings', [{ fault: { delay: { percentage: { value: 100 }, fixedDelay: '2s' } }, route: to('ratings', 'v1') }]),
        ],
      },
      'istio',
    );

  it('a 2 s delay toward ratings makes the page take about 2 s', () => {
    const r = requestTimeouts({});
    const page = r.report.requests.find((q) => q.to === 'productpage')!;
    expect(page.endMs - page.startMs).toBeGreaterThanOrEqual(2000);
    expect(page.endMs - page.startMs).toBeLessThan(2100);
  });

  it('a 0.5 s route timeout on reviews returns the page in about 1 s, not 0.5 s: productpage tries reviews twice', () => {
    const r = requestTimeouts({ timeout: '0.5s' });
    const page = r.report.requests.find((q) => q.to === 'productpage')!;
    expect(page.status).toBe(200);
    expect(page.endMs - page.startMs).toBeGreaterThanOrEqual(1000);
    expect(page.endMs - page.startMs).toBeLessThan(1100);
    const tries = r.report.requests.filter((q) => q.to === 'reviews');
    expect(tries.map((q) => q.status)).toEqual([504, 504]);
    for (const q of tries) expect(q.endMs - q.startMs).toBe(500);
  });
});

describe('services[].calls as the app writes them', () => {
  const BASE = `id: calls
title: Calls
duration: 10s
services:
  - name: ratings
  - name: reviews
    versions: [v1, v2]
    calls:
`;
  it('a call made by a version the service does not run, a bad header name, a zero timeout, too many retries: each a located error', () => {
    expect(problemLines('calls.yaml', BASE + '      - { to: ratings, versions: [v3], propagate: ["end user"], timeout: 0s, retries: 11 }\n')).toEqual([
      'calls.yaml:9:35: services[1].calls[0].versions[0] names version "v3", which service "reviews" does not run (its versions: v1, v2)',
      'calls.yaml:9:52: services[1].calls[0].propagate[0] must be an HTTP header name like end-user (got "end user")',
      'calls.yaml:9:74: services[1].calls[0].timeout must be longer than 0ms (got "0s")',
      'calls.yaml:9:87: services[1].calls[0].retries must be a whole number from 0 to 10 (got 11)',
    ]);
  });
});
