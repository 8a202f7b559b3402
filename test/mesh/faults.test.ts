import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

const calls = (faults: unknown[], extra: Record<string, unknown> = {}) => ({
  services: [{ name: 'client' }, { name: 'server' }],
  traffic: [{ from: 'client', to: 'server', rate: '10/s' }],
  faults,
  ...extra,
});
const received = (r: ReturnType<typeof run>, pod: string) => r.report.pods.find((p) => p.name === pod)!;

describe('app faults', () => {
  it('errors: the app answers the status for about that share of requests', () => {
    const r = run(calls([{ pod: 'server-0', errors: { status: 500, rate: '30%' } }]), 'linkerd');
    const p = received(r, 'server-0');
    expect(p.failed / p.received).toBeGreaterThan(0.15);
    expect(p.failed / p.received).toBeLessThan(0.45);
    expect(r.report.summary.byStatus['500']).toBe(p.failed);
  });

  it('errors only within from/until', () => {
    const r = run(calls([{ pod: 'server-0', errors: { status: 500, rate: '100%' }, from: '2s', until: '4s' }]), 'linkerd');
    for (const q of r.report.requests) expect(q.status === 500).toBe(q.startMs >= 2000 && q.startMs < 4000);
  });

  it('responses: the next requests answer with the scripted statuses, then normally', () => {
    const r = run(calls([{ pod: 'server-0', responses: [503, 500, 503] }]), 'linkerd');
    expect(r.report.requests.slice(0, 5).map((q) => q.status)).toEqual([503, 500, 503, 200, 200]);
  });

  it('delay: adds app time to that share of requests', () => {
    const r = run(calls([{ service: 'server', delay: { time: '300ms', rate: '100%' } }]), 'istio');
    for (const q of r.report.requests) expect(q.endMs - q.startMs).toBeGreaterThanOrEqual(305);
  });

  for (const mesh of ['istio', 'linkerd'] as const) {
    it(`${mesh}: crash and restart — the pod receives nothing while down, then serves again`, () => {
      const r = run(
        {
          services: [{ name: 'client' }, { name: 'server', replicas: 2 }],
          traffic: [{ from: 'client', to: 'server', rate: '20/s' }],
          faults: [{ pod: 'server-1', crash: { at: '3s', restartAfter: '3s' } }],
        },
        mesh,
      );
      const workload = r.transitions('workload', 'server-1').map((t) => `${t.to}@${t.t}`);
      expect(workload).toContain('crashed@3000');
      expect(workload.some((w) => w.startsWith('starting@6000'))).toBe(true);
      expect(workload.at(-1)!.startsWith('ready')).toBe(true);
      const arrivals = r
        .flights('http-request')
        .filter((f) => f.to === 'server-1/app')
        .map((f) => f.t);
      expect(arrivals.some((t) => t < 3000)).toBe(true);
      expect(arrivals.filter((t) => t >= 3000 && t < 6000)).toEqual([]);
      expect(arrivals.some((t) => t > 6000)).toBe(true);
    });
  }

  it('Istio: during a crash, requests sent to the dead pod before the endpoint update are retried elsewhere (connect-failure)', () => {
    const r = run(
      {
        services: [{ name: 'client' }, { name: 'server', replicas: 2 }],
        traffic: [{ from: 'client', to: 'server', rate: '50/s' }],
        faults: [{ pod: 'server-1', crash: { at: '3s' } }],
      },
      'istio',
    );
    expect(r.decisions('retry').some((d) => d.summary.includes('connect-failure'))).toBe(true);
    const failed = r.report.requests.filter((q) => q.status !== 200);
    // In-flight requests on the crashed pod see a reset (UC), which the default retryOn does not cover.
    for (const q of failed) expect(q.reason).toMatch(/^UC|^URX/);
  });

  it('Linkerd: requests to the dead pod before the destination update fail with 502', () => {
    const r = run(
      {
        services: [{ name: 'client' }, { name: 'server', replicas: 2 }],
        traffic: [{ from: 'client', to: 'server', rate: '50/s' }],
        faults: [{ pod: 'server-1', crash: { at: '3s' } }],
      },
      'linkerd',
    );
    const failed = r.report.requests.filter((q) => q.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    for (const q of failed) expect(q.status).toBe(502);
    // After the update reaches the client, everything goes to server-0.
    const late = r.report.requests.filter((q) => q.startMs > 4000);
    expect(late.every((q) => q.status === 200)).toBe(true);
  });
});

describe('Istio fault injection', () => {
  const vs = (fault: Record<string, unknown>, retries?: Record<string, unknown>) => ({
    istio: [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'server' },
        spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], fault, ...(retries ? { retries } : {}) }] },
      },
    ],
  });

  it('abort: the client sidecar answers the status itself; the app never sees the request', () => {
    const r = run(calls([], vs({ abort: { httpStatus: 503, percentage: { value: 100 } } })), 'istio');
    expect(r.report.summary.byStatus['503']).toBe(r.report.summary.total);
    expect(received(r, 'server-0').received).toBe(0);
    expect(r.report.summary.retries).toBe(0);
  });

  it('delay: the request waits fixedDelay before leaving the client sidecar', () => {
    const r = run(calls([], vs({ delay: { fixedDelay: '2s', percentage: { value: 100 } } })), 'istio');
    for (const q of r.report.requests) expect(q.endMs - q.startMs).toBeGreaterThanOrEqual(2000);
  });

  it('FIDELITY B1: a route with client-side faults has no retries', () => {
    const r = run(
      calls([{ pod: 'server-0', errors: { status: 503, rate: '100%' } }], vs({ delay: { fixedDelay: '1ms', percentage: { value: 0 } } }, { attempts: 3 })),
      'istio',
    );
    expect(r.report.summary.retries).toBe(0);
  });
});
