/**
 * Istio AuthorizationPolicy and RequestAuthentication, each rule checked against the outcome
 * the documentation predicts (FIDELITY A5, A3; comparison items 17, 18): status and reason the
 * caller sees, whether the app was reached, and the config the deny decision cites.
 */
import { describe, expect, it } from 'vitest';
import { run, type Run } from '../helpers/sim.ts';

const AP = 'security.istio.io/v1';
/** An AuthorizationPolicy in `default` (or `namespace`). */
const ap = (name: string, spec: Record<string, unknown> = {}, namespace = 'default') => ({
  apiVersion: AP,
  kind: 'AuthorizationPolicy',
  metadata: { name, namespace },
  spec,
});
const ra = (issuer: string, selector?: Record<string, string>) => ({
  apiVersion: AP,
  kind: 'RequestAuthentication',
  metadata: { name: 'jwt', namespace: 'default' },
  spec: { ...(selector ? { selector: { matchLabels: selector } } : {}), jwtRules: [{ issuer, jwksUri: `${issuer}/jwks` }] },
});
const onReviews = { selector: { matchLabels: { app: 'reviews' } } };
const PRODUCTPAGE = 'cluster.local/ns/default/sa/productpage';
const ISS = 'https://auth.example.com';

/** productpage and sleep (meshed) and legacy (no sidecar) each call reviews once at 1s. */
function world(istio: unknown[], extraTraffic: Record<string, unknown>[] = [], trafficDefaults: Record<string, unknown> = {}) {
  return {
    services: [{ name: 'productpage' }, { name: 'sleep' }, { name: 'legacy', meshed: false }, { name: 'reviews', port: 9080 }, { name: 'ratings' }],
    traffic: [
      { from: 'productpage', to: 'reviews', at: '1s', ...trafficDefaults },
      { from: 'sleep', to: 'reviews', at: '1s', ...trafficDefaults },
      { from: 'legacy', to: 'reviews', at: '1s', ...trafficDefaults },
      ...extraTraffic,
    ],
    istio,
  };
}
const statusByCaller = (r: Run, to = 'reviews') =>
  Object.fromEntries(r.report.requests.filter((q) => q.to === to).map((q) => [q.from.replace(/-0$/, ''), q.status]));
const received = (r: Run, pod: string) => r.report.pods.find((p) => p.name === pod)!.received;
/** The report's requests in the order they started (ids are sequential), i.e. in traffic order here. */
const started = (r: Run) => [...r.report.requests].sort((a, b) => a.id.localeCompare(b.id));
const statuses = (r: Run) => started(r).map((q) => q.status);

