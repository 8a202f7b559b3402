/**
 * `ControlPlane.discovered`: whether a proxy's `discover` would run its callback at once, so the
 * route layer goes on without making one. It must say yes only when `discover` would indeed call
 * back at once: always under istiod (every service pushed to every proxy), under Linkerd only once
 * the proxy's destination watch for the service has answered.
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../src/mesh/world.ts';
import { istioProfile, linkerdProfile } from '../../src/mesh/index.ts';
import type { MeshProfile } from '../../src/mesh/profiles/types.ts';
import { startedWorld } from '../helpers/sim.ts';

const started = (mesh: MeshProfile): World => startedWorld({ services: [{ name: 'client' }, { name: 'server' }] }, mesh, 2_000);

describe('discovered', () => {
  it('istiod: a proxy knows every service from the start, as discover calls back at once', () => {
    const world = started(istioProfile);
    const proxy = world.proxies.get('client-0')!;
    const server = world.services.get('server')!;
    expect(world.controlPlane.discovered(proxy, server)).toBe(true);
    let called = false;
    world.controlPlane.discover(proxy, server, () => (called = true));
    expect(called).toBe(true);
  });

  it('Linkerd: not before the destination watch answers, then yes — as discover calls back at once only then', () => {
    const world = started(linkerdProfile);
    const proxy = world.proxies.get('client-0')!;
    const server = world.services.get('server')!;
    expect(world.controlPlane.discovered(proxy, server)).toBe(false);
    let called = 0;
    world.controlPlane.discover(proxy, server, () => called++);
    expect(called).toBe(0);
    // Asked again while the watch is open: still not known, the callback waits too.
    expect(world.controlPlane.discovered(proxy, server)).toBe(false);
    world.scheduler.runUntil(3_000);
    expect(called).toBe(1);
    expect(world.controlPlane.discovered(proxy, server)).toBe(true);
    world.controlPlane.discover(proxy, server, () => called++);
    expect(called).toBe(2);
  });
});
