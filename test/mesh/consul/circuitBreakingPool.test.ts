/**
 * circuit-breaking-pool under Consul (FIDELITY-MORE I7): the caller's ServiceDefaults limits
 * (maxConnections 1, maxPendingRequests 1) with no requests-per-connection limit, so connections
 * are kept open. Only the first two requests collide — one waits as pending while the connection is
 * set up, the other finds the slot taken (UO) — where Istio, closing each connection after one
 * request (maxRequestsPerConnection 1), makes every request wait for a new one.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/player/index.ts';

const FILE = 'scenarios/circuit-breaking-pool.yaml';
const run = (mesh: string) => {
  const o = runScenario({ text: readFileSync(FILE, 'utf8'), file: FILE, mesh });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return o;
};
const syns = (o: ReturnType<typeof run>) => o.trace.events.filter((e) => e.type === 'flight' && e.kind === 'tcp' && e.label === 'SYN').length;

describe('FIDELITY-MORE I7: circuit-breaking-pool under Consul', () => {
  it('FIDELITY-MORE I7: keep-alive connections — the one refusal is the first collision, while a connection is set up', () => {
    const consul = run('consul');
    const refused = consul.report.requests.filter((r) => r.status !== 200);
    expect(refused.map((r) => [r.id, r.startMs, r.reason])).toEqual([['req-000002', 0, 'UO upstream overflow']]);
    const overflow = consul.trace.events.find((e) => e.type === 'decision' && e.kind === 'overflow')!;
    expect(overflow.type === 'decision' && overflow.summary).toMatch(
      /no ready connection \(1 open or opening, maxConnections 1\) and 1 pending \(maxPendingRequests 1\)/,
    );
    // The field a Consul learner would change, not Istio's http1MaxPendingRequests.
    expect(overflow.type === 'decision' && overflow.summary).not.toMatch(/http1/);
    // Two connections in the whole run (one per Envoy thread that needed one), against one per request under Istio.
    expect(syns(consul)).toBe(2);
    expect(syns(run('istio'))).toBeGreaterThan(25);
  });
});
