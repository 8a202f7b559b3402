import { describe, expect, it } from 'vitest';
import { Connection } from '../../src/mesh/proxy/connections.ts';
import type { Hop } from '../../src/mesh/dataPlane.ts';
import type { Pod } from '../../src/mesh/types.ts';

const hop: Hop = { proxy: undefined, node: 'api-0/app', key: 'api-0', name: 'api-0', identity: undefined, life: { up: true, generation: 0 } };

function connection(maxStreams: number, onRelease?: () => void): Connection {
  const end = { from: 'web-0/proxy', clientName: 'web-0', clientProxy: undefined, latencyMs: 1, onRelease };
  const c = new Connection(1, end, { hop, workload: {} as Pod, clientIdentity: undefined }, false, maxStreams, 'api-0');
  c.state = 'established';
  return c;
}

describe("a connection's streams", () => {
  it('a reset ends every open stream once, in the order they opened, and no closed one', () => {
    const c = connection(Number.POSITIVE_INFINITY);
    const calls: string[] = [];
    const a = c.openStream(() => calls.push('a'));
    c.openStream(() => calls.push('b'));
    const x = c.openStream(() => calls.push('x'));
    c.closeStream(a);
    c.openStream(() => calls.push('d'));
    c.closeStream(x);
    c.openStream(() => calls.push('e'));
    expect(c.streams).toBe(3);
    c.reset();
    expect(calls).toEqual(['b', 'd', 'e']);
    expect(c.streams).toBe(0);
    c.reset();
    expect(calls).toEqual(['b', 'd', 'e']);
  });

  it('closing a stream twice, or one never opened, changes nothing', () => {
    let released = 0;
    const c = connection(1, () => released++);
    const s = c.openStream(() => {});
    c.closeStream(s);
    c.closeStream(s);
    c.closeStream(0);
    c.closeStream(99);
    expect(c.streams).toBe(0);
    expect(released).toBe(1);
    expect(c.served).toBe(1);
  });

  it('hands itself to a request as its own outcome, the same every time', () => {
    const c = connection(1);
    const outcome = c.usable;
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && outcome.conn).toBe(c);
    expect(c.usable).toBe(c.usable);
  });
});
