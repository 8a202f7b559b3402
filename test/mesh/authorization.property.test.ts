/**
 * Property (FIDELITY A5, A7: policy is enforced by the server's inbound proxy, before the app):
 * whatever the policies and the traffic, a request the inbound proxy denies never reaches the
 * application — no `http-request` flight to any app node for that attempt, and no `received`
 * count for it — and its caller sees the deny status. Random Istio and Linkerd policy sets and
 * random traffic (plaintext and mTLS callers, paths, methods, tokens).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { run } from '../helpers/sim.ts';

const CALLERS = ['productpage', 'sleep', 'legacy'] as const;
const TARGETS = ['reviews', 'ratings'] as const;
const ISS = 'https://auth.example.com';

const request = fc.record({
  from: fc.constantFrom(...CALLERS),
  to: fc.constantFrom(...TARGETS),
  at: fc.integer({ min: 1, max: 8 }).map((s) => `${s * 100}ms`),
  path: fc.constantFrom('/', '/api/v1', '/admin', '/b/info'),
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  jwt: fc.option(
    fc.record({
      issuer: fc.constantFrom(ISS, 'https://other.example.com'),
      subject: fc.constantFrom('alice', 'bob'),
      valid: fc.constantFrom(true, 'expired', 'bad-signature'),
    }),
    { nil: undefined },
  ),
});

const principal = fc.constantFrom('cluster.local/ns/default/sa/productpage', 'cluster.local/ns/default/sa/sleep', '*');
const istioRule = fc.record(
  {
    from: fc.array(
      fc.oneof(
        fc.record({ source: fc.record({ principals: fc.array(principal, { minLength: 1, maxLength: 2 }) }) }),
        fc.record({ source: fc.record({ notPrincipals: fc.array(principal, { minLength: 1, maxLength: 1 }) }) }),
        fc.record({ source: fc.record({ requestPrincipals: fc.constant(['*']) }) }),
      ),
      { maxLength: 2 },
    ),
    to: fc.array(
      fc.record({
        operation: fc.oneof(
          fc.record({ paths: fc.array(fc.constantFrom('/admin', '/api/*', '*/info', '*'), { minLength: 1, maxLength: 2 }) }),
          fc.record({ methods: fc.constant(['GET']) }),
        ),
      }),
      { maxLength: 1 },
    ),
  },
  { requiredKeys: [] },
);
const istioPolicy = fc.record({
  namespace: fc.constantFrom('default', 'istio-system'),
  app: fc.option(fc.constantFrom(...TARGETS), { nil: undefined }),
  action: fc.constantFrom('ALLOW', 'DENY', 'CUSTOM'),
  rules: fc.option(fc.array(istioRule, { maxLength: 2 }), { nil: undefined }),
});
const istioWorld = fc.record({ policies: fc.array(istioPolicy, { maxLength: 4 }), requestAuthn: fc.boolean() });

