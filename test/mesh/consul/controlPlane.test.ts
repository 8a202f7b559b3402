import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/sim.ts';

const API = 'consul.hashicorp.com/v1alpha1';
const router = (timeout: string) => ({
  apiVersion: API,
  kind: 'ServiceRouter',
  metadata: { name: 'server' },
  spec: { routes: [{ destination: { requestTimeout: timeout } }] },
});

describe('Consul control plane', () => {
  it('FIDELITY-MORE I1: a change reaches the proxies 200 ms after the first change of a window, with what came in between', () => {
    const r = run(
      {
        duration: '3s',
        services: [{ name: 'client' }, { name: 'server' }],
        consul: [{ apiVersion: API, kind: 'ServiceDefaults', metadata: { name: 'server' }, spec: { protocol: 'http' } }],
        changes: [
          { at: '1s', consul: [router('1s')] },
          { at: '1.15s', consul: [router('2s')] },
        ],
      },
      'consul',
    );
    const pushes = r.decisions('config-push');
    // Unlike istiod's sliding 100 ms debounce, the window does not restart: one push at 1.2 s carries both.
    expect(pushes.map((d) => d.t)).toEqual([1200]);
    expect(pushes[0]!.summary).toContain('config v2');
    expect(
      r
        .flights('config')
        .filter((f) => f.departMs === 1200)
        .map((f) => f.to),
    ).toEqual(['client-0/proxy', 'server-0/proxy']);
  });

  it('FIDELITY-MORE I1: the connect-injector adds consul-dataplane to pods that opt in; the dataplane opens its xDS stream to a server', () => {
    const r = run({ startup: 'cold', services: [{ name: 'web' }, { name: 'legacy', meshed: false }] }, 'consul');
    const inj = r.decisions('inject')[0]!;
    expect(inj.node).toBe('connect-injector');
    expect(inj.summary).toContain('consul-dataplane');
    expect(r.decisions('skip-injection')[0]!.summary).toContain('connectInject.default is false');
    expect(r.flights('discovery')[0]).toMatchObject({ to: 'consul-server', label: 'xDS over gRPC (consul-dataplane)' });
  });
});
