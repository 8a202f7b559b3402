import { describe, expect, it } from 'vitest';
import { run, oneCall } from '../helpers/sim.ts';
import { backoffMs } from '../../src/mesh/proxy/layers/retryLayer.ts';
import { istioDefaultRetry } from '../../src/mesh/profiles/istio/routes.ts';
import { istioBehaviour } from '../../src/mesh/profiles/istio/release.ts';
import { istioProfile } from '../../src/mesh/index.ts';

const failing = (status: number, pod = 'server-0') => ({ faults: [{ pod, responses: [status, status, status, status, status] }] });
const onlyPod = { services: [{ name: 'client' }, { name: 'server' }], traffic: [{ from: 'client', to: 'server', at: '1s' }] };

const istio123 = { meshVersions: { istio: '1.23' } };

describe('Istio retries', () => {
  it('FIDELITY B1 (1.24+): the default retry policy does not retry a 503, so the client sees the first attempt', () => {
    const r = run({ ...onlyPod, faults: [{ pod: 'server-0', responses: [503, 503, 200] }] }, 'istio');
    const [end] = r.ends();
    expect(end).toMatchObject({ status: 503, attempts: 1 });
    const [noRetry] = r.decisions('no-retry');
    expect(noRetry!.summary).toContain('503 is not retried');
    expect(noRetry!.cause).toMatchObject({ isDefault: true });
    expect(noRetry!.cause.config).toContain('Istio 1.30 default retry policy');
    expect(noRetry!.cause.config).toContain('not on 503');
  });

  it('FIDELITY B1 (before 1.24): Istio 1.23 retries a 503 twice by default, so the client sees the third attempt', () => {
    const r = run({ ...onlyPod, ...istio123, faults: [{ pod: 'server-0', responses: [503, 503, 200] }] }, 'istio');
    const [end] = r.ends();
    expect(end!.status).toBe(200);
    expect(end!.attempts).toBe(3);
    expect(r.decisions('retry').map((d) => d.cause.config)).toEqual([
      'Istio 1.23 default retry policy: 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503 (Istio 1.23 (meshVersions.istio))',
      'Istio 1.23 default retry policy: 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503 (Istio 1.23 (meshVersions.istio))',
    ]);
    expect(r.report.release).toEqual({ version: '1.23', label: 'Istio 1.23' });
  });

  it('FIDELITY B1: compatibilityVersion 1.23 on Istio 1.26 brings the 503 retry back; Istio 1.30 refuses it', () => {
    const operator = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'install' }, spec: { compatibilityVersion: '1.23' } };
    const r = run({ ...onlyPod, meshVersions: { istio: '1.26' }, istio: [operator], faults: [{ pod: 'server-0', responses: [503, 200] }] }, 'istio');
    expect(r.ends()[0]).toMatchObject({ status: 200, attempts: 2 });
    expect(r.decisions('retry')[0]!.cause.config).toContain('Istio 1.26 with compatibilityVersion 1.23');
    expect(() => run({ ...onlyPod, istio: [operator] }, 'istio')).toThrow(
      /istio\[0\]\.spec\.compatibilityVersion "1\.23" is not a compatibility version Istio 1\.30 \(the default\) accepts \(1\.25, 1\.26, 1\.27, 1\.28, 1\.29\); releases 1\.24, 1\.25, 1\.26 accept it/,
    );
  });

  it('FIDELITY B1 (1.24+): a VirtualService retry block without retryOn starts from the default, so it does not retry 503 either', () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'server' },
      spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 3 } }] },
    };
    const faults = [{ pod: 'server-0', responses: [503, 200] }];
    expect(run({ ...onlyPod, istio: [vs], faults }, 'istio').ends()[0]).toMatchObject({ status: 503, attempts: 1 });
    expect(run({ ...onlyPod, ...istio123, istio: [vs], faults }, 'istio').ends()[0]).toMatchObject({ status: 200, attempts: 2 });
  });

  it('FIDELITY B1: retryOn 5xx (or 503 listed) brings the 503 retry back on the current release', () => {
    for (const retryOn of ['5xx', '503', 'retriable-status-codes,503']) {
      const vs = {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'server' },
        spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 2, retryOn } }] },
      };
      const r = run({ ...onlyPod, istio: [vs], faults: [{ pod: 'server-0', responses: [503, 503, 200] }] }, 'istio');
      expect(r.ends()[0], retryOn).toMatchObject({ status: 200, attempts: 3 });
    }
  });

  it('FIDELITY B1: gives up after 2 retries and reports URX with the 503 (Istio 1.23 defaults)', () => {
    const r = run({ ...onlyPod, ...istio123, ...failing(503) }, 'istio');
    const [end] = r.ends();
    expect(end).toMatchObject({ status: 503, attempts: 3 });
    expect(end!.reason).toMatch(/^URX retry limit exceeded/);
    expect(r.report.pods.find((p) => p.name === 'server-0')!.received).toBe(3);
  });

  it('FIDELITY B1: does not retry a 500 (not in the default retryOn)', () => {
    const r = run({ ...onlyPod, ...failing(500) }, 'istio');
    expect(r.ends()[0]).toMatchObject({ status: 500, attempts: 1 });
    expect(r.decisions('no-retry')[0]!.summary).toContain('500 is not retried');
  });

  it('FIDELITY B1: attempts: 0 disables retries', () => {
    const r = run({ ...onlyPod, ...failing(503), policies: { retries: [{ service: 'server', attempts: 0 }] } }, 'istio');
    expect(r.ends()[0]).toMatchObject({ status: 503, attempts: 1 });
  });

  it('FIDELITY B1: a retry prefers a pod not tried yet (previous_hosts; Istio 1.23 defaults retry the 503)', () => {
    // server-0 always fails; with three pods the retry must land elsewhere.
    const r = run(
      oneCall({ ...istio123, faults: [{ pod: 'server-0', errors: { status: 503, rate: '100%' } }], traffic: [{ from: 'client', to: 'server', count: 30 }] }),
      'istio',
    );
    for (const end of r.ends()) expect(end.status).toBe(200);
    // Where each retry went: the attempts after the first, as the client proxy sent them.
    const retried = r.flights('http-request').filter((f) => f.from === 'client-0/proxy' && (f.attempt ?? 1) > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const f of retried) expect(['server-1/proxy', 'server-2/proxy']).toContain(f.to);
  });

  // A crashed pod refuses connections until the endpoint update reaches the client proxy.
  const crashed = (retryOn: string) =>
    run(
      {
        services: [{ name: 'client' }, { name: 'server', replicas: 2 }],
        traffic: [{ from: 'client', to: 'server', rate: '50/s' }],
        faults: [{ pod: 'server-1', crash: { at: '3s' } }],
        istio: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'server' },
            spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 2, retryOn } }] },
          },
        ],
      },
      'istio',
    );
  const refused = (r: ReturnType<typeof run>) => r.flights('tcp').filter((f) => f.from === 'server-1/proxy' && f.label === 'RST' && f.t >= 3000).length;

  for (const retryOn of ['gateway-error', 'reset']) {
    it(`Envoy retry_state_impl.cc wouldRetryFromReset: retryOn ${retryOn} retries a failed connection (a reset) to a crashed pod`, () => {
      const r = crashed(retryOn);
      expect(refused(r)).toBeGreaterThan(0);
      for (const q of r.report.requests) expect(q.status).toBe(200);
      // Each refused connection cost exactly one retry, which went to the live pod.
      expect(r.report.requests.filter((q) => q.attempts === 2)).toHaveLength(refused(r));
      const retried = r.flights('http-request').filter((f) => f.from === 'client-0/proxy' && (f.attempt ?? 1) > 1);
      expect(retried.map((f) => f.to)).toEqual(retried.map(() => 'server-0/proxy'));
    });
  }

  it('a retryOn without resets (retriable-4xx) returns the failed connection as 503 UF', () => {
    const r = crashed('retriable-4xx');
    const failed = r.report.requests.filter((q) => q.status !== 200);
    expect(failed).toHaveLength(refused(r));
    for (const q of failed) expect(q).toMatchObject({ status: 503, attempts: 1 });
    for (const q of failed) expect(q.reason).toMatch(/^UF /);
  });

  it('FIDELITY B1: backoff of retry n is uniform in [0, (2^n − 1)·25ms), capped at 250ms', () => {
    const p = istioDefaultRetry(istioBehaviour(istioProfile.release));
    expect(backoffMs(p, 1, 0.999)).toBe(24);
    expect(backoffMs(p, 2, 0.999)).toBe(74);
    expect(backoffMs(p, 3, 0.999)).toBe(174);
    expect(backoffMs(p, 5, 0.999)).toBe(249);
    expect(backoffMs(p, 1, 0)).toBe(0);
    const r = run(
      { ...onlyPod, ...istio123, faults: [{ pod: 'server-0', responses: [503, 503] }], traffic: [{ from: 'client', to: 'server', count: 50 }] },
      'istio',
    );
    for (const d of r.decisions('retry')) expect(d.data!.backoffMs as number).toBeLessThan(d.attempt === 1 ? 25 : 75);
  });

  it('FIDELITY B1: numeric retryOn entries become retriable codes (a 500 is retried when listed)', () => {
    const r = run(
      {
        ...onlyPod,
        faults: [{ pod: 'server-0', responses: [500, 200] }],
        istio: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'server' },
            spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 1, retryOn: '500' } }] },
          },
        ],
      },
      'istio',
    );
    expect(r.ends()[0]).toMatchObject({ status: 200, attempts: 2 });
    expect(r.decisions('retry')[0]!.cause.line).toBeGreaterThan(0);
  });
});

