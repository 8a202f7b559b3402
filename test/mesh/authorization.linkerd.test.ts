/**
 * Linkerd inbound policy, each rule checked against the documented outcome (FIDELITY A7;
 * comparison items 12, 17, 18): default inbound policies on a Namespace or a workload, Server
 * (deny by default, audit), AuthorizationPolicy with MeshTLSAuthentication, ServiceAccount and
 * NetworkAuthentication, and the JWT header that Linkerd lets travel.
 */
import { describe, expect, it } from 'vitest';
import { run, type Run } from '../helpers/sim.ts';

const POLICY = 'policy.linkerd.io/v1alpha1';
const id = (sa: string, ns = 'default') => `${sa}.${ns}.serviceaccount.identity.linkerd.cluster.local`;
const server = (name: string, app: string, port: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'policy.linkerd.io/v1beta3',
  kind: 'Server',
  metadata: { name },
  spec: { podSelector: { matchLabels: { app } }, port, ...extra },
});
const authz = (name: string, target: { kind: string; name: string }, refs: { kind: string; name: string; namespace?: string }[]) => ({
  apiVersion: POLICY,
  kind: 'AuthorizationPolicy',
  metadata: { name },
  spec: { targetRef: { group: target.kind === 'Namespace' ? undefined : 'policy.linkerd.io', ...target }, requiredAuthenticationRefs: refs },
});
const meshTls = (name: string, spec: Record<string, unknown>) => ({ apiVersion: POLICY, kind: 'MeshTLSAuthentication', metadata: { name }, spec });
const network = (name: string, networks: unknown[]) => ({ apiVersion: POLICY, kind: 'NetworkAuthentication', metadata: { name }, spec: { networks } });
const deployment = (name: string, policy: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { template: { metadata: { annotations: { 'config.linkerd.io/default-inbound-policy': policy } } } },
});
const namespace = (name: string, policy: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, annotations: { 'config.linkerd.io/default-inbound-policy': policy } },
});

/** productpage and sleep (meshed) and legacy (no proxy) each call reviews (port 9080) and ratings once at 1s. */
function world(linkerd: unknown[], extra: Record<string, unknown> = {}) {
  return {
    services: [{ name: 'productpage' }, { name: 'sleep' }, { name: 'legacy', meshed: false }, { name: 'reviews', port: 9080 }, { name: 'ratings' }],
    traffic: ['productpage', 'sleep', 'legacy'].flatMap((from) => [
      { from, to: 'reviews', at: '1s' },
      { from, to: 'ratings', at: '1s' },
    ]),
    linkerd,
    ...extra,
  };
}
const statusByCaller = (r: Run, to = 'reviews') =>
  Object.fromEntries(r.report.requests.filter((q) => q.to === to).map((q) => [q.from.replace(/-0$/, ''), q.status]));
const received = (r: Run, pod: string) => r.report.pods.find((p) => p.name === pod)!.received;

describe('Linkerd default inbound policy', () => {
  it('FIDELITY A7: a workload annotation (pod template) overrides its Namespace, for that workload only', () => {
    const r = run(world([namespace('default', 'all-authenticated'), deployment('reviews', 'deny')]), 'linkerd');
    expect(statusByCaller(r)).toEqual({ productpage: 403, sleep: 403, legacy: 403 });
    expect(statusByCaller(r, 'ratings')).toEqual({ productpage: 200, sleep: 200, legacy: 403 });
    const deny = r.decisions('deny', 'authorization').find((d) => d.node === 'reviews-0/proxy')!;
    expect(deny.cause.config).toContain('Deployment reviews');
    expect(deny.cause.line).toBeGreaterThan(0);
  });

  it('FIDELITY A7: cluster-unauthenticated admits any client in the cluster networks, meshed or not', () => {
    const r = run(world([deployment('reviews', 'cluster-unauthenticated')]), 'linkerd');
    expect(statusByCaller(r)).toEqual({ productpage: 200, sleep: 200, legacy: 200 });
  });

  it('FIDELITY A7: audit lets everyone in and records an audit decision instead of a deny', () => {
    const r = run(world([deployment('reviews', 'audit')]), 'linkerd');
    expect(statusByCaller(r)).toEqual({ productpage: 200, sleep: 200, legacy: 200 });
    expect(r.decisions('audit', 'authorization').length).toBe(3);
    expect(r.decisions('deny', 'authorization')).toEqual([]);
  });
});

