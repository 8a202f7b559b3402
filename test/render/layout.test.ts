import { describe, expect, it } from 'vitest';
import { layoutOf } from '../../src/render/layout.ts';
import { retriesTrace } from '../player/fixtures.ts';
import type { Trace } from '../../src/sim/index.ts';

const trace = retriesTrace('istio');
const layout = layoutOf(trace);

describe('layoutOf', () => {
  it('draws each pod as its app beside its sidecar, the sidecar facing its callers', () => {
    for (const pod of layout.pods) {
      const app = layout.nodes.get(pod.app)!;
      const proxy = layout.nodes.get(pod.proxy!)!;
      expect(app.y).toBe(proxy.y);
      expect(Math.abs(app.x - proxy.x)).toBeGreaterThanOrEqual(app.w);
    }
    const caller = layout.nodes.get('productpage-0/proxy')!;
    const callee = layout.nodes.get('reviews-0/proxy')!;
    expect(caller.x).toBeLessThan(callee.x);
    expect(callee.x).toBeLessThan(layout.nodes.get('reviews-0/app')!.x);
  });

  it('puts the control plane above the cluster and nodes inside it', () => {
    const cp = layout.nodes.get('istiod')!;
    expect(cp.y + cp.h).toBeLessThan(layout.cluster.y);
    for (const pod of layout.pods) expect(pod.y).toBeGreaterThan(layout.cluster.y);
  });

  it('puts external hosts outside the cluster, to its right', () => {
    const withHost: Trace = {
      ...trace,
      topology: { ...trace.topology, nodes: [...trace.topology.nodes, { id: 'ext:api.example.com', kind: 'external', label: 'api.example.com' }] },
    };
    const l = layoutOf(withHost);
    expect(l.nodes.get('ext:api.example.com')!.x).toBeGreaterThan(l.cluster.x + l.cluster.w);
    expect(l.bounds.x + l.bounds.w).toBeGreaterThan(l.nodes.get('ext:api.example.com')!.x);
  });
});
