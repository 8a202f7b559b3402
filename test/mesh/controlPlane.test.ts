import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

const crash = {
  services: [{ name: 'client' }, { name: 'server', replicas: 2 }],
  traffic: [{ from: 'client', to: 'server', rate: '10/s' }],
  faults: [{ pod: 'server-1', crash: { at: '3s' } }],
  network: { endpointDelay: '500ms' },
};

describe('config propagation', () => {
  it('FIDELITY F1: istiod pushes EDS 100 ms after the last change (debounce); proxies are stale until it arrives', () => {
    const r = run(crash, 'istio');
    const push = r.decisions('config-push')[0]!;
    expect(push.t).toBe(3000 + 500 + 100);
    const client = r.transitions('proxyConfig', 'config:client-0').map((t) => `${t.to}@${t.t}`);
    expect(client).toContain('stale@3500');
    expect(client).toContain('synced@3601');
    const eds = r.flights('config').filter((f) => f.t === push.t);
    expect(eds.map((f) => f.to).sort()).toEqual(['client-0/proxy', 'server-0/proxy']);
  });

  it('FIDELITY F1: changes within the quiet period are pushed together, 100 ms after the last', () => {
    const r = run(
      {
        services: [{ name: 'a' }, { name: 'server', replicas: 40 }],
        duration: '20s',
        // A pod crashes every 60 ms: each change restarts the 100 ms quiet period.
        faults: Array.from({ length: 39 }, (_, i) => ({ pod: `server-${i}`, crash: { at: `${1000 + i * 60}ms` } })),
      },
      'istio',
    );
    const pushes = r.decisions('config-push');
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.t).toBe(1000 + 38 * 60 + 500 + 100);
  });

  it('FIDELITY F1: changes that never go quiet are pushed 10 s after the first (PILOT_DEBOUNCE_MAX)', () => {
    const crashes = 200;
    // Five services of 41 pods (a service holds at most 50), crashed in turn.
    const r = run(
      {
        services: [{ name: 'a' }, ...[0, 1, 2, 3, 4].map((k) => ({ name: `server${k}`, replicas: 41 }))],
        duration: '20s',
        // A pod crashes every 60 ms for 11.94 s; istiod sees each change 500 ms later (endpointDelay).
        faults: Array.from({ length: crashes }, (_, i) => ({ pod: `server${i % 5}-${Math.floor(i / 5)}`, crash: { at: `${1000 + i * 60}ms` } })),
      },
      'istio',
    );
    const first = 1000 + 500;
    const last = 1000 + (crashes - 1) * 60 + 500;
    // The quiet period never comes, so the first push goes at first change + PILOT_DEBOUNCE_MAX; the
    // changes after it start a new debounce, which ends 100 ms after the last of them.
    expect(r.decisions('config-push').map((d) => d.t)).toEqual([first + 10_000, last + 100]);
    expect(last - first).toBeGreaterThan(10_000);
  });

  it('FIDELITY F2: Linkerd opens a destination watch on the first request and gets updates pushed', () => {
    const r = run(crash, 'linkerd');
    const watches = r.decisions('watch');
    expect(watches).toHaveLength(1);
    expect(watches[0]!.t).toBe(0);
    const update = r.flights('config').find((f) => f.t >= 3000)!;
    expect(update.t).toBe(3500); // no debounce: the update leaves when Kubernetes reports the change
    expect(update.label).toContain('server-0');
    expect(update.label).not.toContain('server-1');
    expect(r.flights('discovery').filter((f) => f.label.startsWith('Get '))).toHaveLength(1);
  });
});
