/**
 * Warm proxies start with one endpoint table the control plane hands them all (600 sidecars at
 * 30 replicas made a table of every service each). A push that reaches one proxy must change that
 * proxy's view only: one cut off from the control plane keeps the endpoints it had.
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
        { name: 'client', replicas: 2 },
        { name: 'server', replicas: 2 },
      ],
    },
    istioProfile,
    1_000,
  );
}

const names = (world: World, proxy: string): string[] =>
  world.proxies
    .get(proxy)!
    .endpointsOf('server')
    .map((p) => p.name);

describe('warm proxies share their first endpoint table', () => {
  it('a push changes the proxies it reaches, not one cut off from the control plane', () => {
    const world = started();
    expect(names(world, 'client-0')).toEqual(['server-0', 'server-1']);
    expect(names(world, 'client-1')).toEqual(['server-0', 'server-1']);
    world.setLinkCut('client-1', 'control-plane', true);
    crashPod(world, world.pods.get('server-1')!);
    world.scheduler.runUntil(3_000);
    expect(names(world, 'client-0')).toEqual(['server-0']);
    expect(names(world, 'server-0')).toEqual(['server-0']);
    // Never reached by the push: still the table it started with.
    expect(names(world, 'client-1')).toEqual(['server-0', 'server-1']);
  });

  it('a proxy that restarts starts with no endpoints of its previous life, and gets the current ones', () => {
    const world = started();
    crashPod(world, world.pods.get('server-1')!);
    world.scheduler.runUntil(3_000);
    const client = world.pods.get('client-0')!;
    crashPod(world, client);
    expect(names(world, 'client-0')).toEqual(['server-0']);
    startPod(world, client);
    // Restarted (not warm): nothing until its config arrives from istiod.
    expect(names(world, 'client-0')).toEqual([]);
    world.scheduler.runUntil(5_000);
    expect(names(world, 'client-0')).toEqual(['server-0']);
    expect(names(world, 'client-1')).toEqual(['server-0']);
  });
});
