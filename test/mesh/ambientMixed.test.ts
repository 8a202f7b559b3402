/**
 * Sidecar and ambient pods in one Istio mesh (`services[].dataPlane`, FIDELITY-MORE H8): a
 * sidecar pod keeps its Envoy, talks HBONE to ambient pods' ztunnels, receives HBONE from
 * ztunnels, and skips waypoints; meshes without ztunnel refuse `dataPlane: ambient` by line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run, scenarioOf } from '../helpers/sim.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';
import { profileById, simulate } from '../../src/mesh/index.ts';
import { runScenario } from '../../src/player/index.ts';
import { main } from '../../src/cli/main.ts';

const NODES = [
  { name: 'node-1', pods: ['web-0', 'api-0'] },
  { name: 'node-2', pods: ['legacy-0', 'db-0'] },
];
/** web (ambient) → legacy (sidecar, namespace legacy) → db (ambient); web → api (ambient). */
const mixed = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  nodes: NODES,
  services: [
    { name: 'web', dataPlane: 'ambient' },
    { name: 'legacy', namespace: 'legacy', dataPlane: 'sidecar', calls: [{ to: 'db.default', path: '/q' }] },
    { name: 'api' },
    { name: 'db' },
  ],
  traffic: [
    { from: 'web', to: 'legacy.legacy', rate: '10/s', start: '1s', stop: '2s' },
    { from: 'web', to: 'api', rate: '10/s', start: '1s', stop: '2s' },
  ],
  duration: '3s',
  ...extra,
});
type R = ReturnType<typeof run>;
const hopsOf = (r: R, from: string, to: string) => r.flights('http-request').filter((f) => f.from === from && f.to === to);

describe('mixed data planes under Istio ambient (FIDELITY-MORE H8)', () => {
  it('FIDELITY-MORE H8: a dataPlane: sidecar pod gets its own Envoy and identity; the ztunnel holds certificates only for its ambient pods', () => {
    const r = run(mixed(), 'ambient');
    expect(r.report.summary.failed).toBe(0);
    const proxies = r.trace.topology.proxies.map((p) => `${p.kind}:${p.name}`);
    expect(proxies).toContain('sidecar:legacy-0');
    expect(proxies.filter((p) => p.startsWith('node:'))).toEqual(['node:ztunnel-node-1', 'node:ztunnel-node-2']);
    // The injector runs for legacy as in sidecar mode; web is enrolled by its namespace label.
    const injection = r.decisions().filter((d) => /injector|istio-injection|dataplane-mode/.test(d.summary));
    expect(injection.find((d) => d.summary.includes('legacy-0'))?.summary).toMatch(/istio-injection=enabled/);
    expect(injection.find((d) => d.summary.includes('web-0'))?.summary).toMatch(/istio\.io\/dataplane-mode=ambient/);
    const ztunnel2 = r.report.certificates.filter((c) => c.workload.startsWith('ztunnel-node-2')).map((c) => c.identity);
    expect(ztunnel2).toEqual(['spiffe://cluster.local/ns/default/sa/db']);
    expect(r.report.certificates.find((c) => c.workload === 'legacy-0')?.identity).toBe('spiffe://cluster.local/ns/legacy/sa/legacy');
    // The footprint counts both kinds (H10).
    expect(r.report.footprint.proxies.map((p) => [p.kind, p.count])).toEqual([
      ['sidecar', 1],
      ['node', 2],
    ]);
  });

  it('FIDELITY-MORE H2 (step 3), H8: an ambient client reaches a sidecar pod over HBONE, which the sidecar terminates', () => {
    const r = run(mixed(), 'ambient');
    const toSidecar = hopsOf(r, 'node-1/ztunnel', 'legacy-0/proxy');
    expect(toSidecar.length).toBe(10);
    expect(toSidecar.every((f) => f.mtls && /^HBONE CONNECT 10\.244\.\d+\.\d+:80$/.test(String(f.detail?.tunnel)))).toBe(true);
    // No ztunnel on legacy's side: the sidecar hands the request to its app.
    expect(hopsOf(r, 'node-2/ztunnel', 'legacy-0/app')).toEqual([]);
    expect(hopsOf(r, 'legacy-0/proxy', 'legacy-0/app').length).toBe(10);
  });

  it('FIDELITY-MORE H8: a sidecar client toward an ambient pod uses HBONE to the destination’s ztunnel', () => {
    const r = run(mixed(), 'ambient');
    const calls = hopsOf(r, 'legacy-0/proxy', 'node-2/ztunnel');
    expect(calls.length).toBe(10);
    expect(calls.every((f) => f.mtls && String(f.detail?.tunnel).startsWith('HBONE CONNECT'))).toBe(true);
    // The db pod's ztunnel sees legacy's own identity: a ztunnel L4 policy can name it.
    const denyLegacy = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'no-legacy', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'db' } }, action: 'DENY', rules: [{ from: [{ source: { namespaces: ['legacy'] } }] }] },
    };
    const denied = run(mixed({ istio: [denyLegacy] }), 'ambient');
    expect(denied.report.summary.byStatus['200']).toBe(10); // web → api still fine
    expect(denied.decisions('deny').filter((d) => d.node === 'node-2/ztunnel').length).toBe(10);
  });

  it('FIDELITY-MORE H2: traffic from a sidecar does not go through the destination’s waypoint; an ambient client’s does', () => {
    const waypoint = [
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'waypoint' },
        spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', labels: { 'istio.io/use-waypoint': 'waypoint' } } },
    ];
    const r = run(
      mixed({
        istio: waypoint,
        traffic: [
          { from: 'web', to: 'legacy.legacy', rate: '10/s', start: '1s', stop: '2s' },
          { from: 'api', to: 'db', rate: '10/s', start: '1s', stop: '2s' },
        ],
      }),
      'ambient',
    );
    expect(r.report.summary.failed).toBe(0);
    const viaWaypoint = r.flights('http-request').filter((f) => f.to.startsWith('waypoint-0'));
    // api (ambient) → db: 10 through the waypoint; legacy (sidecar) → db: straight to db's ztunnel.
    expect(viaWaypoint.map((f) => f.from)).toEqual(Array(10).fill('node-1/ztunnel'));
    expect(hopsOf(r, 'legacy-0/proxy', 'node-2/ztunnel').length).toBe(10);
  });

  it('FIDELITY-MORE H1: dataPlane: none is outside the mesh — plaintext, no proxy of its own', () => {
    const r = run(
      mixed({
        services: [{ name: 'web', dataPlane: 'none' }, { name: 'api' }, { name: 'legacy', namespace: 'legacy', dataPlane: 'sidecar' }, { name: 'db' }],
        traffic: [{ from: 'web', to: 'api', rate: '10/s', start: '1s', stop: '2s' }],
      }),
      'ambient',
    );
    expect(r.report.requests.every((q) => !q.mtls)).toBe(true);
    // web has no proxy: its app connects by itself, and api's ztunnel takes plaintext in (H5: PERMISSIVE by default).
    expect(r.trace.topology.proxies.some((p) => p.name === 'web-0')).toBe(false);
    expect(hopsOf(r, 'web-0/app', 'node-1/ztunnel').every((f) => !f.mtls)).toBe(true);
    // Under Istio sidecar mode the same field means no injection.
    const istio = run(
      { services: [{ name: 'web', dataPlane: 'none' }, { name: 'api' }], traffic: [{ from: 'web', to: 'api', at: '1s' }], duration: '2s' },
      'istio',
    );
    expect(istio.trace.topology.proxies.map((p) => p.name)).toEqual(['api-0']);
  });
});

