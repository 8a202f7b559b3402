/**
 * FIDELITY B3: HTTPRoutes attached to a Service — the proxy takes the most specific match, not the
 * first written. linkerd2-proxy linkerd/http/route/src/lib.rs `find` keeps the best (route, rule)
 * match, a tie going to the first; http/match.rs orders matches by the path characters matched,
 * then the number of header matches, then a method match (a rule without matches is the prefix
 * `/`). linkerd2 policy-controller grpc/src/outbound.rs `timestamp_then_name` sends the routes oldest
 * first, then by name.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

type Rule = { matches?: Record<string, unknown>[]; backendRefs: { name: string; port: number }[] };
const route = (name: string, rules: Rule[]) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name },
  spec: { parentRefs: [{ name: 'api', kind: 'Service', group: 'core', port: 8080 }], rules },
});
const to = (name: string) => [{ name, port: 8080 }];
const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });

/** Which service served each request (the last try's pod, without its index). */
function served(routes: object[], traffic: { path: string; method?: string; headers?: Record<string, string> }[]): string[] {
  const r = run(
    {
      duration: '2s',
      services: [{ name: 'web' }, { name: 'api', port: 8080 }, { name: 'api-v2', port: 8080 }],
      traffic: traffic.map((t, i) => ({ from: 'web', to: 'api', at: `${100 + i * 100}ms`, ...t })),
      linkerd: routes,
    },
    'linkerd',
  );
  return r.report.requests.map((q) => `${q.method} ${q.path} → ${q.status} ${q.tries.at(-1)!.pod?.replace(/-\d+$/, '')}`);
}

describe('FIDELITY B3: Linkerd HTTPRoute precedence on a Service (most specific match wins)', () => {
  it('an exact path written after a catch-all prefix still takes its request', () => {
    const routes = [
      route('api', [
        { matches: [prefix('/')], backendRefs: to('api') },
        { matches: [{ path: { type: 'Exact', value: '/items/7' } }], backendRefs: to('api-v2') },
      ]),
    ];
    expect(served(routes, [{ path: '/items/7' }, { path: '/items/8' }])).toEqual(['GET /items/7 → 200 api-v2', 'GET /items/8 → 200 api']);
  });

  it('the longer prefix wins whatever the order written', () => {
    const routes = [
      route('api', [
        { matches: [prefix('/v1')], backendRefs: to('api') },
        { matches: [prefix('/v1/beta/')], backendRefs: to('api-v2') },
      ]),
    ];
    expect(served(routes, [{ path: '/v1/beta/x' }, { path: '/v1/betamax' }, { path: '/v1/other' }])).toEqual([
      'GET /v1/beta/x → 200 api-v2',
      // PathPrefix matches whole elements: /v1/beta does not cover /v1/betamax.
      'GET /v1/betamax → 200 api',
      'GET /v1/other → 200 api',
    ]);
  });

  it('on the same path, a match with a header beats one without; a method match breaks the next tie', () => {
    const routes = [
      route('api', [
        { matches: [prefix('/v1')], backendRefs: to('api') },
        { matches: [{ ...prefix('/v1'), method: 'POST' }], backendRefs: to('api-v2') },
        { matches: [{ ...prefix('/v1'), headers: [{ name: 'x-canary', value: 'yes' }] }], backendRefs: to('api-v2') },
      ]),
    ];
    expect(served(routes, [{ path: '/v1/a' }, { path: '/v1/a', method: 'POST' }, { path: '/v1/a', headers: { 'x-canary': 'yes' } }])).toEqual([
      'GET /v1/a → 200 api',
      'POST /v1/a → 200 api-v2',
      'GET /v1/a → 200 api-v2',
    ]);
  });

  it('a rule without matches is the prefix "/": any path match of its own beats it', () => {
    const routes = [route('api', [{ backendRefs: to('api') }, { matches: [{ headers: [{ name: 'x-canary', value: 'yes' }] }], backendRefs: to('api-v2') }])];
    // The header rule's match has no path, so it is "/" too, and wins on its header.
    expect(served(routes, [{ path: '/', headers: { 'x-canary': 'yes' } }, { path: '/' }])).toEqual(['GET / → 200 api-v2', 'GET / → 200 api']);
  });

  it('across routes, equally specific matches go to the route first by name (timestamps tie), not the first written', () => {
    const routes = [
      route('zeta', [{ matches: [prefix('/v1')], backendRefs: to('api-v2') }]),
      route('alpha', [{ matches: [prefix('/v1')], backendRefs: to('api') }]),
    ];
    expect(served(routes, [{ path: '/v1/a' }])).toEqual(['GET /v1/a → 200 api']);
    // A more specific match in the later route still wins.
    const more = [
      route('zeta', [{ matches: [prefix('/v1/a')], backendRefs: to('api-v2') }]),
      route('alpha', [{ matches: [prefix('/v1')], backendRefs: to('api') }]),
    ];
    expect(served(more, [{ path: '/v1/a' }])).toEqual(['GET /v1/a → 200 api-v2']);
  });

  it('names the chosen rule in its route decision', () => {
    const r = run(
      {
        duration: '1s',
        services: [{ name: 'web' }, { name: 'api', port: 8080 }, { name: 'api-v2', port: 8080 }],
        traffic: [{ from: 'web', to: 'api', at: '100ms', path: '/items/7' }],
        linkerd: [
          route('api', [
            { matches: [prefix('/')], backendRefs: to('api') },
            { matches: [{ path: { type: 'Exact', value: '/items/7' } }], backendRefs: to('api-v2') },
          ]),
        ],
      },
      'linkerd',
    );
    expect(r.decisions('route').map((d) => d.summary)).toEqual([expect.stringContaining('→ api-v2 by rule api.rules[1]')]);
  });
});