describe('Istio inbound retries (FIDELITY B1, 1.24+)', () => {
  // server-0's app closes its connection before reading one request in two (envoyproxy/envoy#10007).
  const resetting = (extra: Record<string, unknown> = {}) => ({
    services: [{ name: 'client' }, { name: 'server' }],
    traffic: [{ from: 'client', to: 'server', count: 40 }],
    faults: [{ pod: 'server-0', resets: { rate: '50%' } }],
    ...extra,
  });

  it('FIDELITY B1 (1.24+): the server sidecar retries reset-before-request twice, so the client never sees most resets', () => {
    const r = run(resetting(), 'istio');
    const inbound = r.decisions('retry', 'inboundRetry');
    expect(inbound.length).toBeGreaterThan(10);
    for (const d of inbound) {
      expect(d.node).toBe('server-0/proxy');
      expect(d.cause.config).toBe('Istio 1.30 inbound default route: 2 retries on reset-before-request');
      expect(d.data!.backoffMs as number).toBeLessThan(d.summary.includes('retry 1 ') ? 25 : 75);
    }
    // Only three resets in a row get through: 1 in 8 at 50%. The client sees 503 URX then, and does
    // not retry it (503 is not in the 1.24+ default retry policy).
    const failed = r.report.requests.filter((q) => q.status !== 200);
    expect(failed.length).toBeLessThan(inbound.length / 2);
    for (const q of failed) expect(q).toMatchObject({ status: 503, attempts: 1 });
    for (const q of failed) expect(q.reason).toMatch(/^URX retry limit exceeded \(UC upstream connection termination: server-0 closed the connection/);
    // The client's own sidecar made one attempt per request.
    expect(r.report.summary.retries).toBe(0);
    // A reset request never reached the app.
    expect(r.report.pods.find((p) => p.name === 'server-0')!.received).toBe(40 - failed.length);
  });

  it('FIDELITY B1 (before 1.24): Istio 1.23 has no inbound retry — the server sidecar answers 503 UC and the client retries the 503', () => {
    const r = run(resetting({ meshVersions: { istio: '1.23' } }), 'istio');
    expect(r.decisions('retry', 'inboundRetry')).toEqual([]);
    const noRetry = r.decisions('no-retry', 'inboundRetry');
    expect(noRetry.length).toBeGreaterThan(10);
    expect(r.report.summary.retries).toBe(noRetry.length - r.report.requests.filter((q) => q.status !== 200).length);
    for (const q of r.report.requests.filter((x) => x.status !== 200)) expect(q).toMatchObject({ status: 503, attempts: 3 });
  });
});

describe('Istio DestinationRule retryBudget (FIDELITY B1, 1.27+)', () => {
  // Fifty requests at once, every first attempt answered 503: how many retries may be in flight?
  const burst = (release: string, budget: Record<string, number> = {}) =>
    run(
      {
        meshVersions: { istio: release },
        services: [{ name: 'client' }, { name: 'server', replicas: 2, latency: '50ms' }],
        traffic: [{ from: 'client', to: 'server', count: 50, concurrency: 50 }],
        faults: [{ service: 'server', responses: Array(50).fill(503) }],
        istio: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'server' },
            spec: { hosts: ['server'], http: [{ route: [{ destination: { host: 'server' } }], retries: { attempts: 1, retryOn: '5xx' } }] },
          },
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'DestinationRule',
            metadata: { name: 'server' },
            spec: { host: 'server', trafficPolicy: { retryBudget: budget } },
          },
        ],
      },
      'istio',
    );

  it('FIDELITY B1 (1.28+): the default budget is 20% of active + pending requests, at least 3 retries in flight', () => {
    const r = burst('1.30');
    const overflow = r.decisions('retry-overflow');
    expect(overflow.length).toBeGreaterThan(0);
    expect(overflow[0]!.cause.config).toContain('retries in flight ≤ max(20% (Istio 1.30 default 20%) of active + pending requests, 3)');
    // Envoy RetryBudgetImpl::max: max(20% × (active + pending), 3), read at each refusal.
    for (const d of overflow) {
      const [, allows, active] = /allows (\d+) \(20% of (\d+) active \+ pending/.exec(d.summary)!;
      expect(Number(allows)).toBe(Math.max(Math.floor(0.2 * Number(active)), 3));
    }
    expect(overflow.some((d) => / allows ([4-9]|\d\d) /.test(d.summary))).toBe(true);
    expect(r.report.summary.retries).toBeGreaterThan(3);
    expect(r.report.summary.retries).toBeLessThan(50);
    for (const q of r.report.requests.filter((x) => x.reason?.startsWith('UO'))) expect(q).toMatchObject({ status: 503, attempts: 1 });
  });

  it('FIDELITY B1 (1.27): the 0.2 % default bug leaves min_retry_concurrency 3 as the whole budget', () => {
    const r27 = burst('1.27');
    const r30 = burst('1.30');
    expect(r27.decisions('retry-overflow')[0]!.cause.config).toContain('max(0.2% (Istio 1.27 default 0.2%)');
    expect(r27.report.summary.retries).toBeLessThan(r30.report.summary.retries);
  });

  it('FIDELITY B1: retryBudget does not exist before Istio 1.27 (a located error, as kubectl apply would refuse it)', () => {
    expect(() => burst('1.26')).toThrow(
      /istio\[1\]\.spec\.trafficPolicy\.retryBudget does not exist in Istio 1\.26 \(meshVersions\.istio\): DestinationRule retryBudget is new in Istio 1\.27/,
    );
  });
});
