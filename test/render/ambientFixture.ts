/**
 * A synthetic trace shaped like Istio's ambient mode (FIDELITY-MORE H1–H3), until the ambient
 * profile exists: two Kubernetes nodes, each with a node proxy that captures its pods' traffic,
 * and a waypoint serving the `server` service. client-0 calls server twice: server-1 runs on the
 * other node, server-0 on client-0's own; each call goes app → its node's proxy → (HBONE tunnel)
 * → the waypoint → (tunnel) → the endpoint node's proxy → the app, and back.
 */
import type { FlightEvent, NewTraceEvent, Trace, TraceEvent } from '../../src/sim/index.ts';

const HBONE = (ip: string): Record<string, string> => ({ tunnel: `HBONE CONNECT ${ip}:80` });

/** The trace; `requests` calls, 100 ms apart, alternating between server-1 and server-0. */
export function ambientTrace(requests = 2): Trace {
  const events: NewTraceEvent[] = [];
  let flightId = 0;
  const fly = (
    kind: FlightEvent['kind'],
    from: string,
    to: string,
    departMs: number,
    delayMs: number,
    label: string,
    extra: Partial<FlightEvent> = {},
  ): number => {
    events.push({ type: 'flight', t: departMs, id: `f-${++flightId}`, kind, from, to, departMs, arriveMs: departMs + delayMs, label, ...extra });
    return departMs + delayMs;
  };
  for (const pod of ['client-0', 'server-0', 'server-1'])
    events.push({ type: 'transition', t: 0, entity: pod, machine: 'workload', node: `${pod}/app`, from: null, to: 'ready', cause: 'start' });
  for (let i = 0; i < requests; i++) {
    const requestId = `req-${String(i + 1).padStart(6, '0')}`;
    const server = i % 2 === 0 ? 'server-1' : 'server-0';
    const far = server === 'server-1' ? 'node-b' : 'node-a';
    const ip = server === 'server-1' ? '10.244.1.2' : '10.244.0.3';
    let t = 100 + i * 100;
    events.push({
      type: 'request',
      phase: 'start',
      t,
      requestId,
      from: 'client-0',
      to: 'server',
      node: 'client-0/app',
      method: 'GET',
      path: '/',
      headers: {},
      bodyBytes: 0,
    });
    const req = { requestId, attempt: 1 };
    t = fly('http-request', 'client-0/app', 'node-a/node-proxy', t, 0, 'GET /', req);
    t = fly('http-request', 'node-a/node-proxy', 'waypoint/proxy', t, 1, 'GET /', { ...req, mtls: true, detail: HBONE('10.244.1.9') });
    events.push({
      type: 'decision',
      t,
      node: 'waypoint/proxy',
      layer: 'loadBalance',
      kind: 'endpoint',
      summary: `${server} (round robin)`,
      cause: { config: 'Istio default', isDefault: true, source: 'FIDELITY-MORE H2' },
      requestId,
    });
    t = fly('http-request', 'waypoint/proxy', `${far}/node-proxy`, t, 1, 'GET /', { ...req, mtls: true, detail: HBONE(ip) });
    t = fly('http-request', `${far}/node-proxy`, `${server}/app`, t, 0, 'GET /', req);
    t += 20;
    t = fly('http-response', `${server}/app`, `${far}/node-proxy`, t, 0, '200', { ...req, status: 200 });
    t = fly('http-response', `${far}/node-proxy`, 'waypoint/proxy', t, 1, '200', { ...req, status: 200, mtls: true, detail: HBONE('10.244.1.9') });
    t = fly('http-response', 'waypoint/proxy', 'node-a/node-proxy', t, 1, '200', { ...req, status: 200, mtls: true, detail: HBONE('10.244.0.2') });
    t = fly('http-response', 'node-a/node-proxy', 'client-0/app', t, 0, '200', { ...req, status: 200 });
    events.push({ type: 'request', phase: 'end', t, requestId, node: 'client-0/app', status: 200, attempts: 1, latencyMs: t - (100 + i * 100), mtls: true });
  }
  events.sort((a, b) => a.t - b.t);
  const pod = (name: string, service: string, nodeName: string, ip: string) => ({
    name,
    service,
    namespace: 'default',
    serviceAccount: service,
    role: 'workload' as const,
    ip,
    meshed: true,
    app: `${name}/app`,
    identity: `spiffe://cluster.local/ns/default/sa/${service}`,
    nodeName,
  });
  const proxy = (id: string, name: string, kind: 'node' | 'waypoint', nodeName: string, pods: string[], services: string[]) => ({
    id,
    name,
    kind,
    namespace: kind === 'node' ? 'istio-system' : 'default',
    nodeName,
    pods,
    services,
    identities: [],
  });
  return {
    version: 1,
    scenario: { id: 'ambient-fixture', title: 'Ambient (synthetic)' },
    mesh: 'istio',
    seed: 1,
    durationMs: 100 + requests * 100 + 100,
    topology: {
      edges: [{ from: 'client', to: 'server' }],
      namespaces: ['default'],
      services: [
        { name: 'client', namespace: 'default', pods: ['client-0'] },
        { name: 'server', namespace: 'default', pods: ['server-0', 'server-1'] },
      ],
      pods: [
        pod('client-0', 'client', 'node-a', '10.244.0.2'),
        pod('server-0', 'server', 'node-a', '10.244.0.3'),
        pod('server-1', 'server', 'node-b', '10.244.1.2'),
      ],
      nodes: [
        { id: 'istiod', kind: 'control-plane', label: 'istiod' },
        { id: 'client-0/app', kind: 'app', label: 'client-0', namespace: 'default', service: 'client', pod: 'client-0' },
        { id: 'server-0/app', kind: 'app', label: 'server-0', namespace: 'default', service: 'server', pod: 'server-0' },
        { id: 'server-1/app', kind: 'app', label: 'server-1', namespace: 'default', service: 'server', pod: 'server-1' },
        { id: 'node-a/node-proxy', kind: 'proxy', label: 'ztunnel on node-a', namespace: 'istio-system' },
        { id: 'node-b/node-proxy', kind: 'proxy', label: 'ztunnel on node-b', namespace: 'istio-system' },
        { id: 'waypoint/proxy', kind: 'proxy', label: 'waypoint for server', namespace: 'default', service: 'server' },
      ],
      proxies: [
        proxy('node-a/node-proxy', 'ztunnel-node-a', 'node', 'node-a', ['client-0', 'server-0'], []),
        proxy('node-b/node-proxy', 'ztunnel-node-b', 'node', 'node-b', ['server-1'], []),
        proxy('waypoint/proxy', 'waypoint', 'waypoint', 'node-b', [], ['server']),
      ],
      clusterNodes: [
        { name: 'node-a', pods: ['client-0', 'server-0'], proxies: ['node-a/node-proxy'] },
        { name: 'node-b', pods: ['server-1'], proxies: ['node-b/node-proxy', 'waypoint/proxy'] },
      ],
    },
    machines: {},
    events: events.map((e, seq) => ({ ...e, seq }) as TraceEvent),
  };
}
