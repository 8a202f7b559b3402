/**
 * The run report's `footprint` (src/mesh/footprint.ts, figures in src/mesh/profiles/footprint.ts):
 * each proxy kind a run has, counted, times the figure its profile publishes. Named after the
 * FIDELITY-MORE items the figures come from.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { ambientAt, istioProfile } from '../../src/mesh/index.ts';
import { istioFootprint } from '../../src/mesh/profiles/footprint.ts';
import { checkExpectations, simulate } from '../../src/mesh/index.ts';
import { scenarioOf } from '../helpers/sim.ts';

/** Six services of two replicas each (12 pods) on three nodes, calling in a chain. */
const twelvePods = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  nodes: 3,
  services: [{ name: 'client', replicas: 2 }, ...['a', 'b', 'c', 'd', 'e'].map((n) => ({ name: n, replicas: 2 }))],
  traffic: [{ from: 'client', to: 'a', rate: '10/s', start: '1s', stop: '2s' }],
  duration: '3s',
  ...extra,
});
const WAYPOINT = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'waypoint' },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
};
const ENROLL = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'istio.io/use-waypoint': 'waypoint' } } };
const row = (r: ReturnType<typeof run>, kind: string) => r.report.footprint.proxies.find((p) => p.kind === kind);

describe('footprint: Istio sidecar vs ambient (FIDELITY-MORE H10)', () => {
  it('FIDELITY-MORE H10: a sidecar per meshed pod at 0.20 vCPU / 60 MB (Istio 1.24 page): 12 pods → 2.4 vCPU, 720 MB', () => {
    const r = run(twelvePods(), 'istio');
    expect(r.report.footprint.proxies.map((p) => p.kind)).toEqual(['sidecar']);
    const s = row(r, 'sidecar')!;
    expect(s).toMatchObject({ name: 'Envoy sidecar', count: 12, vCpu: 2.4, memoryMb: 720, perProxy: { vCpu: 0.2, memoryMb: 60 } });
    expect(s.source).toMatch(/FIDELITY-MORE H10.*1\.24/);
    // Istio 1.30 runs by default: the 1.24 figure is the newest published, and the row says so.
    expect(s.assumption).toMatch(/1\.24.*Istio 1\.30/);
    expect(r.report.footprint.total).toEqual({ proxies: 12, vCpu: 2.4, memoryMb: 720 });
  });

  it('FIDELITY-MORE H10: ambient runs one ztunnel per node (0.06 vCPU / 12 MB), not one proxy per pod', () => {
    const r = run(twelvePods(), 'ambient');
    expect(r.report.footprint.proxies.map((p) => p.kind)).toEqual(['node']);
    expect(row(r, 'node')).toMatchObject({ name: 'ztunnel', count: 3, vCpu: 0.18, memoryMb: 36 });
    // Same pods, a third more nodes: one more ztunnel, nothing per pod.
    const four = run(twelvePods({ nodes: 4 }), 'ambient');
    expect(row(four, 'node')).toMatchObject({ count: 4, vCpu: 0.24, memoryMb: 48 });
    expect(run(twelvePods({ nodes: 4 }), 'istio').report.footprint.total.memoryMb).toBe(720);
  });

  it('FIDELITY-MORE H10, H6: a waypoint adds 0.25 vCPU / 60 MB', () => {
    const r = run(twelvePods({ istio: [WAYPOINT, ENROLL] }), 'ambient');
    expect(row(r, 'waypoint')).toMatchObject({ name: 'waypoint', count: 1, vCpu: 0.25, memoryMb: 60 });
    expect(r.report.footprint.total).toEqual({ proxies: 4, vCpu: 0.43, memoryMb: 96 });
  });

  it('FIDELITY-MORE H10 [version-dependent]: Istio 1.23 takes the figure published for 1.22 (0.5 vCPU / 50 MB), marked as such', () => {
    const s = istioFootprint('1.23').sidecar!;
    expect(s.figure).toMatchObject({ vCpu: 0.5, memoryMb: 50 });
    expect(s.assumption).toMatch(/1\.22.*Istio 1\.23/);
    const scenario = scenarioOf({ ...twelvePods(), meshVersions: { istio: '1.23' } });
    const report = simulate(scenario, istioProfile.atRelease('1.23', istioProfile.release.cause)).report;
    expect(report.footprint.total).toMatchObject({ vCpu: 6, memoryMb: 600 });
    // 1.24 is the page's own release: no assumption.
    expect(istioFootprint('1.24').sidecar!.assumption).toBeUndefined();
    expect(ambientAt('1.24').footprint!.node!.assumption).toBeUndefined();
  });

  it('FIDELITY-MORE H10: gateways are counted but not estimated (Istio publishes no gateway figure)', () => {
    const r = run(
      twelvePods({
        clients: [{ name: 'browser' }],
        ingress: { host: 'shop.example.com', routes: [{ pathPrefix: '/', service: 'a' }] },
        traffic: [{ from: 'browser', to: 'shop.example.com', rate: '5/s', start: '1s', stop: '2s' }],
      }),
      'istio',
    );
    const g = row(r, 'gateway');
    expect(g).toMatchObject({ count: 1, vCpu: null, memoryMb: null, perProxy: null });
    expect(g!.source).toMatch(/no per-gateway figure/);
    expect(r.report.footprint.unestimated).toEqual(['gateway']);
    expect(r.report.footprint.total).toEqual({ proxies: 13, vCpu: 2.4, memoryMb: 720 });
  });
});

