/**
 * Pods run on Kubernetes nodes, and the trace says which: by default two nodes with pods spread
 * over them in turn; a scenario may name a count or the nodes and pin pods to them. The proxies
 * are in the trace too, whatever their kind: one sidecar per meshed pod under Istio and Linkerd,
 * and Istio's gateways as gateway proxies.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { simulate, istioProfile, linkerdProfile } from '../../src/mesh/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { scenarioOf } from '../helpers/sim.ts';

const services = [{ name: 'web' }, { name: 'reviews', replicas: 3 }];
const placed = (extra: Record<string, unknown>) =>
  simulate(scenarioOf({ services, duration: '1s', ...extra }), istioProfile).trace.topology.pods.map((p) => `${p.name}@${p.nodeName}`);

describe('pods on nodes', () => {
  it('spreads pods over two nodes in turn by default', () => {
    expect(placed({})).toEqual(['web-0@node-1', 'reviews-0@node-2', 'reviews-1@node-1', 'reviews-2@node-2']);
  });

  it('puts a single pod on a single node', () => {
    expect(simulate(scenarioOf({ services: [{ name: 'web' }], duration: '1s' }), istioProfile).trace.topology.clusterNodes).toEqual([
      { name: 'node-1', pods: ['web-0'], proxies: ['web-0/proxy'] },
    ]);
  });

  it('takes a number of nodes', () => {
    expect(placed({ nodes: 3 })).toEqual(['web-0@node-1', 'reviews-0@node-2', 'reviews-1@node-3', 'reviews-2@node-1']);
  });

  it('pins the pods a node lists, and spreads the rest over every node', () => {
    expect(placed({ nodes: [{ name: 'edge', pods: ['reviews-2'] }, { name: 'core' }] })).toEqual([
      'web-0@edge',
      'reviews-0@core',
      'reviews-1@edge',
      'reviews-2@edge',
    ]);
  });
});

describe('proxies in the trace', () => {
  it('has one sidecar per meshed pod, on its pod’s node, holding its identity (Istio and Linkerd alike)', () => {
    for (const profile of [istioProfile, linkerdProfile]) {
      const scenario = scenarioOf({ services: [...services, { name: 'legacy', meshed: false }], duration: '1s' });
      const { topology } = simulate(scenario, profile).trace;
      expect(topology.proxies.map((x) => `${x.kind} ${x.name} ${x.id} @${x.nodeName} for ${x.pods.join()}`)).toEqual([
        'sidecar web-0 web-0/proxy @node-1 for web-0',
        'sidecar reviews-0 reviews-0/proxy @node-2 for reviews-0',
        'sidecar reviews-1 reviews-1/proxy @node-1 for reviews-1',
        'sidecar reviews-2 reviews-2/proxy @node-2 for reviews-2',
      ]);
      const web = topology.pods.find((p) => p.name === 'web-0')!;
      expect(topology.proxies[0]!.identities).toEqual([{ identity: web.identity, certificate: 'cert:web-0' }]);
      expect(topology.pods.find((p) => p.name === 'legacy-0')!.proxy).toBeUndefined();
    }
  });

  it('has Istio’s ingress gateway as a gateway proxy, and Linkerd’s ingress-nginx as a pod with a sidecar', () => {
    const file = 'scenarios/ingress-gateway.yaml';
    const loaded = parseScenario(readFileSync(file, 'utf8'), file);
    if (!loaded.ok) throw new Error(file);
    const istio = simulate(loaded.scenario, istioProfile).trace.topology;
    expect(istio.proxies.filter((x) => x.kind === 'gateway')).toEqual([
      expect.objectContaining({ name: 'istio-ingressgateway-0', id: 'istio-ingressgateway-0/gateway', edge: 'ingress', pod: 'istio-ingressgateway-0' }),
    ]);
    const linkerd = simulate(loaded.scenario, linkerdProfile).trace.topology;
    expect(linkerd.proxies.some((x) => x.kind === 'gateway')).toBe(false);
    expect(linkerd.proxies.find((x) => x.pod === 'ingress-nginx-controller-0')?.kind).toBe('sidecar');
  });
});
