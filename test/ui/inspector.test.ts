import { describe, expect, it } from 'vitest';
import { certificateAt, deliveredCertificates, nodeFacts } from '../../src/ui/nodeFacts.ts';
import { Player, formatClock } from '../../src/player/index.ts';
import { simulate, istioProfile } from '../../src/mesh/index.ts';
import type { Trace } from '../../src/sim/index.ts';
import { flight, traceOf } from '../player/fixtures.ts';
import { scenarioOf } from '../helpers/sim.ts';
import { nodeProxyProfile } from '../mesh/nodeDataPlane.ts';

/** Two nodes: the client on one, both server pods on the other. */
const nodeScenario = scenarioOf({
  nodes: [
    { name: 'node-a', pods: ['client-0'] },
    { name: 'node-b', pods: ['server-0', 'server-1'] },
  ],
  services: [{ name: 'client' }, { name: 'server', replicas: 2 }],
  traffic: [{ from: 'client', to: 'server', at: '1s' }],
  duration: '2s',
  startup: 'cold',
});

const H = 3_600_000;

/** A certificate the CA sends to `to`, valid until `expiresAtMs`. */
const certificate = (to: string, departMs: number, expiresAtMs: number) => ({
  ...flight('control-plane', to, departMs, departMs + 1, 'certificate'),
  kind: 'certificate' as const,
  detail: { expiresAtMs },
});

describe('the certificate the inspector shows for a proxy', () => {
  // a's proxy gets a certificate at 1 h, is renewed at 12 h and again at 37 h; b's proxy once.
  const trace = traceOf(
    [
      certificate('a/proxy', 1 * H, 25 * H),
      certificate('b/proxy', 2 * H, 26 * H),
      flight('a/proxy', 'b/proxy', 3 * H, 3 * H + 5),
      certificate('a/proxy', 12 * H, 36 * H),
      certificate('a/proxy', 37 * H, 61 * H),
    ],
    39 * H,
  );
  const delivered = deliveredCertificates(trace.events);
  const expiry = (proxy: string, timeMs: number): unknown => certificateAt(delivered.get(proxy), timeMs)?.detail?.expiresAtMs;

  it('is the latest delivered by the view time, not the first one, after a renewal', () => {
    expect(expiry('a/proxy', 2 * H)).toBe(25 * H);
    expect(expiry('a/proxy', 13 * H)).toBe(36 * H);
    expect(expiry('a/proxy', 38 * H)).toBe(61 * H);
    expect(expiry('b/proxy', 38 * H)).toBe(26 * H);
  });

  it('is none before the first arrives, and not one still on its way', () => {
    expect(expiry('a/proxy', 0)).toBeUndefined();
    expect(expiry('a/proxy', 1 * H)).toBeUndefined();
    expect(expiry('a/proxy', 1 * H + 1)).toBe(25 * H);
    expect(expiry('a/proxy', 37 * H)).toBe(36 * H);
    expect(expiry('a/proxy', 37 * H + 1)).toBe(61 * H);
  });

  it('is none for a proxy that never got one, and counts only certificates', () => {
    expect(expiry('a/app', 38 * H)).toBeUndefined();
    expect([...delivered.keys()].sort()).toEqual(['a/proxy', 'b/proxy']);
    expect(delivered.get('a/proxy')!.map((f) => f.detail!.expiresAtMs)).toEqual([25 * H, 36 * H, 61 * H]);
  });
});

describe('the inspector on any proxy', () => {
  const atEnd = (trace: Trace) => {
    const player = new Player(trace);
    player.seekTime(trace.durationMs);
    const view = player.view();
    return { view, delivered: deliveredCertificates(trace.events) };
  };

  it('names a node proxy, the pods it serves, and the state of each certificate it holds', () => {
    const trace = simulate(nodeScenario, nodeProxyProfile).trace;
    const { view, delivered } = atEnd(trace);
    const facts = nodeFacts(trace, 'node-b/node-proxy', view.timeMs, delivered, view.components);
    expect(facts.title).toBe('Node proxy: node proxy on node-b');
    expect(facts.rows).toEqual(
      expect.arrayContaining([
        ['kind', 'node'],
        ['Kubernetes node', 'node-b'],
        ['serves pods', 'server-0, server-1'],
        ['certificate', `certificate valid (since ${formatClock(2)})`],
        ['expires', formatClock(24 * H + 1)],
      ]),
    );
    // Its machines are its own: its config and the certificate it holds for the server identity.
    const machines = view.components.filter((c) => facts.machineNodes.includes(c.node)).map((c) => c.entity);
    expect(machines).toEqual(expect.arrayContaining(['config:nodeproxy-node-b', 'cert:nodeproxy-node-b/server.default']));
    expect(machines.some((m) => m.includes('client'))).toBe(false);
  });

  it('says which proxy handles a pod that has no sidecar', () => {
    const trace = simulate(nodeScenario, nodeProxyProfile).trace;
    const { view, delivered } = atEnd(trace);
    const facts = nodeFacts(trace, 'server-1/app', view.timeMs, delivered, view.components);
    expect(facts.title).toBe('App: server-1');
    expect(facts.rows).toContainEqual(['sidecar', 'no: node proxy nodeproxy-node-b on node-b handles its traffic']);
    expect(facts.rows).toContainEqual(['Kubernetes node', 'node-b']);
  });

  it('shows a sidecar and its pod as before: its one certificate, from its own machine', () => {
    const trace = simulate(nodeScenario, istioProfile).trace;
    const { view, delivered } = atEnd(trace);
    const facts = nodeFacts(trace, 'server-0/proxy', view.timeMs, delivered, view.components);
    expect(facts.title).toBe('Sidecar: server-0 proxy');
    expect(facts.rows).toContainEqual(['sidecar', 'yes']);
    expect(facts.rows).toContainEqual(['certificate', expect.stringMatching(/^certificate valid/)]);
    expect(facts.machineNodes).toEqual(['server-0/app', 'server-0/proxy']);
  });
});
