import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

const chain = (extra: Record<string, unknown> = {}) => ({
  services: [{ name: 'frontend', calls: [{ to: 'middle' }] }, { name: 'middle', calls: [{ to: 'backend' }] }, { name: 'backend' }],
  clients: [],
  traffic: [{ from: 'frontend', to: 'frontend', at: '1s' }],
  ...extra,
});

describe('service calls (chains)', () => {
  it('an app calls downstream services while it handles a request; each call is a request of its own', () => {
    const r = run(
      {
        services: [{ name: 'web' }, { name: 'productpage', calls: [{ to: 'reviews' }, { to: 'details' }] }, { name: 'reviews' }, { name: 'details' }],
        traffic: [{ from: 'web', to: 'productpage', at: '1s' }],
      },
      'linkerd',
    );
    const byTo = Object.fromEntries(r.report.requests.map((q) => [q.to, q]));
    expect(Object.keys(byTo).sort()).toEqual(['details', 'productpage', 'reviews']);
    expect(byTo.reviews!.from).toBe('productpage-0');
    // Sequential: details starts after reviews ended, and productpage ends after both.
    expect(byTo.details!.startMs).toBeGreaterThanOrEqual(byTo.reviews!.endMs);
    expect(byTo.productpage!.endMs).toBeGreaterThan(byTo.details!.endMs);
    expect(r.trace.topology.edges).toEqual(
      expect.arrayContaining([
        { from: 'web', to: 'productpage' },
        { from: 'productpage', to: 'reviews' },
        { from: 'productpage', to: 'details' },
      ]),
    );
  });

  it('a failed call fails the request with its status', () => {
    const r = run(
      { ...chain(), traffic: [{ from: 'frontend', to: 'middle', at: '1s' }], faults: [{ service: 'backend', errors: { status: 500, rate: '100%' } }] },
      'linkerd',
    );
    expect(r.report.requests.find((q) => q.to === 'middle')!.status).toBe(500);
    expect(r.decisions('call-failed')[0]!.summary).toContain('backend failed (500)');
  });

  it('FIDELITY B1: retries multiply down a chain under Istio 1.23 defaults, which retried 503 (3, then 9, then 27 attempts)', () => {
    const r = run(
      {
        meshVersions: { istio: '1.23' },
        services: [{ name: 'web' }, { name: 'a', calls: [{ to: 'b' }] }, { name: 'b', calls: [{ to: 'c' }] }, { name: 'c' }],
        traffic: [{ from: 'web', to: 'a', at: '1s' }],
        faults: [{ service: 'c', errors: { status: 503, rate: '100%' } }],
      },
      'istio',
    );
    const received = (pod: string) => r.report.pods.find((p) => p.name === pod)!.received;
    expect([received('a-0'), received('b-0'), received('c-0')]).toEqual([3, 9, 27]);
    expect(r.report.requests.find((q) => q.to === 'a')!).toMatchObject({ status: 503, attempts: 3 });
  });

  it('FIDELITY B1: under current Istio defaults (1.24+) a 503 is not retried, so each hop tries once', () => {
    const r = run(
      {
        services: [{ name: 'web' }, { name: 'a', calls: [{ to: 'b' }] }, { name: 'b', calls: [{ to: 'c' }] }, { name: 'c' }],
        traffic: [{ from: 'web', to: 'a', at: '1s' }],
        faults: [{ service: 'c', errors: { status: 503, rate: '100%' } }],
      },
      'istio',
    );
    const received = (pod: string) => r.report.pods.find((p) => p.name === pod)!.received;
    expect([received('a-0'), received('b-0'), received('c-0')]).toEqual([1, 1, 1]);
    expect(r.report.requests.find((q) => q.to === 'a')!).toMatchObject({ status: 503, attempts: 1 });
  });

  it('a requests-received checkpoint counts every attempt that reached the service, retries included', () => {
    const r = run(
      {
        meshVersions: { istio: '1.23' },
        services: [{ name: 'web' }, { name: 'a', calls: [{ to: 'b' }] }, { name: 'b', calls: [{ to: 'c' }] }, { name: 'c' }],
        traffic: [{ from: 'web', to: 'a', at: '1s' }],
        faults: [{ service: 'c', errors: { status: 503, rate: '100%' } }],
        checkpoints: [
          { at: '0s', question: 'How many reach c?', measure: 'requests-received', service: 'c', answer: 'number' },
          { at: '0s', question: 'How many reach b?', measure: 'requests-received', service: 'b', answer: 'number' },
        ],
      },
      'istio',
    );
    expect(r.report.checkpoints.map((c) => c.answer)).toEqual(['27', '9']);
  });

  it('Linkerd retries nothing by default, so each hop tries once', () => {
    const r = run(
      {
        services: [{ name: 'web' }, { name: 'a', calls: [{ to: 'b' }] }, { name: 'b', calls: [{ to: 'c' }] }, { name: 'c' }],
        traffic: [{ from: 'web', to: 'a', at: '1s' }],
        faults: [{ service: 'c', errors: { status: 503, rate: '100%' } }],
      },
      'linkerd',
    );
    expect(r.report.pods.find((p) => p.name === 'c-0')!.received).toBe(1);
  });

  it('decisions caused by a scenario fault cite its line in the file', () => {
    const r = run(
      { services: [{ name: 'web' }, { name: 'api' }], traffic: [{ from: 'web', to: 'api', at: '1s' }], faults: [{ pod: 'api-0', responses: [500] }] },
      'linkerd',
    );
    const d = r.decisions('fault', 'app')[0]!;
    expect(d.cause.config).toContain('faults[0]');
    expect(d.cause.line).toBeGreaterThan(0);
  });

  it('a connection transition names both ends', () => {
    const r = run({ services: [{ name: 'web' }, { name: 'api' }], traffic: [{ from: 'web', to: 'api', at: '1s' }] }, 'istio');
    const t = r.transitions('tlsConnection')[0]!;
    expect([t.node, t.peer]).toEqual(['web-0/proxy', 'api-0/proxy']);
  });
});
