import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/sim.ts';

const API = 'consul.hashicorp.com/v1alpha1';
const http = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: API,
  kind: 'ServiceDefaults',
  metadata: { name },
  spec: { protocol: 'http', ...spec },
});

describe('Consul circuit breaking, outlier detection and load balancing', () => {
  it('FIDELITY-MORE I7: outlier detection is on with nothing configured — a pod failing 5 times in a row is ejected (Istio: only with a DestinationRule)', () => {
    const scenario = {
      duration: '10s',
      services: [{ name: 'client' }, { name: 'server', replicas: 3 }],
      traffic: [{ from: 'client', to: 'server', rate: '30/s' }],
      faults: [{ pod: 'server-1', errors: { status: 503, rate: '100%' } }],
      consul: [http('server')],
    };
    const r = run(scenario, 'consul');
    expect(r.report.ejections[0]).toMatchObject({ endpoint: 'server-1', reason: 'outlier detection: 5 consecutive 5xx' });
    expect(r.report.ejections[0]!.untilMs - r.report.ejections[0]!.atMs).toBeGreaterThanOrEqual(30_000 - 10_000);
    expect(r.decisions('ejection')[0]!.cause.source).toContain('FIDELITY-MORE I7');
    expect(run(scenario, 'istio').report.ejections).toEqual([]);
  });

  it('FIDELITY-MORE I7: through a TCP proxy a 503 is payload: the failing pod is never ejected', () => {
    const r = run(
      {
        duration: '10s',
        services: [{ name: 'client' }, { name: 'server', replicas: 3 }],
        traffic: [{ from: 'client', to: 'server', rate: '30/s' }],
        faults: [{ pod: 'server-1', errors: { status: 503, rate: '100%' } }],
      },
      'consul',
    );
    expect(r.report.ejections).toEqual([]);
    expect(r.report.summary.byStatus['503']).toBeGreaterThan(80);
  });

  it('FIDELITY-MORE I7: the calling service’s upstreamConfig sets limits and passive health for that upstream', () => {
    const r = run(
      {
        duration: '3s',
        services: [{ name: 'client' }, { name: 'server', latency: '200ms' }],
        traffic: [{ from: 'client', to: 'server', rate: '50/s' }],
        consul: [
          http('server'),
          {
            apiVersion: API,
            kind: 'ServiceDefaults',
            metadata: { name: 'client' },
            spec: { upstreamConfig: { overrides: [{ name: 'server', limits: { maxConnections: 1, maxPendingRequests: 1 } }] } },
          },
        ],
      },
      'consul',
    );
    expect(r.report.requests.filter((q) => q.reason?.startsWith('UO')).length).toBeGreaterThan(50);
    expect(r.decisions('overflow')[0]!.cause.config).toContain('ServiceDefaults client .spec.upstreamConfig.overrides[0].limits');
  });

  it('FIDELITY-MORE I7: Envoy’s 3 concurrent retries cap a retry storm — the fourth retry in flight is refused', () => {
    const r = run(
      {
        duration: '3s',
        services: [{ name: 'client' }, { name: 'server', replicas: 2, latency: '300ms' }],
        traffic: [{ from: 'client', to: 'server', rate: '40/s' }],
        faults: [{ service: 'server', errors: { status: 503, rate: '100%' } }],
        consul: [
          http('server'),
          { apiVersion: API, kind: 'ServiceRouter', metadata: { name: 'server' }, spec: { routes: [{ destination: { numRetries: 5, retryOn: ['5xx'] } }] } },
        ],
      },
      'consul',
    );
    const overflow = r.decisions('retry-overflow');
    expect(overflow.length).toBeGreaterThan(10);
    expect(overflow[0]!.summary).toContain('3 retries already in flight (maxRetries 3)');
  });

  it('FIDELITY-MORE I8: with no resolver policy the client balances round robin: three pods get a third each', () => {
    const r = run(
      { duration: '3s', services: [{ name: 'client' }, { name: 'server', replicas: 3 }], traffic: [{ from: 'client', to: 'server', rate: '30/s' }] },
      'consul',
    );
    const got = r.report.pods.filter((p) => p.service === 'server').map((p) => p.received);
    expect(Math.max(...got) - Math.min(...got)).toBeLessThanOrEqual(1);
    expect(r.decisions('endpoint').some((d) => d.summary.includes('round robin'))).toBe(true);
  });

  it('FIDELITY-MORE I8: a service-resolver loadBalancer policy replaces round robin', () => {
    const r = run(
      {
        duration: '2s',
        services: [{ name: 'client' }, { name: 'server', replicas: 3 }],
        traffic: [{ from: 'client', to: 'server', rate: '30/s' }],
        consul: [{ apiVersion: API, kind: 'ServiceResolver', metadata: { name: 'server' }, spec: { loadBalancer: { policy: 'random' } } }],
      },
      'consul',
    );
    expect(r.decisions('endpoint').every((d) => !d.summary.includes('round robin'))).toBe(true);
    expect(r.decisions('endpoint').some((d) => d.summary.includes('random'))).toBe(true);
  });
});
