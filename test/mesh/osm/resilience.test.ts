/**
 * OSM resilience (FIDELITY-MORE J5) and egress (J6), and the controller's 2 s batching window
 * (J2): no route timeout, retries only from a Retry behind its feature flag, circuit breakers only
 * from an UpstreamTrafficSetting, no outlier detection, round robin; egress passthrough on by the
 * v1.2 chart, closed connections with it off, Egress policies per service account.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/sim.ts';

const meshConfig = (spec: Record<string, unknown>) => ({
  apiVersion: 'config.openservicemesh.io/v1alpha2',
  kind: 'MeshConfig',
  metadata: { name: 'osm-mesh-config', namespace: 'osm-system' },
  spec,
});
const retry = {
  apiVersion: 'policy.openservicemesh.io/v1alpha1',
  kind: 'Retry',
  metadata: { name: 'client-to-server' },
  spec: {
    source: { kind: 'ServiceAccount', name: 'client' },
    destinations: [{ kind: 'Service', name: 'server' }],
    retryPolicy: { retryOn: '5xx', perTryTimeout: '1s', numRetries: 3, retryBackoffBaseInterval: '25ms' },
  },
};
const flaky = {
  services: [{ name: 'client' }, { name: 'server' }],
  traffic: [{ from: 'client', to: 'server', at: '1s' }],
  faults: [{ pod: 'server-0', responses: [503, 503, 200] }],
};

describe('FIDELITY-MORE J5: retries, timeouts, circuit breaking, outlier detection, load balancing', () => {
  it('FIDELITY-MORE J5: no route timeout — a 30 s answer is waited for', () => {
    const r = run(
      {
        duration: '40s',
        services: [{ name: 'client' }, { name: 'server' }],
        traffic: [{ from: 'client', to: 'server', at: '1s' }],
        faults: [{ service: 'server', delay: { time: '30s' } }],
      },
      'osm',
    );
    expect(r.report.requests[0]).toMatchObject({ status: 200, attempts: 1 });
    expect(r.report.requests[0]!.endMs! - r.report.requests[0]!.startMs).toBeGreaterThan(30_000);
  });

  it('FIDELITY-MORE J5: a Retry does nothing while the enableRetryPolicy feature flag is off (the default)', () => {
    const r = run({ ...flaky, osm: [retry] }, 'osm');
    expect(r.report.requests[0]).toMatchObject({ status: 503, attempts: 1 });
    expect(r.decisions('no-retry')[0]!.cause.config).toContain('Retry client-to-server is ignored');
  });

  it('FIDELITY-MORE J5: with the flag on, the Retry retries 5xx', () => {
    const r = run({ ...flaky, osm: [retry, meshConfig({ featureFlags: { enableRetryPolicy: true } })] }, 'osm');
    expect(r.report.requests[0]).toMatchObject({ status: 200, attempts: 3 });
  });

  it('FIDELITY-MORE J5: mesh-neutral retries generate the Retry and turn the flag on', () => {
    const r = run({ ...flaky, policies: { retries: [{ service: 'server', attempts: 2 }] } }, 'osm');
    expect(r.report.requests[0]).toMatchObject({ status: 200, attempts: 3 });
  });

  it('FIDELITY-MORE J5: circuit breaking only from an UpstreamTrafficSetting (pending limit overflows with 503 UO)', () => {
    const load = {
      seed: 7,
      network: { latency: '0ms' },
      services: [{ name: 'fortio' }, { name: 'httpbin', latency: '10ms' }],
      traffic: [{ from: 'fortio', to: 'httpbin', count: 30, concurrency: 3 }],
    };
    const open = run(load, 'osm');
    expect(open.report.summary.byStatus['503'] ?? 0).toBe(0);
    const limited = run(
      {
        ...load,
        osm: [
          {
            apiVersion: 'policy.openservicemesh.io/v1alpha1',
            kind: 'UpstreamTrafficSetting',
            metadata: { name: 'httpbin' },
            spec: {
              host: 'httpbin.default.svc.cluster.local',
              connectionSettings: { tcp: { maxConnections: 1 }, http: { maxPendingRequests: 1, maxRequests: 1 } },
            },
          },
        ],
      },
      'osm',
    );
    expect(limited.report.summary.byStatus['503']).toBeGreaterThan(0);
    expect(limited.decisions('overflow').length).toBeGreaterThan(0);
    expect(limited.decisions('overflow')[0]!.cause.config).toContain('UpstreamTrafficSetting httpbin');
    // The refusal names UpstreamTrafficSetting's fields, not Istio's DestinationRule ones.
    const summaries = limited.decisions('overflow').map((d) => d.summary);
    expect(summaries.some((t) => /pending \(maxPendingRequests 1\)|reach maxRequests 1/.test(t))).toBe(true);
    expect(summaries.join('\n')).not.toMatch(/http1MaxPendingRequests|http2MaxRequests/);
  });

  it('FIDELITY-MORE J5: no outlier detection — a failing pod is never ejected and keeps its round-robin share', () => {
    const r = run(
      {
        services: [{ name: 'client' }, { name: 'server', replicas: 3 }],
        traffic: [{ from: 'client', to: 'server', rate: '30/s', stop: '6s' }],
        faults: [{ pod: 'server-2', errors: { status: 500, rate: '100%' } }],
      },
      'osm',
    );
    expect(r.report.ejections).toEqual([]);
    const got = r.report.pods.filter((p) => p.service === 'server').map((p) => p.received);
    expect(Math.max(...got) - Math.min(...got)).toBeLessThanOrEqual(1); // round robin: even shares
  });
});

describe('FIDELITY-MORE J6: egress', () => {
  const out = (osm: unknown[] = []) => ({
    services: [{ name: 'client' }, { name: 'other' }],
    external: [{ host: 'api.example.com', protocol: 'http' }],
    traffic: [
      { from: 'client', to: 'api.example.com', at: '1s' },
      { from: 'other', to: 'api.example.com', at: '1s' },
    ],
    osm,
  });
  const statusOf = (r: ReturnType<typeof run>, from: string) => r.report.requests.find((q) => q.from === `${from}-0`)!.status;
  const egress = {
    apiVersion: 'policy.openservicemesh.io/v1alpha1',
    kind: 'Egress',
    metadata: { name: 'client-out' },
    spec: { sources: [{ kind: 'ServiceAccount', name: 'client' }], hosts: ['api.example.com'], ports: [{ number: 80, protocol: 'http' }] },
  };

  it('FIDELITY-MORE J6: egress passthrough is on by the v1.2 chart', () => {
    const r = run(out(), 'osm');
    expect(statusOf(r, 'client')).toBe(200);
    expect(r.decisions('egress')[0]!.cause.config).toContain('enableEgress: true');
  });

  it('FIDELITY-MORE J6: with enableEgress false the connection is closed, unless an Egress policy allows the service account', () => {
    const r = run(out([meshConfig({ traffic: { enableEgress: false } }), egress]), 'osm');
    expect(statusOf(r, 'client')).toBe(200);
    expect(statusOf(r, 'other')).toBe(0);
    expect(r.decisions('deny')[0]!.summary).toContain('no filter chain');
  });
});

describe('FIDELITY-MORE J2: the controller batches proxy updates', () => {
  it('FIDELITY-MORE J2: a change is pushed after the 2 s sliding window', () => {
    const r = run(
      {
        services: [{ name: 'client' }, { name: 'server' }],
        changes: [{ at: '3s', osm: [meshConfig({ traffic: { enablePermissiveTrafficPolicyMode: false } })] }],
      },
      'osm',
    );
    const [push] = r.decisions('config-push');
    expect(push!.t).toBe(5000);
    expect(push!.node).toBe('osm-controller');
  });
});
