import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import type { RequestStartEvent } from '../../src/sim/index.ts';

const starts = (r: ReturnType<typeof run>) => r.trace.events.filter((e): e is RequestStartEvent => e.type === 'request' && e.phase === 'start');

const versions = {
  services: [{ name: 'client' }, { name: 'reviews', versions: ['v1', 'v2', 'v3'] }],
};
const served = (r: ReturnType<typeof run>) => {
  const count: Record<string, number> = {};
  for (const p of r.report.pods) if (p.service === 'reviews') count[p.name] = p.received;
  return count;
};

describe('Istio VirtualService routing', () => {
  const dr = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'reviews' },
    spec: { host: 'reviews', subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })) },
  };
  const vs = (http: unknown[]) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews' },
    spec: { hosts: ['reviews'], http },
  });

  it('FIDELITY B1: weighted routes split traffic between DestinationRule subsets', () => {
    const r = run(
      {
        ...versions,
        traffic: [{ from: 'client', to: 'reviews', rate: '100/s' }],
        istio: [
          dr,
          vs([
            {
              route: [
                { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
                { destination: { host: 'reviews', subset: 'v3' }, weight: 10 },
              ],
            },
          ]),
        ],
      },
      'istio',
    );
    const c = served(r);
    expect(c['reviews-v2-0']).toBe(0);
    expect(c['reviews-v3-0']! / (c['reviews-v1-0']! + c['reviews-v3-0']!)).toBeGreaterThan(0.05);
    expect(c['reviews-v3-0']! / (c['reviews-v1-0']! + c['reviews-v3-0']!)).toBeLessThan(0.16);
  });

  it('matches go in order: a header match sends one user to v2, the rest to v1', () => {
    const r = run(
      {
        ...versions,
        traffic: [
          { from: 'client', to: 'reviews', rate: '5/s', headers: { 'end-user': 'jason' } },
          { from: 'client', to: 'reviews', rate: '5/s' },
        ],
        istio: [
          dr,
          vs([
            { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
            { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
          ]),
        ],
      },
      'istio',
    );
    const c = served(r);
    expect(c['reviews-v3-0']).toBe(0);
    expect(Math.abs(c['reviews-v1-0']! - c['reviews-v2-0']!)).toBeLessThanOrEqual(1);
  });

  it('header names match case-insensitively: a match on end-user takes a request sent with End-User', () => {
    const r = run(
      {
        ...versions,
        traffic: [{ from: 'client', to: 'reviews', at: '1s', headers: { 'End-User': 'jason' } }],
        istio: [
          dr,
          vs([
            { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
            { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
          ]),
        ],
      },
      'istio',
    );
    expect(served(r)).toEqual({ 'reviews-v1-0': 0, 'reviews-v2-0': 1, 'reviews-v3-0': 0 });
  });

  it('a request that matches no rule gets 404 NR', () => {
    const r = run(
      {
        ...versions,
        traffic: [{ from: 'client', to: 'reviews', at: '1s', path: '/other' }],
        istio: [dr, vs([{ match: [{ uri: { prefix: '/api' } }], route: [{ destination: { host: 'reviews' } }] }])],
      },
      'istio',
    );
    expect(r.report.requests[0]).toMatchObject({ status: 404, reason: 'NR no route' });
  });
});

describe('Linkerd HTTPRoute routing', () => {
  const services = { services: [{ name: 'client' }, { name: 'web' }, { name: 'web-v2' }] };
  const route = (rules: unknown[]) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web' },
    spec: { parentRefs: [{ name: 'web', kind: 'Service' }], rules },
  });

  it('weighted backendRefs split traffic between services', () => {
    const r = run(
      {
        ...services,
        traffic: [{ from: 'client', to: 'web', rate: '100/s' }],
        linkerd: [
          route([
            {
              backendRefs: [
                { name: 'web', weight: 50 },
                { name: 'web-v2', weight: 50 },
              ],
            },
          ]),
        ],
      },
      'linkerd',
    );
    const web = r.report.pods.find((p) => p.name === 'web-0')!.received;
    const v2 = r.report.pods.find((p) => p.name === 'web-v2-0')!.received;
    expect(v2 / (web + v2)).toBeGreaterThan(0.4);
    expect(v2 / (web + v2)).toBeLessThan(0.6);
  });

  it('path matches pick the rule; with an HTTPRoute attached, unmatched requests get 404 from the proxy (linkerd2-proxy#2109)', () => {
    const r = run(
      {
        ...services,
        traffic: [
          { from: 'client', to: 'web', rate: '5/s', path: '/v2/items' },
          { from: 'client', to: 'web', rate: '5/s', path: '/items' },
        ],
        linkerd: [route([{ matches: [{ path: { type: 'PathPrefix', value: '/v2' } }], backendRefs: [{ name: 'web-v2' }] }])],
      },
      'linkerd',
    );
    const web = r.report.pods.find((p) => p.name === 'web-0')!.received;
    const v2 = r.report.pods.find((p) => p.name === 'web-v2-0')!.received;
    const byPath = (path: string) =>
      starts(r)
        .filter((e) => e.path === path)
        .map((e) => e.requestId);
    const status = new Map(r.ends().map((e) => [e.requestId, e.status]));
    // The policy controller adds the Service's default route only when no route is attached.
    expect(web).toBe(0);
    expect(v2).toBeGreaterThan(40);
    expect(byPath('/items').length).toBeGreaterThan(40);
    for (const id of byPath('/items')) expect(status.get(id)).toBe(404);
    for (const id of byPath('/v2/items')) expect(status.get(id)).toBe(200);
    expect(r.decisions('no-route')[0]!.cause.source).toContain('linkerd2-proxy#2109');
  });

  it('without an HTTPRoute every request takes the Service default route', () => {
    const r = run({ ...services, traffic: [{ from: 'client', to: 'web', at: '1s', path: '/anything' }] }, 'linkerd');
    expect(r.ends()[0]!.status).toBe(200);
    expect(r.report.pods.find((p) => p.name === 'web-0')!.received).toBe(1);
  });

  it('Gateway API PathPrefix matches whole path elements: /v2 takes /v2 and /v2/x, not /v2items', () => {
    const paths = ['/v2', '/v2/', '/v2/x', '/v2?q=1', '/v2items'];
    const r = run(
      {
        ...services,
        traffic: paths.map((path, i) => ({ from: 'client', to: 'web', at: `${1000 + i * 100}ms`, path })),
        linkerd: [
          route([{ matches: [{ path: { type: 'PathPrefix', value: '/v2' } }], backendRefs: [{ name: 'web-v2' }] }, { backendRefs: [{ name: 'web' }] }]),
        ],
      },
      'linkerd',
    );
    const startPath = new Map(starts(r).map((e) => [e.requestId, e.path]));
    const servedBy = Object.fromEntries(
      r
        .flights('http-request')
        .filter((f) => /^web.*\/proxy$/.test(f.to))
        .map((f) => [startPath.get(f.requestId!), f.to.replace(/-\d+\/proxy$/, '')]),
    );
    expect(servedBy).toEqual({ '/v2': 'web-v2', '/v2/': 'web-v2', '/v2/x': 'web-v2', '/v2?q=1': 'web-v2', '/v2items': 'web' });
  });

  it('Istio VirtualService uri.prefix stays a plain string prefix (Envoy route prefix): /v2 takes /v2items too', () => {
    const r = run(
      {
        services: [{ name: 'client' }, { name: 'reviews', versions: ['v1', 'v2'] }],
        traffic: [{ from: 'client', to: 'reviews', at: '1s', path: '/v2items' }],
        istio: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'DestinationRule',
            metadata: { name: 'reviews' },
            spec: { host: 'reviews', subsets: ['v1', 'v2'].map((v) => ({ name: v, labels: { version: v } })) },
          },
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'reviews' },
            spec: {
              hosts: ['reviews'],
              http: [
                { match: [{ uri: { prefix: '/v2' } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
                { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
              ],
            },
          },
        ],
      },
      'istio',
    );
    expect(r.flights('http-request').find((f) => f.to.startsWith('reviews'))!.to).toBe('reviews-v2-0/proxy');
  });
});

describe('load balancing defaults', () => {
  it('FIDELITY D1: Istio picks by LEAST_REQUEST; FIDELITY D2: Linkerd by P2C over peak-EWMA', () => {
    const s = { services: [{ name: 'client' }, { name: 'server', replicas: 3 }], traffic: [{ from: 'client', to: 'server', rate: '20/s', stop: '1s' }] };
    expect(run(s, 'istio').decisions('endpoint')[0]!.cause.config).toContain('LEAST_REQUEST');
    expect(run(s, 'linkerd').decisions('endpoint')[0]!.cause.config).toContain('peak-EWMA');
  });
});
