import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';

const slow = (delay: string) => ({
  services: [{ name: 'client' }, { name: 'server', latency: '10ms' }],
  traffic: [{ from: 'client', to: 'server', at: '1s' }],
  faults: [{ service: 'server', delay: { time: delay } }],
});
const vs = (http: Record<string, unknown>) => ({
  istio: [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'server' },
      spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], ...http }] },
    },
  ],
});
const svc = (annotations: Record<string, string>) => ({ linkerd: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'server', annotations } }] });

describe('Istio timeouts', () => {
  it('FIDELITY B2: no route timeout by default — a 5 s answer still arrives', () => {
    const r = run(slow('5s'), 'istio');
    expect(r.ends()[0]).toMatchObject({ status: 200 });
    expect(r.ends()[0]!.latencyMs).toBeGreaterThanOrEqual(5000);
  });

  it('FIDELITY B2: a route timeout returns 504 UT when it fires', () => {
    const r = run({ ...slow('5s'), ...vs({ timeout: '1s' }) }, 'istio');
    const end = r.ends()[0]!;
    expect(end).toMatchObject({ status: 504, latencyMs: 1000 });
    expect(end.reason).toMatch(/^UT/);
    expect(r.decisions('timeout')[0]!.layer).toBe('requestTimeout');
  });

  it('FIDELITY B1: the route timeout covers every retry', () => {
    const r = run(
      {
        services: [{ name: 'client' }, { name: 'server', latency: '400ms' }],
        traffic: [{ from: 'client', to: 'server', at: '1s' }],
        faults: [{ service: 'server', errors: { status: 503, rate: '100%' } }],
        ...vs({ timeout: '1s', retries: { attempts: 5, retryOn: '5xx' } }),
      },
      'istio',
    );
    const end = r.ends()[0]!;
    expect(end.status).toBe(504);
    expect(end.latencyMs).toBe(1000);
    // Each attempt takes ~401 ms (400 ms answer + links; the first also ~5 ms of connection set-up),
    // and the backoffs before retries 1 and 2 are under 25 and 75 ms (FIDELITY B1). So attempt 3
    // starts by ~1.91 s of the 2 s deadline whatever the draws, and attempt 4 could not start before
    // ~2.2 s: the route timeout leaves exactly 3 of the 6 allowed attempts.
    expect(end.attempts).toBe(3);
  });

  it('FIDELITY B1: a per-try timeout is retried only when retryOn covers resets (5xx, gateway-error, reset)', () => {
    const base = { ...slow('2s') };
    // Default retryOn (connect-failure, refused-stream, …, 503) does not retry a per-try timeout.
    const plain = run({ ...base, ...vs({ retries: { attempts: 2, perTryTimeout: '100ms' } }) }, 'istio');
    expect(plain.ends()[0]).toMatchObject({ status: 504, attempts: 1 });
    const with5xx = run({ ...base, ...vs({ retries: { attempts: 2, perTryTimeout: '100ms', retryOn: '5xx' } }) }, 'istio');
    expect(with5xx.ends()[0]).toMatchObject({ status: 504, attempts: 3 });
    expect(with5xx.decisions('timeout').every((d) => d.layer === 'attemptTimeout')).toBe(true);
  });
});

describe('Linkerd timeouts', () => {
  it('FIDELITY B4: timeout.linkerd.io/request returns 504 and is not retried', () => {
    const r = run({ ...slow('5s'), ...svc({ 'timeout.linkerd.io/request': '1s', 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '3' }) }, 'linkerd');
    expect(r.ends()[0]).toMatchObject({ status: 504, attempts: 1 });
    // The first request also waits one round trip for the destination lookup (2 ms here).
    expect(r.ends()[0]!.latencyMs).toBe(1002);
  });

  it('FIDELITY B4: timeout.linkerd.io/response returns 504 and is not retried', () => {
    const r = run({ ...slow('5s'), ...svc({ 'timeout.linkerd.io/response': '500ms', 'retry.linkerd.io/http': '5xx' }) }, 'linkerd');
    expect(r.ends()[0]).toMatchObject({ status: 504, attempts: 1 });
    expect(r.ends()[0]!.latencyMs).toBe(502);
  });

  it('FIDELITY B3: retry.linkerd.io/timeout cancels a slow attempt and retries it', () => {
    const r = run(
      {
        services: [{ name: 'client' }, { name: 'server' }],
        traffic: [{ from: 'client', to: 'server', at: '1s' }],
        faults: [{ service: 'server', delay: { time: '3s' }, until: '1100ms' }],
        ...svc({ 'retry.linkerd.io/timeout': '200ms' }),
      },
      'linkerd',
    );
    expect(r.ends()[0]).toMatchObject({ status: 200, attempts: 2 });
  });

  it('FIDELITY B4: a ServiceProfile route times out after 10 s by default', () => {
    const r = run(
      {
        ...slow('30s'),
        duration: '20s',
        linkerd: [
          {
            apiVersion: 'linkerd.io/v1alpha2',
            kind: 'ServiceProfile',
            metadata: { name: 'server.default.svc.cluster.local' },
            spec: { routes: [{ name: 'all', condition: { pathRegex: '/.*' } }] },
          },
        ],
      },
      'linkerd',
    );
    expect(r.ends()[0]).toMatchObject({ status: 504, latencyMs: 10_002 });
    expect(r.decisions('timeout')[0]!.cause.isDefault).toBe(true);
  });

  it('FIDELITY B4: no timeout by default', () => {
    const r = run(slow('5s'), 'linkerd');
    expect(r.ends()[0]!.status).toBe(200);
  });
});