const linkerdWorld = fc.record({
  nsPolicy: fc.option(fc.constantFrom('all-authenticated', 'cluster-authenticated', 'cluster-unauthenticated', 'deny', 'audit'), { nil: undefined }),
  server: fc.boolean(),
  accessPolicy: fc.constantFrom('deny', 'audit', 'all-authenticated'),
  policies: fc.array(
    fc.record({
      target: fc.constantFrom('Server', 'Namespace'),
      identities: fc.option(fc.array(fc.constantFrom('*', 'productpage', 'sleep'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
      network: fc.option(fc.constantFrom('10.244.0.0/24', '10.244.0.3/32'), { nil: undefined }),
    }),
    { maxLength: 3 },
  ),
});

function scenario(traffic: unknown[], mesh: Record<string, unknown[]>) {
  return {
    duration: '2s',
    services: [{ name: 'productpage' }, { name: 'sleep' }, { name: 'legacy', meshed: false }, { name: 'reviews', port: 9080 }, { name: 'ratings' }],
    traffic: traffic.map((t) => Object.fromEntries(Object.entries(t as object).filter(([, v]) => v !== undefined))),
    ...mesh,
  };
}

function istioResources(w: {
  policies: { namespace: string; app?: string | undefined; action: string; rules?: unknown[] | undefined }[];
  requestAuthn: boolean;
}) {
  const out: unknown[] = w.policies.map((p, i) => ({
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: `p${i}`, namespace: p.namespace },
    spec: {
      action: p.action,
      ...(p.action === 'CUSTOM' ? { provider: { name: 'sample-ext-authz-http' } } : {}),
      ...(p.app ? { selector: { matchLabels: { app: p.app } } } : {}),
      ...(p.rules ? { rules: p.rules } : {}),
    },
  }));
  if (w.requestAuthn)
    out.push({ apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'jwt' }, spec: { jwtRules: [{ issuer: ISS }] } });
  return out;
}

function linkerdResources(w: {
  nsPolicy?: string | undefined;
  server: boolean;
  accessPolicy: string;
  policies: { target: string; identities?: string[] | undefined; network?: string | undefined }[];
}) {
  const out: unknown[] = [];
  if (w.nsPolicy)
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', annotations: { 'config.linkerd.io/default-inbound-policy': w.nsPolicy } } });
  if (!w.server) return out;
  out.push({
    apiVersion: 'policy.linkerd.io/v1beta3',
    kind: 'Server',
    metadata: { name: 'reviews-http' },
    spec: { podSelector: { matchLabels: { app: 'reviews' } }, port: 9080, accessPolicy: w.accessPolicy },
  });
  w.policies.forEach((p, i) => {
    const refs: unknown[] = [];
    if (p.identities) {
      const ids = p.identities.map((x) => (x === '*' ? '*' : `${x}.default.serviceaccount.identity.linkerd.cluster.local`));
      out.push({ apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'MeshTLSAuthentication', metadata: { name: `m${i}` }, spec: { identities: ids } });
      refs.push({ kind: 'MeshTLSAuthentication', name: `m${i}` });
    }
    if (p.network) {
      out.push({
        apiVersion: 'policy.linkerd.io/v1alpha1',
        kind: 'NetworkAuthentication',
        metadata: { name: `n${i}` },
        spec: { networks: [{ cidr: p.network }] },
      });
      refs.push({ kind: 'NetworkAuthentication', name: `n${i}` });
    }
    out.push({
      apiVersion: 'policy.linkerd.io/v1alpha1',
      kind: 'AuthorizationPolicy',
      metadata: { name: `a${i}` },
      spec: {
        targetRef: p.target === 'Server' ? { group: 'policy.linkerd.io', kind: 'Server', name: 'reviews-http' } : { kind: 'Namespace', name: 'default' },
        requiredAuthenticationRefs: refs,
      },
    });
  });
  return out;
}

/** Checks the property on one run; returns how many requests were denied (to see the generator exercises both sides). */
function deniedNeverReachApp(r: ReturnType<typeof run>): number {
  const denies = r.decisions('deny', 'authorization');
  const delivered = r.flights('http-request').filter((f) => f.to.endsWith('/app') && f.requestId !== undefined);
  for (const d of denies) {
    expect(
      delivered.filter((f) => f.requestId === d.requestId && f.attempt === d.attempt),
      `${d.requestId} was denied but reached an app`,
    ).toEqual([]);
    expect([401, 403]).toContain(r.report.requests.find((q) => q.id === d.requestId)!.status);
  }
  // received counts exactly the deliveries, so a denied request adds nothing to any pod.
  for (const pod of r.report.pods) expect(pod.received, pod.name).toBe(delivered.filter((f) => f.to === `${pod.name}/app`).length);
  expect(r.report.requests.length).toBe(new Set([...delivered.map((f) => f.requestId), ...denies.map((d) => d.requestId)]).size);
  return denies.length;
}

describe('authorization property', () => {
  it('FIDELITY A5: under Istio a denied request never reaches the app', () => {
    let denied = 0;
    let allowed = 0;
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 6 }), istioWorld, (traffic, w) => {
        const r = run(scenario(traffic, { istio: istioResources(w) }), 'istio');
        const n = deniedNeverReachApp(r);
        denied += n;
        allowed += r.report.requests.length - n;
      }),
      { numRuns: 60, seed: 3 },
    );
    expect(denied).toBeGreaterThan(20);
    expect(allowed).toBeGreaterThan(20);
  });

  it('FIDELITY A7: under Linkerd a denied request never reaches the app', () => {
    let denied = 0;
    let allowed = 0;
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 6 }), linkerdWorld, (traffic, w) => {
        const r = run(scenario(traffic, { linkerd: linkerdResources(w) }), 'linkerd');
        const n = deniedNeverReachApp(r);
        denied += n;
        allowed += r.report.requests.length - n;
      }),
      { numRuns: 60, seed: 5 },
    );
    expect(denied).toBeGreaterThan(20);
    expect(allowed).toBeGreaterThan(20);
  });
});