describe('Linkerd Server and AuthorizationPolicy', () => {
  it('FIDELITY A7: a Server denies every client by default (accessPolicy deny) with 403 forbidden, before the app', () => {
    const r = run(world([server('reviews-http', 'reviews', 9080)]), 'linkerd');
    expect(statusByCaller(r)).toEqual({ productpage: 403, sleep: 403, legacy: 403 });
    expect(r.report.requests.filter((q) => q.to === 'reviews').every((q) => q.reason === 'forbidden')).toBe(true);
    expect(received(r, 'reviews-0')).toBe(0);
    // Ports no Server selects keep the default policy (all-unauthenticated).
    expect(statusByCaller(r, 'ratings')).toEqual({ productpage: 200, sleep: 200, legacy: 200 });
    expect(r.decisions('deny', 'authorization')[0]!.cause.config).toContain('Server reviews-http');
  });

  it('FIDELITY A7: AuthorizationPolicy + MeshTLSAuthentication lets only the listed identities in', () => {
    const byIdentity = run(
      world([
        server('reviews-http', 'reviews', 9080),
        authz('reviews-from-pp', { kind: 'Server', name: 'reviews-http' }, [{ kind: 'MeshTLSAuthentication', name: 'pp' }]),
        meshTls('pp', { identities: [id('productpage')] }),
      ]),
      'linkerd',
    );
    expect(statusByCaller(byIdentity)).toEqual({ productpage: 200, sleep: 403, legacy: 403 });
    expect(received(byIdentity, 'reviews-0')).toBe(1);
    const byRef = run(
      world([
        server('reviews-http', 'reviews', 9080),
        authz('reviews-from-sleep', { kind: 'Server', name: 'reviews-http' }, [{ kind: 'MeshTLSAuthentication', name: 'sl' }]),
        meshTls('sl', { identityRefs: [{ kind: 'ServiceAccount', name: 'sleep' }] }),
      ]),
      'linkerd',
    );
    expect(statusByCaller(byRef)).toEqual({ productpage: 403, sleep: 200, legacy: 403 });
  });

  it('FIDELITY A7: identities "*" admits every meshed client and "*.<ns>…" a namespace; a ServiceAccount ref one account', () => {
    const withIdentities = (identities: string[]) =>
      statusByCaller(
        run(
          world([
            server('reviews-http', 'reviews', 9080),
            authz('a', { kind: 'Server', name: 'reviews-http' }, [{ kind: 'MeshTLSAuthentication', name: 'm' }]),
            meshTls('m', { identities }),
          ]),
          'linkerd',
        ),
      );
    expect(withIdentities(['*'])).toEqual({ productpage: 200, sleep: 200, legacy: 403 });
    expect(withIdentities(['*.default.serviceaccount.identity.linkerd.cluster.local'])).toEqual({ productpage: 200, sleep: 200, legacy: 403 });
    expect(withIdentities(['*.shop.serviceaccount.identity.linkerd.cluster.local'])).toEqual({ productpage: 403, sleep: 403, legacy: 403 });
    const sa = run(
      world([server('reviews-http', 'reviews', 9080), authz('a', { kind: 'Server', name: 'reviews-http' }, [{ kind: 'ServiceAccount', name: 'sleep' }])]),
      'linkerd',
    );
    expect(statusByCaller(sa)).toEqual({ productpage: 403, sleep: 200, legacy: 403 });
  });

  it('FIDELITY A7: NetworkAuthentication authorizes by source IP (cidr minus except), meshed or not', () => {
    // Pods of namespace default are 10.244.0.<n+1> in declaration order: productpage .2, sleep .3, legacy .4.
    const r = run(
      world([
        server('reviews-http', 'reviews', 9080),
        authz('a', { kind: 'Server', name: 'reviews-http' }, [{ kind: 'NetworkAuthentication', name: 'pods' }]),
        network('pods', [{ cidr: '10.244.0.0/24', except: ['10.244.0.3/32'] }]),
      ]),
      'linkerd',
    );
    expect(statusByCaller(r)).toEqual({ productpage: 200, sleep: 403, legacy: 200 });
  });

  it('FIDELITY A7: every required authentication must hold — identity and network together', () => {
    const r = run(
      world([
        server('reviews-http', 'reviews', 9080),
        authz('a', { kind: 'Server', name: 'reviews-http' }, [
          { kind: 'MeshTLSAuthentication', name: 'm' },
          { kind: 'NetworkAuthentication', name: 'n' },
        ]),
        meshTls('m', { identities: ['*'] }),
        network('n', [{ cidr: '10.244.0.3/32' }]),
      ]),
      'linkerd',
    );
    expect(statusByCaller(r)).toEqual({ productpage: 403, sleep: 200, legacy: 403 });
  });

  it('FIDELITY A7: policies combine — any one that matches authorizes; an empty requiredAuthenticationRefs matches everyone', () => {
    const two = run(
      world([
        server('reviews-http', 'reviews', 9080),
        authz('pp', { kind: 'Server', name: 'reviews-http' }, [{ kind: 'ServiceAccount', name: 'productpage' }]),
        authz('sl', { kind: 'Server', name: 'reviews-http' }, [{ kind: 'ServiceAccount', name: 'sleep' }]),
      ]),
      'linkerd',
    );
    expect(statusByCaller(two)).toEqual({ productpage: 200, sleep: 200, legacy: 403 });
    const open = run(world([server('reviews-http', 'reviews', 9080), authz('anyone', { kind: 'Server', name: 'reviews-http' }, [])]), 'linkerd');
    expect(statusByCaller(open)).toEqual({ productpage: 200, sleep: 200, legacy: 200 });
  });

  it('FIDELITY A7: a Namespace-targeted AuthorizationPolicy covers every Server of the namespace, not ports without one', () => {
    const r = run(
      world([
        namespace('default', 'deny'),
        server('reviews-http', 'reviews', 9080),
        authz('meshed', { kind: 'Namespace', name: 'default' }, [{ kind: 'MeshTLSAuthentication', name: 'all' }]),
        meshTls('all', { identities: ['*'] }),
      ]),
      'linkerd',
    );
    expect(statusByCaller(r)).toEqual({ productpage: 200, sleep: 200, legacy: 403 });
    // ratings has no Server, so the namespace's default policy (deny) decides.
    expect(statusByCaller(r, 'ratings')).toEqual({ productpage: 403, sleep: 403, legacy: 403 });
  });

  it('FIDELITY A7: accessPolicy audit lets unauthorized traffic through and records it; authorized traffic is not flagged', () => {
    const r = run(
      world([
        server('reviews-http', 'reviews', 9080, { accessPolicy: 'audit' }),
        authz('pp', { kind: 'Server', name: 'reviews-http' }, [{ kind: 'ServiceAccount', name: 'productpage' }]),
      ]),
      'linkerd',
    );
    expect(statusByCaller(r)).toEqual({ productpage: 200, sleep: 200, legacy: 200 });
    const audited = r.decisions('audit', 'authorization').map((d) => d.summary);
    expect(audited.length).toBe(2);
    expect(audited.some((s) => s.includes(id('productpage')))).toBe(false);
  });

  it('FIDELITY A7: accessPolicy all-authenticated on a Server admits meshed clients only', () => {
    const r = run(world([server('reviews-http', 'reviews', 9080, { accessPolicy: 'all-authenticated' })]), 'linkerd');
    expect(statusByCaller(r)).toEqual({ productpage: 200, sleep: 200, legacy: 403 });
  });
});

describe('Linkerd and end-user tokens', () => {
  it('comparison 18: Linkerd has no JWT primitive — the authorization header travels and an expired token reaches the app', () => {
    const r = run(
      {
        services: [{ name: 'sleep' }, { name: 'reviews' }],
        traffic: [{ from: 'sleep', to: 'reviews', at: '1s', jwt: { issuer: 'https://auth.example.com', subject: 'bob', valid: 'expired' } }],
      },
      'linkerd',
    );
    expect(r.report.requests[0]!.status).toBe(200);
    expect(received(r, 'reviews-0')).toBe(1);
    const start = r.trace.events.find((e) => e.type === 'request' && e.phase === 'start') as { headers: Record<string, string> };
    expect(start.headers.authorization).toMatch(/^Bearer .*iss=https:\/\/auth\.example\.com;sub=bob;/);
  });
});
