/**
 * OSM traffic policy (FIDELITY-MORE J3, J4): permissive mode by the v1.2 chart, SMI mode denying
 * what no TrafficTarget allows, HTTPRouteGroup matches, TrafficSplit weights.
 */
import { describe, expect, it } from 'vitest';
import { run, scenarioOf } from '../../helpers/sim.ts';
import { osmProfile } from '../../../src/mesh/index.ts';
import type { Workload } from '../../../src/mesh/types.ts';

const smiMode = {
  apiVersion: 'config.openservicemesh.io/v1alpha2',
  kind: 'MeshConfig',
  metadata: { name: 'osm-mesh-config', namespace: 'osm-system' },
  spec: { traffic: { enablePermissiveTrafficPolicyMode: false } },
};
const routes = {
  apiVersion: 'specs.smi-spec.io/v1alpha4',
  kind: 'HTTPRouteGroup',
  metadata: { name: 'server-routes' },
  spec: { matches: [{ name: 'books', pathRegex: '/books.*', methods: ['GET'] }] },
};
const target = (source: string) => ({
  apiVersion: 'access.smi-spec.io/v1alpha3',
  kind: 'TrafficTarget',
  metadata: { name: 'server-access' },
  spec: {
    destination: { kind: 'ServiceAccount', name: 'server' },
    sources: [{ kind: 'ServiceAccount', name: source }],
    rules: [{ kind: 'HTTPRouteGroup', name: 'server-routes', matches: ['books'] }],
  },
});
const calls = (path: string, extra: Record<string, unknown> = {}) => ({
  services: [{ name: 'client' }, { name: 'thief' }, { name: 'server' }],
  traffic: [
    { from: 'client', to: 'server', at: '1s', path },
    { from: 'thief', to: 'server', at: '1s', path },
  ],
  ...extra,
});
const statusOf = (r: ReturnType<typeof run>, from: string) => r.report.requests.find((q) => q.from === `${from}-0`)!.status;

describe('FIDELITY-MORE J3: traffic policy modes', () => {
  it('FIDELITY-MORE J3: the v1.2 default is permissive: every meshed service may call every other, TrafficTargets ignored', () => {
    const r = run(calls('/books/1', { osm: [routes, target('client')] }), 'osm');
    expect(statusOf(r, 'client')).toBe(200);
    expect(statusOf(r, 'thief')).toBe(200);
    expect(r.decisions('deny')).toHaveLength(0);
  });

  it('FIDELITY-MORE J3: the permissive default names the v1.2 chart and that the docs say otherwise', () => {
    const mesh = osmProfile.compile(scenarioOf(calls('/books/1')));
    const server = { name: 'server-0', serviceAccount: 'server', namespace: 'default', service: { name: 'server' } } as unknown as Workload;
    const request = {
      method: 'GET',
      path: '/',
      headers: {},
      port: 80,
      mtls: true,
      peerIdentity: 'thief.default.cluster.local',
      fromCluster: true,
      sourceIp: '10.244.0.2',
    };
    const verdict = mesh.authorize(server, request, { kind: 'sidecar', name: 'server-0', namespace: 'default', nodeName: 'node-1' });
    expect(verdict.allow).toBe(true);
    expect(verdict.cause.config).toMatch(/v1\.2 Helm default: permissive.*false up to v1\.1.*docs/);
  });

  it('FIDELITY-MORE J3: SMI mode denies by default with 403, and a TrafficTarget lets its source in', () => {
    const none = run(calls('/books/1', { osm: [smiMode] }), 'osm');
    expect(statusOf(none, 'client')).toBe(403);
    expect(statusOf(none, 'thief')).toBe(403);
    const allowed = run(calls('/books/1', { osm: [smiMode, routes, target('client')] }), 'osm');
    expect(statusOf(allowed, 'client')).toBe(200);
    expect(statusOf(allowed, 'thief')).toBe(403);
    expect(allowed.decisions('deny')[0]!.summary).toContain('thief.default.cluster.local is not a source of TrafficTarget server-access');
  });
});

describe('FIDELITY-MORE J4: SMI resources', () => {
  it('FIDELITY-MORE J4: only the HTTPRouteGroup matches the TrafficTarget names are allowed (path regex, method)', () => {
    const other = run(calls('/admin', { osm: [smiMode, routes, target('client')] }), 'osm');
    expect(statusOf(other, 'client')).toBe(403);
    const post = run(
      {
        services: [{ name: 'client' }, { name: 'server' }],
        traffic: [{ from: 'client', to: 'server', at: '1s', path: '/books/1', method: 'POST' }],
        osm: [smiMode, routes, target('client')],
      },
      'osm',
    );
    expect(post.report.requests[0]!.status).toBe(403);
  });

  it('FIDELITY-MORE J4: a TrafficSplit weights the root service across backend services', () => {
    const r = run(
      {
        seed: 3,
        services: [{ name: 'client' }, { name: 'reviews' }, { name: 'reviews-v2' }],
        traffic: [{ from: 'client', to: 'reviews', rate: '50/s', stop: '5s' }],
        osm: [
          {
            apiVersion: 'split.smi-spec.io/v1alpha2',
            kind: 'TrafficSplit',
            metadata: { name: 'reviews-split' },
            spec: {
              service: 'reviews.default.svc.cluster.local',
              backends: [
                { service: 'reviews', weight: 80 },
                { service: 'reviews-v2', weight: 20 },
              ],
            },
          },
        ],
      },
      'osm',
    );
    const got = Object.fromEntries(r.report.pods.map((p) => [p.name, p.received]));
    const share = got['reviews-v2-0']! / (got['reviews-0']! + got['reviews-v2-0']!);
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.3);
    expect(r.decisions('route')[0]!.cause.config).toContain('TrafficSplit reviews-split');
  });
});
