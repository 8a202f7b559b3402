import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { loadScenarioOrThrow, namedMeshes } from '../../src/scenario/index.ts';
import { simulate, PROFILES, checkExpectations, MESH_IDS } from '../../src/mesh/index.ts';

const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));

describe('scenario library', () => {
  it('has at least four scenarios', () => expect(files.length).toBeGreaterThanOrEqual(4));

  for (const file of files) {
    const scenario = loadScenarioOrThrow(readFileSync(`scenarios/${file}`, 'utf8'), `scenarios/${file}`);
    const meshes = namedMeshes(scenario);
    it(`${file}: has narration, names a mesh, and has an expect block for each mesh it names (${meshes.join(', ')})`, () => {
      expect(scenario.narration.length).toBeGreaterThan(0);
      expect(meshes.length).toBeGreaterThan(0);
      for (const mesh of meshes) {
        expect(MESH_IDS, `${mesh} is a mesh of the catalog`).toContain(mesh);
        expect(scenario.expect[mesh], mesh).toBeDefined();
      }
    });
    for (const mesh of meshes) {
      it(`${file} under ${mesh} meets its expect block`, () => {
        const { report } = simulate(scenario, PROFILES[mesh]!);
        const misses = checkExpectations(report, scenario.expect[mesh]!).filter((r) => !r.pass);
        expect(misses).toEqual([]);
      });
    }
  }
});

/**
 * The lesson of each scenario, as its checkpoints reveal it: the answer a learner should find
 * under each mesh (measured in the run, never typed in the file). A change to the simulator that
 * flips one of these changes what the scenario teaches, so it must be a deliberate one.
 */
const LESSONS: Record<string, Record<string, string[]>> = {
  'hello-mesh': { istio: ['2', 'yes'], linkerd: ['2', 'yes'], consul: ['2', 'yes'] },
  'mtls-handshake': { istio: ['no', '3'], linkerd: ['no', '1'], ambient: ['no', '1'], consul: ['no', '1'], osm: ['no', '1'] },
  'strict-vs-permissive': { istio: ['no', 'no'], linkerd: ['yes', 'no'] },
  'certificate-rotation': {
    istio: ['2', 'no', 'no'],
    linkerd: ['0', 'no', 'yes'],
    ambient: ['2', 'no', 'yes'],
    consul: ['0', 'no', 'yes'],
    osm: ['0', 'no', 'no'],
  },
  'retries-flaky-pod': { istio: ['yes', '0'], linkerd: ['yes', '4'], ambient: ['yes', '22'], consul: ['yes', '0'], osm: ['yes', '3'] },
  'retry-storm': { istio: ['657', '17'], linkerd: ['72', '30'], consul: ['273', '25'] },
  timeouts: { istio: ['no', 'yes'], linkerd: ['no', 'yes'], ambient: ['yes', 'no'], consul: ['no', 'yes'] },
  // Consul: keep-alive (no requests-per-connection limit), so only the first two requests collide (FIDELITY-MORE I7).
  'circuit-breaking-pool': { istio: ['yes', '19'], linkerd: ['no', '0'], consul: ['yes', '0'], osm: ['yes', '19'] },
  'outlier-vs-failure-accrual': { istio: ['2', '3'], linkerd: ['3', '2'], consul: ['2', '3'], osm: ['0', '40'] },
  'load-balancing-slow-pod': { istio: ['48', 'yes'], linkerd: ['1', 'no'], osm: ['0', 'no'] },
  // FIDELITY D1, C2: Istio keeps frontend's traffic in zone-a (with outlier detection) and fails over once backend-0 is ejected; Linkerd's balancer ignores zones (D2).
  'locality-failover': { istio: ['0', '3'], linkerd: ['40', '5'] },
  'canary-split': { istio: ['2', '9'], linkerd: ['2', '9'], ambient: ['0', '0'], consul: ['2', '8'], osm: ['2', '6'] },
  'ingress-gateway': { istio: ['no', 'no'], linkerd: ['no', 'no'] },
  'egress-control': { istio: ['no', '12', 'yes'], linkerd: ['no', '12', 'no'], consul: ['no', '11', 'yes'], osm: ['no', '8', 'no'] },
  authorization: { istio: ['no', '7'], linkerd: ['no', '7'], ambient: ['no', '7'], consul: ['no', '7'], osm: ['no', '7'] },
  'osm-permissive-vs-smi': { osm: ['no', '6', 'no'] },
  'config-push': { istio: ['7'], linkerd: ['1'], osm: ['80'] },
  'consul-intentions': { consul: ['no', 'yes', '0', '10'] },
  // Ambient: ztunnel holds one certificate per identity on its node (FIDELITY-MORE H3), so 2 where sidecars need 3.
  'ambient-l4-mtls': { istio: ['3'], linkerd: ['3'], ambient: ['2'] },
  // No retries before the waypoint exists (FIDELITY-MORE H6, H7).
  'ambient-waypoint-l7': { istio: ['14'], linkerd: ['13'], ambient: ['0'] },
  // The L7 ALLOW fails closed at ztunnel: the GETs are refused too (FIDELITY-MORE H4).
  'ambient-authz-fail-closed': { istio: ['8'], ambient: ['24'] },
  // FIDELITY-MORE H4: ztunnel closes the tracked connection when the push arrives; a sidecar lets the request in flight finish.
  'ambient-policy-closes-connections': { istio: ['no'], ambient: ['yes'] },
  // FIDELITY-MORE H10, L6: a proxy per pod (20) vs a ztunnel per node (4) and one waypoint; MB by the published figures.
  'sidecar-vs-ambient-footprint': { istio: ['20', '1200', 'no'], linkerd: ['20', '526', 'no'], ambient: ['5', '108', 'no'] },
  // FIDELITY-MORE H8: two ztunnels, a waypoint and one sidecar; HBONE both ways, so nothing in plaintext.
  'ambient-mixed-data-planes': { ambient: ['4', 'no'] },
  // NSM heals with a new connection request; nothing is retried (FIDELITY-MORE K1, K4).
  'nsm-network-service': { nsm: ['no'] },
};

