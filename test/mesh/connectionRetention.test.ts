/**
 * A pool keeps its connections for the run (keep-alive), so nothing a connection holds may lead
 * back to the request that opened it: with 30 pods per service most requests open one, and each
 * kept its whole request (exchanges, callbacks, records) until the run ended.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/mesh/world.ts';
import { ConnectionPool, type DialOutcome } from '../../src/mesh/proxy/connections.ts';
import { istioProfile } from '../../src/mesh/index.ts';
import type { Hop } from '../../src/mesh/dataPlane.ts';
import type { Pod } from '../../src/mesh/types.ts';
import { scenarioOf } from '../helpers/sim.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A turn of the event loop: a WeakRef read in this job keeps its target until the job ends. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('a kept connection', () => {
  it('does not keep the callback of the request that opened it', async () => {
    const world = new World(scenarioOf({ services: [{ name: 'server' }] }), istioProfile, 1);
    const pool = new ConnectionPool(world, { name: 'client-0', proxy: undefined }, 'client-0/app', 1);
    const hop: Hop = { proxy: undefined, node: 'server-0/app', key: 'server-0', name: 'server-0', identity: undefined, life: { up: true, generation: 0 } };
    const outcomes: DialOutcome[] = [];
    const watch = ((): WeakRef<object> => {
      // The request's callback: in the engine it holds the whole request (its exchange, the layers' callbacks).
      const done = (outcome: DialOutcome): void => void outcomes.push(outcome);
      pool.acquire({ hop, workload: { name: 'server-0' } as Pod, clientIdentity: undefined }, null, null, done);
      return new WeakRef(done);
    })();
    world.scheduler.runUntil(1_000);
    expect(outcomes.map((o) => o.ok)).toEqual([true]);
    const conn = (outcomes[0] as { conn: { state: string } }).conn;
    outcomes.length = 0;
    await nextTurn();
    gc();
    await nextTurn();
    // The pool still holds the connection (established, ready for the next request) ...
    expect(conn.state).toBe('established');
    expect(pool).toBeDefined();
    // ... but not the request that opened it.
    expect(watch.deref()).toBeUndefined();
  });
});
