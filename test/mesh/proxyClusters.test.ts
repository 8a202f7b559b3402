/**
 * A proxy's upstream clusters and its "first route" record are kept per config version, service
 * and subset; the last one asked for is kept at hand (Proxy.ts lastCluster, lastRouted). What is
 * at hand must never stand in for another service, subset or config version, nor outlive a restart.
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../src/mesh/world.ts';
import { crashPod, startPod } from '../../src/mesh/workloads.ts';
import { istioProfile } from '../../src/mesh/index.ts';
import { startedWorld } from '../helpers/sim.ts';

function started(): World {
  return startedWorld(
    {
      services: [
        { name: 'client', replicas: 1 },
        { name: 'server', replicas: 2 },
        { name: 'other', replicas: 1 },
      ],
    },
    istioProfile,
    1_000,
  );
}

describe("a proxy's clusters", () => {
  it('one per service and subset under a config version, the same object when asked again', () => {
    const proxy = started().proxies.get('client-0')!;
    const server = proxy.cluster('server');
    expect(server.service).toBe('server');
    expect(server.subset).toBeUndefined();
    const v1 = proxy.cluster('server', 'v1');
    expect(v1).not.toBe(server);
    expect(v1.subset).toBe('v1');
    const other = proxy.cluster('other');
    expect(other.service).toBe('other');
    // Asked again, in another order: the same clusters, none taken for another.
    expect(proxy.cluster('server')).toBe(server);
    expect(proxy.cluster('server')).toBe(server);
    expect(proxy.cluster('other')).toBe(other);
    expect(proxy.cluster('server', 'v1')).toBe(v1);
    expect(proxy.cluster('server')).toBe(server);
  });

  it('new ones under a new config version', () => {
    const proxy = started().proxies.get('client-0')!;
    const before = proxy.cluster('server');
    proxy.configVersion++;
    const after = proxy.cluster('server');
    expect(after).not.toBe(before);
    expect(proxy.cluster('server')).toBe(after);
  });

  it('new ones after a restart under the same config version (nothing of a previous life is kept)', () => {
    const world = started();
    const proxy = world.proxies.get('client-0')!;
    const before = proxy.cluster('server');
    const version = proxy.configVersion;
    const pod = world.pods.get('client-0')!;
    crashPod(world, pod);
    startPod(world, pod);
    world.scheduler.runUntil(3_000);
    expect(proxy.configVersion).toBe(version);
    const restarted = proxy.cluster('server');
    expect(restarted).not.toBe(before);
    expect(proxy.cluster('server')).toBe(restarted);
  });

  it('a route is first once per service and config version, and again after a restart', () => {
    const world = started();
    const proxy = world.proxies.get('client-0')!;
    const v = proxy.configVersion + 10;
    expect(proxy.firstRoute(v, 'server')).toBe(true);
    expect(proxy.firstRoute(v, 'server')).toBe(false);
    expect(proxy.firstRoute(v, 'other')).toBe(true);
    expect(proxy.firstRoute(v, 'server')).toBe(false);
    expect(proxy.firstRoute(v + 1, 'server')).toBe(true);
    expect(proxy.firstRoute(v + 1, 'server')).toBe(false);
    expect(proxy.firstRoute(v, 'other')).toBe(false);
    expect(proxy.firstRoute(v + 1, 'server')).toBe(false);
    const pod = world.pods.get('client-0')!;
    crashPod(world, pod);
    startPod(world, pod);
    expect(proxy.firstRoute(v + 1, 'server')).toBe(true);
  });
});