describe('scenario lessons', () => {
  const load = (id: string) => loadScenarioOrThrow(readFileSync(`scenarios/${id}.yaml`, 'utf8'), `scenarios/${id}.yaml`);

  it('has a lesson for every library scenario, under each mesh it names', () => {
    const named = Object.fromEntries(files.map((f) => [f.replace(/\.yaml$/, ''), namedMeshes(load(f.replace(/\.yaml$/, '')))]));
    expect(Object.fromEntries(Object.entries(LESSONS).map(([id, a]) => [id, Object.keys(a)]))).toEqual(named);
  });

  for (const [id, answers] of Object.entries(LESSONS)) {
    for (const mesh of Object.keys(answers)) {
      it(`${id} under ${mesh}: the checkpoints reveal ${answers[mesh]!.join(', ')}`, () => {
        const { report } = simulate(load(id), PROFILES[mesh]!);
        expect(report.checkpoints.map((c) => c.answer)).toEqual(answers[mesh]);
      });
    }
  }

  it('certificate-rotation: Istio renews at 12 h, Linkerd at 16.8 h', () => {
    const scenario = load('certificate-rotation');
    const renewedAt = (mesh: string) => simulate(scenario, PROFILES[mesh]!).report.certificates.find((c) => c.issuedAtMs > 0)!.issuedAtMs;
    expect(Math.round(renewedAt('istio') / 360_000) / 10).toBe(12);
    expect(Math.round(renewedAt('linkerd') / 360_000) / 10).toBe(16.8);
  });

  it('config-push: istiod pushes once, 100 ms after the last of two edits; Linkerd streams each edit at once', () => {
    const scenario = load('config-push');
    const pushes = (mesh: string) =>
      simulate(scenario, PROFILES[mesh]!).trace.events.filter((e) => e.type === 'decision' && (e.kind === 'config-push' || e.kind === 'config-change'));
    expect(
      pushes('istio')
        .filter((e) => (e as { kind: string }).kind === 'config-push')
        .map((e) => e.t),
    ).toEqual([2160]);
    const applied = simulate(scenario, PROFILES.linkerd!).trace.events.filter(
      (e) => e.type === 'transition' && e.machine === 'proxyConfig' && e.to === 'synced' && e.entity === 'config:frontend-0' && e.t > 1000,
    );
    expect(applied.map((e) => e.t)).toEqual([2001, 2061]);
  });

  it('retry-storm: Istio retries push the actual rate far above the effective one; the Linkerd budget keeps it close', () => {
    const scenario = load('retry-storm');
    const ratio = (mesh: string) => {
      const edge = simulate(scenario, PROFILES[mesh]!).report.metrics.edges.find((e) => e.to === 'db')!;
      return edge.actualRps / edge.effectiveRps;
    };
    expect(ratio('istio')).toBeGreaterThan(1.6);
    expect(ratio('linkerd')).toBeLessThan(1.3);
  });
});