describe('services[].dataPlane outside Istio ambient (FIDELITY-MORE H8)', () => {
  it('FIDELITY-MORE H8: dataPlane: ambient under a mesh without ztunnel is refused with the field’s line, never given a sidecar', () => {
    const text = stringify({ id: 'm', title: 'm', duration: '3s', ...mixed() });
    for (const mesh of ['istio', 'linkerd', 'consul', 'osm']) {
      const out = runScenario({ text, file: 'mixed.yaml', mesh });
      expect(out.ok, mesh).toBe(false);
      if (out.ok) continue;
      const line = text.split('\n').findIndex((l) => l.includes('dataPlane: ambient')) + 1;
      expect(out.problems.map((p) => p.text)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^mixed\\.yaml:${line}:1: services\\[0\\]\\.dataPlane ambient: ${profileById(mesh)!.name.replace(/[()]/g, '\\$&')} has no ambient data plane`,
          ),
        ),
      ]);
    }
    expect(() => simulate(scenarioOf(mixed()), profileById('linkerd')!)).toThrow(/services\[0\]\.dataPlane ambient: Linkerd has no ambient data plane/);
    // FIDELITY-MORE K1: under Network Service Mesh the field has no meaning at all, and says so.
    expect(() => simulate(scenarioOf(mixed()), profileById('nsm')!)).toThrow(/services\[0\]\.dataPlane ambient: .* proxies no service traffic/);
    // dataPlane: sidecar is every sidecar mesh's own data plane.
    const sidecarOnly = mixed({ services: [{ name: 'web', dataPlane: 'sidecar' }, { name: 'api' }, { name: 'legacy', namespace: 'legacy' }, { name: 'db' }] });
    expect(run(sidecarOnly, 'linkerd').report.summary.failed).toBe(0);
  });

  it('a bad value and a contradiction with meshed: false are located errors', () => {
    const text = 'id: x\ntitle: x\nduration: 2s\nservices:\n  - name: a\n    dataPlane: ambiant\n  - name: b\n    meshed: false\n    dataPlane: sidecar\n';
    const r = parseScenario(text, 'bad.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map(formatProblem)).toEqual([
      'bad.yaml:6:16: services[0].dataPlane must be sidecar, ambient or none (got "ambiant")',
      expect.stringMatching(/^bad\.yaml:9:16: services\[1\]\.dataPlane sidecar contradicts meshed: false/),
    ]);
  });

  it('the library scenario ambient-mixed-data-planes runs under ambient and is refused, by line, under istio', () => {
    const file = 'scenarios/ambient-mixed-data-planes.yaml';
    const text = readFileSync(file, 'utf8');
    const amb = runScenario({ text, file, mesh: 'ambient' });
    expect(amb.ok).toBe(true);
    const istio = runScenario({ text, file, mesh: 'istio' });
    expect(istio.ok).toBe(false);
  });
});

describe('the command line and services[].dataPlane (FIDELITY-MORE H8)', () => {
  it('run under a mesh without ztunnel exits 2 with file:line:column messages, and check says the same for every mesh a file names', () => {
    const file = 'scenarios/ambient-mixed-data-planes.yaml';
    const err: string[] = [];
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(main(['run', file, '--mesh', 'consul'], io)).toBe(2);
    const lines = readFileSync(file, 'utf8').split('\n');
    const first = lines.findIndex((l) => /^\s+dataPlane: ambient/.test(l)) + 1;
    expect(err[0]).toMatch(new RegExp(`^${file.replace('.', '\\.')}:${first}:1: services\\[0\\]\\.dataPlane ambient: Consul has no ambient data plane`));
    expect(out).toEqual([]);
    err.length = 0;
    expect(main(['check', file], io)).toBe(0);
    expect(err).toEqual([]);
  });
});
