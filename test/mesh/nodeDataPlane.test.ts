/**
 * The engine runs a data plane other than sidecars: the test-only node-proxy data plane
 * (nodeDataPlane.ts) puts one proxy on each Kubernetes node, which captures its pods' traffic,
 * holds a certificate per local identity, and tunnels to the destination node's proxy.
 */
import { describe, expect, it } from 'vitest';
import { simulate, istioProfile } from '../../src/mesh/index.ts';
import type { FlightEvent, TransitionEvent } from '../../src/sim/index.ts';
import { scenarioOf } from '../helpers/sim.ts';
import { nodeProxyName, nodeProxyProfile } from './nodeDataPlane.ts';

const SPIFFE = (sa: string): string => `spiffe://cluster.local/ns/default/sa/${sa}`;

// client-0 on node-a; both server pods on node-b. 40 requests in 1 s, each taking 30 ms at the
// server, so several are in flight at once.
const scenario = scenarioOf({
  nodes: [
    { name: 'node-a', pods: ['client-0'] },
    { name: 'node-b', pods: ['server-0', 'server-1'] },
  ],
  services: [{ name: 'client' }, { name: 'server', replicas: 2, latency: '30ms' }],
  traffic: [{ from: 'client', to: 'server', rate: '40/s', start: '1s', stop: '2s' }],
  duration: '3s',
});

describe('a node-proxy data plane (test only)', () => {
  const { trace, report } = simulate(scenario, nodeProxyProfile);
  const flights = trace.events.filter((e): e is FlightEvent => e.type === 'flight');
  const A = `node-a/node-proxy`;
  const B = `node-b/node-proxy`;

  it('answers every request, inside mTLS', () => {
    expect(report.summary.total).toBe(40);
    expect(report.summary.ok).toBe(40);
    expect(report.requests.every((r) => r.mtls)).toBe(true);
  });

  it('FIDELITY-MORE H2: the app → its node proxy → the destination node proxy → the app, through a HBONE tunnel', () => {
    const id = report.requests[0]!.id;
    const path = flights.filter((f) => f.requestId === id && f.kind === 'http-request').map((f) => `${f.from} → ${f.to}`);
    expect(path[0]).toBe(`client-0/app → ${A}`);
    expect(path[1]).toBe(`${A} → ${B}`);
    expect(path[2]).toMatch(/^node-b\/node-proxy → server-[01]\/app$/);
    const tunnelled = flights.find((f) => f.requestId === id && f.from === A && f.to === B)!;
    expect(tunnelled.mtls).toBe(true);
    expect(String(tunnelled.detail?.tunnel)).toMatch(/^HBONE CONNECT 10\.244\.0\.\d+:80$/);
  });

  it('FIDELITY-MORE H2: many streams share one tunnel per pair of identities (one handshake, not one per request)', () => {
    const conns = new Set(trace.events.filter((e): e is TransitionEvent => e.type === 'transition' && e.machine === 'tlsConnection').map((e) => e.entity));
    expect([...conns]).toEqual([`conn:${nodeProxyName('node-a')}→${nodeProxyName('node-b')}#1`]);
    expect(report.handshakes).toEqual([
      expect.objectContaining({
        client: nodeProxyName('node-a'),
        server: nodeProxyName('node-b'),
        clientIdentity: SPIFFE('client'),
        serverIdentity: SPIFFE('server'),
        ok: true,
      }),
    ]);
    // The same load under Istio sidecars opens a connection per concurrent request (HTTP/1.1 between sidecars).
    const sidecars = simulate(scenario, istioProfile).report;
    expect(sidecars.handshakes.length).toBeGreaterThan(1);
  });

  it('FIDELITY-MORE H3: each node proxy holds the certificate of every identity on its node, and only those', () => {
    const held = (proxy: string): string[] => [...new Set(report.certificates.filter((c) => c.workload.startsWith(`${proxy}/`)).map((c) => c.identity))];
    expect(held(nodeProxyName('node-a'))).toEqual([SPIFFE('client')]);
    expect(held(nodeProxyName('node-b'))).toEqual([SPIFFE('server')]);
    // Two server pods, one identity: one certificate, kept by the node proxy for both.
    expect(report.certificates.filter((c) => c.identity === SPIFFE('server'))).toHaveLength(1);
  });

  it('lists its proxies and nodes in the trace topology, with the pods and identities each serves', () => {
    expect(trace.topology.clusterNodes).toEqual([
      { name: 'node-a', pods: ['client-0'], proxies: [A] },
      { name: 'node-b', pods: ['server-0', 'server-1'], proxies: [B] },
    ]);
    expect(trace.topology.proxies).toEqual([
      {
        id: A,
        name: nodeProxyName('node-a'),
        kind: 'node',
        namespace: 'istio-system',
        nodeName: 'node-a',
        pods: ['client-0'],
        services: [],
        identities: [{ identity: SPIFFE('client'), certificate: `cert:${nodeProxyName('node-a')}/client.default` }],
      },
      {
        id: B,
        name: nodeProxyName('node-b'),
        kind: 'node',
        namespace: 'istio-system',
        nodeName: 'node-b',
        pods: ['server-0', 'server-1'],
        services: [],
        identities: [{ identity: SPIFFE('server'), certificate: `cert:${nodeProxyName('node-b')}/server.default` }],
      },
    ]);
    // No pod has a sidecar.
    expect(trace.topology.pods.every((p) => p.proxy === undefined)).toBe(true);
  });

  it('is deterministic', () => {
    expect(simulate(scenario, nodeProxyProfile).trace.events).toEqual(trace.events);
  });
});
