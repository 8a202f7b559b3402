import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/sim.ts';

const API = 'consul.hashicorp.com/v1alpha1';
const ACLS = { apiVersion: 'mesh-sim/v1', kind: 'HelmValues', metadata: { name: 'consul' }, values: { global: { acls: { manageSystemACLs: true } } } };
const http = (name: string) => ({ apiVersion: API, kind: 'ServiceDefaults', metadata: { name }, spec: { protocol: 'http' } });
const intentions = (sources: unknown[], dest = 'api') => ({
  apiVersion: API,
  kind: 'ServiceIntentions',
  metadata: { name: dest },
  spec: { destination: { name: dest }, sources },
});
const world = (consul: unknown[], traffic: unknown[] = [{ from: 'web', to: 'api', at: '1s' }]) => ({
  services: [{ name: 'web' }, { name: 'admin' }, { name: 'api' }],
  traffic,
  consul,
});

describe('Consul intentions', () => {
  it('FIDELITY-MORE I4: with the chart’s default (ACLs off) every mesh call is allowed', () => {
    expect(run(world([]), 'consul').ends()[0]!.status).toBe(200);
  });

  it('FIDELITY-MORE I4: with manageSystemACLs the default is deny — a closed connection on a tcp service, 403 on an http one', () => {
    const tcp = run(world([ACLS]), 'consul');
    expect(tcp.ends()[0]).toMatchObject({ status: 0 });
    expect(tcp.decisions('deny')[0]!.summary).toContain('the ACL default policy denys');
    expect(tcp.decisions('deny')[0]!.cause.config).toContain('manageSystemACLs: true');
    const web = run(world([ACLS, http('api')]), 'consul');
    expect(web.ends()[0]).toMatchObject({ status: 403 });
  });

  it('FIDELITY-MORE I4: the most specific intention wins: an exact source beats the wildcard', () => {
    const ixn = intentions([
      { name: '*', action: 'deny' },
      { name: 'admin', action: 'allow' },
    ]);
    const r = run(
      world(
        [ixn],
        [
          { from: 'web', to: 'api', at: '1s' },
          { from: 'admin', to: 'api', at: '1s' },
        ],
      ),
      'consul',
    );
    const byFrom = Object.fromEntries(r.report.requests.map((q) => [q.from, q.status]));
    expect(byFrom).toEqual({ 'web-0': 0, 'admin-0': 200 });
  });

  it('FIDELITY-MORE I4: L7 permissions decide by path and method, the first match wins, and a request none matches gets the default', () => {
    const ixn = intentions([
      {
        name: 'web',
        permissions: [
          { action: 'deny', http: { pathPrefix: '/admin' } },
          { action: 'allow', http: { pathPrefix: '/', methods: ['GET'] } },
        ],
      },
    ]);
    const r = run(
      world(
        [ACLS, http('api'), ixn],
        [
          { from: 'web', to: 'api', at: '1s', path: '/items' },
          { from: 'web', to: 'api', at: '1.1s', path: '/admin/users' },
          { from: 'web', to: 'api', at: '1.2s', path: '/items', method: 'POST' },
        ],
      ),
      'consul',
    );
    expect(r.report.requests.map((q) => q.status)).toEqual([200, 403, 403]);
    expect(r.decisions('deny').map((d) => d.summary)).toEqual([
      expect.stringContaining('permission 0 denys GET /admin/users (L7)'),
      expect.stringContaining('no permission matches POST /items'),
    ]);
  });

  it('FIDELITY-MORE I4: L7 permissions toward a tcp service are refused, so the default applies', () => {
    const ixn = intentions([{ name: 'web', permissions: [{ action: 'allow', http: { pathPrefix: '/' } }] }]);
    const r = run(world([ACLS, ixn]), 'consul');
    expect(r.decisions('config-rejected')[0]!.summary).toBe(
      'ServiceIntentions api not synced: service "api" has protocol "tcp", which is incompatible with L7 intentions permissions',
    );
    expect(r.ends()[0]!.status).toBe(0);
  });

  // One client pod calls all along; at 5 s a deny intention arrives.
  const later = (consul: unknown[]) => ({
    duration: '10s',
    services: [{ name: 'web', replicas: 2 }, { name: 'api' }],
    traffic: [
      { from: 'web-0', to: 'api', rate: '10/s' },
      // web-1 first calls after the change: it opens a new connection.
      { from: 'web-1', to: 'api', at: '7s' },
    ],
    consul,
    changes: [{ at: '5s', consul: [intentions([{ name: 'web', action: 'deny' }])] }],
  });

  it('FIDELITY-MORE I4: an L4 deny does not sever the connection that is already open: its requests keep flowing', () => {
    const r = run(later([]), 'consul');
    const after = r.report.requests.filter((q) => q.startMs > 6000 && q.from === 'web-0');
    expect(after.length).toBeGreaterThan(30);
    expect(after.every((q) => q.status === 200)).toBe(true);
    // The connection web-1 opens after the change is closed by the RBAC network filter.
    expect(r.report.requests.filter((q) => q.from === 'web-1').map((q) => q.status)).toEqual([0]);
  });

  it('FIDELITY-MORE I4: an L7 (http) destination checks every request, so the same deny stops the next request on the open connection', () => {
    const r = run(later([http('api')]), 'consul');
    const after = r.report.requests.filter((q) => q.startMs > 6000 && q.from === 'web-0');
    expect(after.length).toBeGreaterThan(30);
    expect(after.every((q) => q.status === 403)).toBe(true);
  });
});