describe('footprint: the other meshes (FIDELITY-MORE L6, J7; FIDELITY F2)', () => {
  it('FIDELITY-MORE L6 / FIDELITY F2: Linkerd counts a linkerd2-proxy per pod at 26.3 MB, with its 2021 benchmark as source and its unit read as an assumption', () => {
    const r = run(twelvePods(), 'linkerd');
    const s = row(r, 'sidecar')!;
    expect(s).toMatchObject({ name: 'linkerd2-proxy', count: 12, memoryMb: 315.6, vCpu: 0.432 });
    expect(s.source).toMatch(/Linkerd 2\.11\.1/);
    expect(s.assumption).toMatch(/36 millicores/);
  });

  it('FIDELITY-MORE L6: Consul publishes no per-proxy figure, so its Envoy sidecar borrows Istio 1.24’s and says so', () => {
    const s = row(run(twelvePods(), 'consul'), 'sidecar')!;
    expect(s).toMatchObject({ count: 12, vCpu: 2.4, memoryMb: 720 });
    expect(s.assumption).toMatch(/Envoy.*Istio 1\.24/);
  });

  it('FIDELITY-MORE J7: OSM’s sidecar from its own benchmark (≈0.6 vCPU per 1000 rps by arithmetic, 50–65 MB)', () => {
    const s = row(run(twelvePods(), 'osm'), 'sidecar')!;
    expect(s).toMatchObject({ count: 12, vCpu: 7.2, memoryMb: 780 });
    expect(s.assumption).toMatch(/arithmetic/);
  });

  it('an unmeshed service has no proxy under a sidecar mesh, and nothing on its node under ambient beyond the ztunnel', () => {
    const obj = twelvePods({
      services: [{ name: 'client', replicas: 2, meshed: false }, ...['a', 'b', 'c', 'd', 'e'].map((n) => ({ name: n, replicas: 2 }))],
    });
    expect(row(run(obj, 'istio'), 'sidecar')!.count).toBe(10);
    expect(row(run(obj, 'linkerd'), 'sidecar')!.count).toBe(10);
    expect(row(run(obj, 'ambient'), 'node')!.count).toBe(3);
  });
});

describe('footprint in checkpoints and expect (FIDELITY-MORE H10)', () => {
  const withCheckpoints = twelvePods({
    checkpoints: [
      { at: '0s', question: 'How many proxies?', measure: 'proxies', answer: 'number' },
      { at: '0s', question: 'How many MB?', measure: 'proxy-memory-mb', answer: 'number' },
    ],
  });

  it('FIDELITY-MORE H10: a `proxies` checkpoint answers the run’s proxy count and names the figures behind it', () => {
    const [proxies, memory] = run(withCheckpoints, 'ambient').report.checkpoints;
    expect(proxies).toMatchObject({ answer: '3', value: 3 });
    expect(proxies!.explanation).toMatch(/^3 proxies in the data plane in this run: 3 ztunnel × 12 MB\. Figures: FIDELITY-MORE H10/);
    expect(memory).toMatchObject({ answer: '36' });
    expect(run(withCheckpoints, 'istio').report.checkpoints.map((c) => c.answer)).toEqual(['12', '720']);
  });

  it('FIDELITY-MORE H10: expect `proxies`, `proxyMemoryMb` and `proxyVCpu` check the footprint totals, and miss when they differ', () => {
    const report = run(twelvePods(), 'istio').report;
    const results = checkExpectations(
      report,
      scenarioOf({ ...twelvePods(), expect: { istio: { proxies: 12, proxyMemoryMb: 720, proxyVCpu: 3 } } }).expect.istio!,
    );
    expect(results.map((r) => [r.key, r.actual, r.pass])).toEqual([
      ['proxies', 12, true],
      ['proxyMemoryMb', 720, true],
      ['proxyVCpu', 2.4, false],
    ]);
  });
});