describe('Istio AuthorizationPolicy', () => {
  it('FIDELITY A5: with no AuthorizationPolicy every request is allowed', () => {
    const r = run(world([]), 'istio');
    expect(statusByCaller(r)).toEqual({ productpage: 200, sleep: 200, legacy: 200 });
    expect(r.decisions('deny', 'authorization')).toEqual([]);
  });

  it('FIDELITY A5: allow-nothing (ALLOW, no rules) denies everyone with 403 "RBAC: access denied", before the app', () => {
    const r = run(world([ap('allow-nothing', { action: 'ALLOW' })]), 'istio');
    expect(statusByCaller(r)).toEqual({ productpage: 403, sleep: 403, legacy: 403 });
    expect(r.report.requests.every((q) => q.reason === 'DENY RBAC: access denied' && q.attempts === 1)).toBe(true);
    expect(received(r, 'reviews-0')).toBe(0);
    const deny = r.decisions('deny', 'authorization')[0]!;
    expect(deny.cause.config).toContain('AuthorizationPolicy allow-nothing');
    expect(deny.cause.line).toBeGreaterThan(0);
  });

  it('FIDELITY A5: deny-all (DENY, rules: [{}]) beats allow-all (ALLOW, rules: [{}])', () => {
    expect(statusByCaller(run(world([ap('allow-all', { rules: [{}] })]), 'istio'))).toEqual({ productpage: 200, sleep: 200, legacy: 200 });
    const r = run(world([ap('allow-all', { rules: [{}] }), ap('deny-all', { action: 'DENY', rules: [{}] })]), 'istio');
    expect(statusByCaller(r)).toEqual({ productpage: 403, sleep: 403, legacy: 403 });
    expect(r.decisions('deny', 'authorization')[0]!.cause.config).toContain('deny-all');
  });

  it('FIDELITY A5: once a workload has an ALLOW policy only what it allows gets in; principals drop spiffe:// (A3)', () => {
    const r = run(world([ap('reviews-viewer', { ...onReviews, rules: [{ from: [{ source: { principals: [PRODUCTPAGE] } }] }] })]), 'istio');
    expect(statusByCaller(r)).toEqual({ productpage: 200, sleep: 403, legacy: 403 });
    expect(received(r, 'reviews-0')).toBe(1);
    // The SPIFFE URI with its scheme is not the principal format, so it matches nobody.
    const withScheme = run(world([ap('wrong', { ...onReviews, rules: [{ from: [{ source: { principals: [`spiffe://${PRODUCTPAGE}`] } }] }] })]), 'istio');
    expect(statusByCaller(withScheme).productpage).toBe(403);
  });

  it('FIDELITY A5: the ALLOW policy of one workload does not deny-by-default another', () => {
    const r = run(
      world(
        [ap('reviews-viewer', { ...onReviews, rules: [{ from: [{ source: { principals: [PRODUCTPAGE] } }] }] })],
        [{ from: 'sleep', to: 'ratings', at: '1s' }],
      ),
      'istio',
    );
    expect(statusByCaller(r, 'ratings')).toEqual({ sleep: 200 });
  });

  it('FIDELITY A5: scope — namespace-wide in its namespace only, mesh-wide from the root namespace istio-system', () => {
    const shop = {
      services: [{ name: 'web' }, { name: 'a' }, { name: 'b', namespace: 'shop' }],
      traffic: [
        { from: 'web', to: 'a', at: '1s' },
        { from: 'web', to: 'b.shop', at: '1s' },
      ],
    };
    const nsWide = run({ ...shop, istio: [ap('deny', { action: 'DENY', rules: [{}] }, 'shop')] }, 'istio');
    expect(nsWide.report.requests.map((q) => [q.to, q.status])).toEqual(
      expect.arrayContaining([
        ['a', 200],
        ['b.shop', 403],
      ]),
    );
    const meshWide = run({ ...shop, istio: [ap('deny', { action: 'DENY', rules: [{}] }, 'istio-system')] }, 'istio');
    expect(statuses(meshWide)).toEqual([403, 403]);
    const meshWideSelector = run(
      { ...shop, istio: [ap('deny', { action: 'DENY', selector: { matchLabels: { app: 'b' } }, rules: [{}] }, 'istio-system')] },
      'istio',
    );
    expect(meshWideSelector.report.requests.map((q) => [q.to, q.status])).toEqual(
      expect.arrayContaining([
        ['a', 200],
        ['b.shop', 403],
      ]),
    );
  });

  it('FIDELITY A5: principals and namespaces need mTLS — plaintext under PERMISSIVE has none', () => {
    const byNs = run(world([ap('from-default', { ...onReviews, rules: [{ from: [{ source: { namespaces: ['default'] } }] }] })]), 'istio');
    expect(statusByCaller(byNs)).toEqual({ productpage: 200, sleep: 200, legacy: 403 });
    const anyPrincipal = run(world([ap('authenticated', { ...onReviews, rules: [{ from: [{ source: { principals: ['*'] } }] }] })]), 'istio');
    expect(statusByCaller(anyPrincipal).legacy).toBe(403);
    // A DENY on notPrincipals catches plaintext (absent principal ≠ productpage); one on principals lets it bypass.
    const notPp = run(world([ap('only-pp', { action: 'DENY', ...onReviews, rules: [{ from: [{ source: { notPrincipals: [PRODUCTPAGE] } }] }] })]), 'istio');
    expect(statusByCaller(notPp)).toEqual({ productpage: 200, sleep: 403, legacy: 403 });
    const denySleep = run(
      world([ap('no-sleep', { action: 'DENY', ...onReviews, rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/*'] } }] }] })]),
      'istio',
    );
    expect(statusByCaller(denySleep)).toEqual({ productpage: 403, sleep: 403, legacy: 200 });
  });

  it('FIDELITY A5: paths match exact, prefix*, *suffix and presence; notPaths, methods, notMethods and ports', () => {
    const calls = ['/api/v1/reviews', '/reviews/info', '/admin', '/'].map((path) => ({ from: 'sleep', to: 'ratings', at: '1s', path }));
    const allowPaths = (paths: string[]) =>
      run(
        { ...world([ap('p', { selector: { matchLabels: { app: 'ratings' } }, rules: [{ to: [{ operation: { paths } }] }] })], calls), traffic: calls },
        'istio',
      );
    const ok = (r: Run) => started(r).flatMap((q, i) => (q.status === 200 ? [calls[i]!.path] : []));
    expect(ok(allowPaths(['/admin']))).toEqual(['/admin']);
    expect(ok(allowPaths(['/api/*'])).sort()).toEqual(['/api/v1/reviews']);
    expect(ok(allowPaths(['*/info']))).toEqual(['/reviews/info']);
    expect(ok(allowPaths(['*'])).length).toBe(4);
    const notAdmin = run(
      { ...world([ap('p', { selector: { matchLabels: { app: 'ratings' } }, rules: [{ to: [{ operation: { notPaths: ['/admin*'] } }] }] })]), traffic: calls },
      'istio',
    );
    expect(ok(notAdmin).sort()).toEqual(['/', '/api/v1/reviews', '/reviews/info']);
    const methods = [
      { from: 'sleep', to: 'reviews', at: '1s', method: 'GET' },
      { from: 'sleep', to: 'reviews', at: '1s', method: 'DELETE' },
    ];
    const readOnly = run({ ...world([ap('ro', { ...onReviews, rules: [{ to: [{ operation: { methods: ['GET', 'HEAD'] } }] }] })]), traffic: methods }, 'istio');
    expect(statuses(readOnly)).toEqual([200, 403]);
    const noDelete = run(
      { ...world([ap('nd', { ...onReviews, action: 'DENY', rules: [{ to: [{ operation: { notMethods: ['GET'] } }] }] })]), traffic: methods },
      'istio',
    );
    expect(statuses(noDelete)).toEqual([200, 403]);
    // reviews listens on 9080: a port rule for 9080 matches it, one for 8080 does not.
    expect(statusByCaller(run(world([ap('port', { ...onReviews, rules: [{ to: [{ operation: { ports: ['9080'] } }] }] })]), 'istio')).sleep).toBe(200);
    expect(statusByCaller(run(world([ap('port', { ...onReviews, rules: [{ to: [{ operation: { ports: ['8080'] } }] }] })]), 'istio')).sleep).toBe(403);
  });

  it('FIDELITY A5: ipBlocks match the source pod IP (10.244.<namespace>.<n>), with or without mTLS', () => {
    // Pods are numbered in declaration order within a namespace: productpage-0 .2, sleep-0 .3, legacy-0 .4.
    const r = run(world([ap('ips', { ...onReviews, rules: [{ from: [{ source: { ipBlocks: ['10.244.0.2', '10.244.0.4/32'] } }] }] })]), 'istio');
    expect(statusByCaller(r)).toEqual({ productpage: 200, sleep: 403, legacy: 200 });
    const not = run(world([ap('ips', { ...onReviews, rules: [{ from: [{ source: { notIpBlocks: ['10.244.0.0/24'] } }] }] })]), 'istio');
    expect(statusByCaller(not)).toEqual({ productpage: 403, sleep: 403, legacy: 403 });
  });

  it('FIDELITY A5: when conditions — request.headers[...] (any case), source.principal, notValues', () => {
    const header = ap('hdr', { ...onReviews, rules: [{ when: [{ key: 'request.headers[X-User]', values: ['admin*'] }] }] });
    const r = run(world([header], [], { headers: { 'x-user': 'admin-bob' } }), 'istio');
    expect(statusByCaller(r)).toEqual({ productpage: 200, sleep: 200, legacy: 200 });
    expect(statusByCaller(run(world([header]), 'istio')).sleep).toBe(403);
    const principal = ap('sp', { ...onReviews, rules: [{ when: [{ key: 'source.principal', notValues: ['*/sa/sleep'] }] }] });
    expect(statusByCaller(run(world([principal]), 'istio'))).toEqual({ productpage: 200, sleep: 403, legacy: 200 });
  });
});

describe('Istio CUSTOM (ext-authz)', () => {
  const custom = (provider: string, rules: unknown[] = [{}]) => ap('ext-authz', { ...onReviews, action: 'CUSTOM', provider: { name: provider }, rules });

  it('FIDELITY A5: CUSTOM is checked first — the sample server allows only x-ext-authz: allow, and allow-all cannot override it', () => {
    const traffic = [
      { from: 'sleep', to: 'reviews', at: '1s', headers: { 'x-ext-authz': 'allow' } },
      { from: 'sleep', to: 'reviews', at: '1s', headers: { 'x-ext-authz': 'deny' } },
      { from: 'sleep', to: 'reviews', at: '1s' },
    ];
    const r = run({ ...world([custom('sample-ext-authz-http'), ap('allow-all', { rules: [{}] })]), traffic }, 'istio');
    expect(statuses(r)).toEqual([200, 403, 403]);
    expect(started(r)[1]!.reason).toMatch(/^UAEX /);
    expect(received(r, 'reviews-0')).toBe(1);
  });

  it('FIDELITY A5: a CUSTOM policy only checks the requests its rules match', () => {
    const traffic = [
      { from: 'sleep', to: 'reviews', at: '1s', path: '/headers' },
      { from: 'sleep', to: 'reviews', at: '1s', path: '/ip' },
    ];
    const r = run({ ...world([custom('sample-ext-authz-http', [{ to: [{ operation: { paths: ['/headers'] } }] }])]), traffic }, 'istio');
    expect(statuses(r)).toEqual([403, 200]);
  });

  it('FIDELITY A5: the gRPC sample provider also allows service account "a" when the header is absent', () => {
    const r = run(
      {
        services: [{ name: 'a' }, { name: 'sleep' }, { name: 'reviews' }],
        traffic: [
          { from: 'a', to: 'reviews', at: '1s' },
          { from: 'a', to: 'reviews', at: '1s', headers: { 'x-ext-authz': 'deny' } },
          { from: 'sleep', to: 'reviews', at: '1s' },
        ],
        istio: [custom('sample-ext-authz-grpc')],
      },
      'istio',
    );
    expect(started(r).map((q) => [q.from, q.status])).toEqual([
      ['a-0', 200],
      ['a-0', 403],
      ['sleep-0', 403],
    ]);
  });
});

describe('Istio RequestAuthentication', () => {
  const tokens = [
    { from: 'sleep', to: 'reviews', at: '1s', jwt: { issuer: ISS, subject: 'alice' } },
    { from: 'sleep', to: 'reviews', at: '1s', jwt: { issuer: ISS, subject: 'bob', valid: 'expired' } },
    { from: 'sleep', to: 'reviews', at: '1s', jwt: { issuer: ISS, subject: 'eve', valid: 'bad-signature' } },
    { from: 'sleep', to: 'reviews', at: '1s', jwt: { issuer: 'https://other.example.com', subject: 'mallory' } },
    { from: 'sleep', to: 'reviews', at: '1s' },
  ];

  it('FIDELITY A5: an invalid token (expired, bad signature, unknown issuer) gets 401; no token is accepted', () => {
    const r = run({ ...world([ra(ISS)]), traffic: tokens }, 'istio');
    expect(statuses(r)).toEqual([200, 401, 401, 401, 200]);
    expect(
      started(r)
        .slice(1, 4)
        .map((q) => q.reason),
    ).toEqual([
      'jwt_authn_access_denied: Jwt is expired',
      'jwt_authn_access_denied: Jwt verification fails',
      'jwt_authn_access_denied: Jwt issuer is not configured (https://other.example.com)',
    ]);
    expect(received(r, 'reviews-0')).toBe(2);
    expect(r.decisions('deny', 'authorization')[0]!.cause.config).toContain('RequestAuthentication jwt');
  });

  it('FIDELITY A5: to require a token, an AuthorizationPolicy on requestPrincipals — no token then gets 403, principal is <iss>/<sub>', () => {
    const requireJwt = ap('require-jwt', { ...onReviews, rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] });
    const r = run({ ...world([ra(ISS), requireJwt]), traffic: tokens }, 'istio');
    expect(statuses(r)).toEqual([200, 401, 401, 401, 403]);
    const alice = ap('alice', { ...onReviews, rules: [{ from: [{ source: { requestPrincipals: [`${ISS}/alice`] } }] }] });
    const bobOnly = ap('claims', { ...onReviews, rules: [{ when: [{ key: 'request.auth.claims[sub]', values: ['bob'] }] }] });
    expect(run({ ...world([ra(ISS), alice]), traffic: tokens.slice(0, 1) }, 'istio').report.requests[0]!.status).toBe(200);
    expect(run({ ...world([ra(ISS), bobOnly]), traffic: tokens.slice(0, 1) }, 'istio').report.requests[0]!.status).toBe(403);
  });

  it('FIDELITY A5: without a RequestAuthentication the token is never validated, so requestPrincipals cannot match', () => {
    const requireJwt = ap('require-jwt', { ...onReviews, rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] });
    const r = run({ ...world([requireJwt]), traffic: tokens }, 'istio');
    expect(statuses(r)).toEqual([403, 403, 403, 403, 403]);
  });

  it('FIDELITY A5: a RequestAuthentication applies only to the workloads it selects', () => {
    const r = run({ ...world([ra(ISS, { app: 'ratings' })]), traffic: tokens.slice(1, 2) }, 'istio');
    expect(r.report.requests[0]!.status).toBe(200);
  });
});
