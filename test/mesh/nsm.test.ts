/**
 * Network Service Mesh (FIDELITY-MORE K1–K6): a connection mesh. A client asks for a Network
 * Service; its NSMgr authorizes, discovers and picks an endpoint round robin; the forwarders set
 * up a vWire; the client refreshes before the path expires and heals onto another endpoint when
 * the liveness check fails. No HTTP requests, retries or timeouts, and the player refuses to run
 * an NSM scenario under an HTTP mesh or the reverse.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run, scenarioOf } from '../helpers/sim.ts';
import { refreshAfterMs, LIVENESS_INTERVAL_MS, LIVENESS_TIMEOUT_MS } from '../../src/mesh/profiles/nsm/simulate.ts';
import { runScenario } from '../../src/player/index.ts';
import { effectiveResources, nsmProfile } from '../../src/mesh/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import type { DecisionEvent, FlightEvent } from '../../src/sim/index.ts';

const CLIENT = (env: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'alpine' },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'nsc',
            env: Object.entries({ NSM_NETWORK_SERVICES: 'kernel://kernel2vxlan2kernel/nsm-1', ...env }).map(([name, value]) => ({ name, value })),
          },
        ],
      },
    },
  },
});
const ENDPOINT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nse-kernel' },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'nse',
            env: [
              { name: 'NSM_SERVICE_NAMES', value: 'kernel2vxlan2kernel' },
              { name: 'NSM_CIDR_PREFIX', value: '172.16.1.100/31' },
            ],
          },
        ],
      },
    },
  },
};

/** The library scenario's shape: the client on node-1, two endpoints on node-2. */
function nsm(extra: Record<string, unknown> = {}, clientEnv: Record<string, string> = { NSM_MAX_TOKEN_LIFETIME: '30s' }): Record<string, unknown> {
  return {
    duration: '30s',
    meshes: ['nsm'],
    nodes: [
      { name: 'node-1', pods: ['alpine-0'] },
      { name: 'node-2', pods: ['nse-kernel-0', 'nse-kernel-1'] },
    ],
    services: [{ name: 'alpine' }, { name: 'nse-kernel', replicas: 2 }],
    nsm: [CLIENT(clientEnv), ENDPOINT],
    ...extra,
  };
}
const crash = { faults: [{ pod: 'nse-kernel-0', crash: { at: '20s' } }] };
const kinds = (ds: DecisionEvent[]) => ds.map((d) => d.kind);

describe('FIDELITY-MORE K1: NSM is not an HTTP mesh', () => {
  it('FIDELITY-MORE K1: a run has no HTTP requests, statuses, retries or timeouts — only connection requests and packets', () => {
    const r = run(nsm(crash), 'nsm');
    expect(r.trace.events.filter((e) => e.type === 'request')).toEqual([]);
    expect(new Set(r.flights().map((f) => f.kind))).toEqual(new Set(['grpc', 'discovery', 'ip']));
    expect(r.decisions().filter((d) => ['retry', 'timeout', 'endpoint', 'route', 'ejection'].includes(d.kind))).toEqual([]);
    expect(r.report.summary).toMatchObject({ total: 0, ok: 0, failed: 0, retries: 0 });
    expect(r.flights('ip').length).toBeGreaterThan(40);
  });

  it('FIDELITY-MORE K1: the player refuses an NSM scenario under Istio and an HTTP scenario under NSM, saying why', () => {
    const text = readFileSync('scenarios/nsm-network-service.yaml', 'utf8');
    const underIstio = runScenario({ text, file: 'nsm-network-service.yaml', mesh: 'istio' });
    expect(underIstio.ok).toBe(false);
    if (!underIstio.ok) expect(underIstio.problems[0]!.text).toMatch(/written for Network Service Mesh only: .*no HTTP requests for Istio to proxy/);
    const http = readFileSync('scenarios/retries-flaky-pod.yaml', 'utf8');
    const underNsm = runScenario({ text: http, file: 'retries-flaky-pod.yaml', mesh: 'nsm' });
    expect(underNsm.ok).toBe(false);
    if (!underNsm.ok)
      expect(underNsm.problems[0]!.text).toMatch(
        /^retries-flaky-pod\.yaml: Network Service Mesh connects workloads to network services \(vWires\) and has no HTTP requests/,
      );
    // An HTTP scenario still runs under an HTTP mesh it does not name (Consul on a file written for Istio and Linkerd).
    expect(runScenario({ text: readFileSync('scenarios/circuit-breaking-pool.yaml', 'utf8'), file: 'c.yaml', mesh: 'consul' }).ok).toBe(true);
  });
});

describe('FIDELITY-MORE K1: mesh-neutral policies', () => {
  it('FIDELITY-MORE K1: HTTP policies are reported as having no NSM equivalent, and the YAML pane shows the file’s Deployments only', () => {
    const r = run(nsm({ policies: { retries: [{ service: 'nse-kernel', attempts: 2 }], timeouts: [{ service: 'nse-kernel', request: '1s' }] } }), 'nsm');
    expect(r.decisions('policy-unmapped').map((d) => d.summary)).toEqual([
      'policies.retries has no equivalent in Network Service Mesh: it connects workloads to network services and has no HTTP retries',
      'policies.timeouts has no equivalent in Network Service Mesh: it connects workloads to network services and has no HTTP timeouts',
    ]);
    expect(effectiveResources(scenarioOf(nsm()), nsmProfile).map((e) => [e.kind, e.name, e.origin])).toEqual([
      ['Deployment', 'alpine', 'file'],
      ['Deployment', 'nse-kernel', 'file'],
    ]);
  });
});

describe('FIDELITY-MORE K2: clients, endpoints, NSMgrs, forwarders, the registry', () => {
  it('FIDELITY-MORE K2: the picture has the registry and an NSMgr per node in the control plane, a forwarder per node, and no sidecar', () => {
    const { topology } = run(nsm(), 'nsm').trace;
    expect(topology.nodes.filter((n) => n.kind === 'control-plane').map((n) => n.label)).toEqual(['registry-k8s', 'nsmgr (node-1)', 'nsmgr (node-2)']);
    expect(topology.proxies.map((p) => [p.kind, p.nodeName])).toEqual([
      ['node', 'node-1'],
      ['node', 'node-2'],
    ]);
    expect(topology.nodes.find((n) => n.id === topology.proxies[0]!.id)!.label).toBe('forwarder-vpp (node-1)');
    expect(topology.pods.filter((p) => p.proxy !== undefined)).toEqual([]);
  });

  it('FIDELITY-MORE K2: endpoints register through their NSMgr; the endpoint gives itself .100 and the client .101 of NSM_CIDR_PREFIX', () => {
    const r = run(nsm(), 'nsm');
    expect(r.decisions('nse-registered').map((d) => d.summary)).toEqual([
      'the registry lists nse-kernel-0 for kernel2vxlan2kernel',
      'the registry lists nse-kernel-1 for kernel2vxlan2kernel',
    ]);
    const ip = r.decisions('ip-assigned')[0]!;
    expect(ip.summary).toBe('nse-kernel-0 takes 172.16.1.100 and gives alpine-0 172.16.1.101 on nsm-1 (from 172.16.1.100/31)');
    expect(r.report.vwires![0]!.addresses).toEqual({ nsc: '172.16.1.101', nse: '172.16.1.100' });
  });

  it('FIDELITY-MORE K2: the nsm: section refuses what mesh-sim does not read, at the field that says it', () => {
    const problems = (obj: Record<string, unknown>) => {
      const r = parseScenario(JSON.stringify({ id: 't', title: 't', ...obj }), 't.json');
      return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    };
    expect(problems(nsm({}, { NSM_LOG_LEVEL: 'TRACE' }))).toEqual([
      expect.stringMatching(
        /^nsm\[0\]\.spec\.template\.spec\.containers\[0\]\.env\[1\]\.name: is "NSM_LOG_LEVEL", a variable mesh-sim does not read \(it reads NSM_NETWORK_SERVICES, /,
      ),
    ]);
    expect(problems(nsm({}, { NSM_NETWORK_SERVICES: 'kernel://other-service/nsm-1' }))).toEqual([
      expect.stringMatching(/asks for Network Service "other-service", which no endpoint provides \(NSM_SERVICE_NAMES: kernel2vxlan2kernel\)/),
    ]);
    expect(problems(nsm({}, { NSM_NETWORK_SERVICES: 'http://kernel2vxlan2kernel' }))).toEqual([
      expect.stringMatching(/give kernel:\/\/<network-service>\/<interface>/),
    ]);
    expect(problems(nsm({}, { NSM_MAX_TOKEN_LIFETIME: 'soon' }))).toEqual([expect.stringMatching(/NSM_MAX_TOKEN_LIFETIME.*a duration/)]);
    expect(problems({ ...nsm(), nodes: 2, services: [{ name: 'alpine' }] })).toEqual([expect.stringMatching(/^nsm\[1\]\.metadata\.name: .*nse-kernel/)]);
  });
});

describe('FIDELITY-MORE K3: a connection request', () => {
  it('FIDELITY-MORE K3: NSC → NSMgr (authorize, Find in the registry, round robin) → forwarder → remote NSMgr → remote forwarder → NSE, and back', () => {
    const r = run(nsm(), 'nsm');
    const first = r.flights('grpc').filter((f) => f.t >= 500 && f.t < 600);
    const hops = (fs: FlightEvent[]) => fs.map((f) => `${f.from} → ${f.to}`);
    const discovery = r.flights('discovery').slice(0, 2);
    expect(hops(discovery)).toEqual(['nsmgr/node-1 → nsm/registry', 'nsm/registry → nsmgr/node-1']);
    expect(hops(first.slice(0, 5))).toEqual([
      'alpine-0/app → nsmgr/node-1',
      'nsmgr/node-1 → forwarder/node-1',
      'forwarder/node-1 → nsmgr/node-2',
      'nsmgr/node-2 → forwarder/node-2',
      'forwarder/node-2 → nse-kernel-0/app',
    ]);
    expect(kinds(r.decisions().filter((d) => d.t < 600 && d.t >= 500))).toEqual([
      'nsm-authorized',
      'nse-selected',
      'mechanism',
      'ip-assigned',
      'vwire-up',
      'refresh-scheduled',
    ]);
    expect(r.decisions('mechanism')[0]!.summary).toMatch(/kernel toward alpine-0 and VXLAN toward the forwarder on node-2/);
  });

  it('FIDELITY-MORE K3: the endpoint is picked once per connection request, round robin — not per packet', () => {
    const r = run(nsm(crash), 'nsm');
    const picks = r.decisions('nse-selected').map((d) => d.data!.picked);
    expect(picks).toEqual(['nse-kernel-0', 'nse-kernel-1']);
    expect(r.flights('ip').length).toBeGreaterThan(20 * picks.length);
  });

  it('FIDELITY-MORE K3: an endpoint on the client’s own node is joined with kernel interfaces only — no VXLAN hop', () => {
    const r = run(
      nsm({
        nodes: [
          { name: 'node-1', pods: ['alpine-0', 'nse-kernel-0'] },
          { name: 'node-2', pods: ['nse-kernel-1'] },
        ],
      }),
      'nsm',
    );
    expect(r.report.vwires![0]).toMatchObject({ endpoint: 'nse-kernel-0', mechanism: 'kernel ↔ kernel (same node)' });
    expect(r.flights('ip').some((f) => f.from.startsWith('forwarder/') && f.to.startsWith('forwarder/'))).toBe(false);
    expect(r.flights('grpc').some((f) => f.to === 'nsmgr/node-2' && f.t > 100)).toBe(false);
  });
});

describe('FIDELITY-MORE K4: refresh, expiry, healing', () => {
  it('FIDELITY-MORE K4: refresh after 1/3 of the time left on a one-segment path, 0.2 + 0.2 × index / segments otherwise', () => {
    expect(refreshAfterMs([30_000], 0)).toBe(10_000);
    expect(refreshAfterMs(Array(6).fill(30_000), 0)).toBe(6000);
    expect(refreshAfterMs(Array(6).fill(30_000), 3)).toBe(9000);
    expect(refreshAfterMs([30_000, 600_000, 600_000, 600_000], 0)).toBe(6000);
  });

  it('FIDELITY-MORE K4: the client re-sends its Request every 6 s for a 30 s token, naming its endpoint (no new selection); every 2 min by default', () => {
    const r = run(nsm(), 'nsm');
    const up = r.decisions('vwire-up')[0]!.t;
    const refreshes = r.transitions('vwire').filter((t) => t.to === 'refreshing');
    expect(refreshes.map((t) => t.t - up)).toEqual([6000, 12_012, 18_024, 24_036].filter((x) => up + x <= 30_000));
    expect(r.decisions('nse-named').length).toBe(refreshes.length);
    expect(r.decisions('nse-selected').length).toBe(1);
    const byDefault = run(nsm({ duration: '150s' }, {}), 'nsm');
    const t0 = byDefault.decisions('vwire-up')[0]!.t;
    expect(
      byDefault
        .transitions('vwire')
        .filter((t) => t.to === 'refreshing')
        .map((t) => t.t - t0),
    ).toEqual([120_000]);
  });

  it('FIDELITY-MORE K4: when the endpoint dies the liveness check fails within 300 ms and the client heals onto the other endpoint', () => {
    const r = run(nsm(crash), 'nsm');
    const failed = r.decisions('liveness-failed')[0]!;
    expect(failed.t).toBeGreaterThan(20_000);
    expect(failed.t).toBeLessThanOrEqual(20_000 + LIVENESS_INTERVAL_MS + LIVENESS_TIMEOUT_MS);
    expect(r.decisions('heal').map((d) => d.t)).toEqual([failed.t]);
    expect(r.transitions('vwire').map((t) => t.to)).toContain('healing');
    expect(r.report.vwires!.map((v) => [v.endpoint, v.end ?? 'up'])).toEqual([
      ['nse-kernel-0', 'healed'],
      ['nse-kernel-1', 'up'],
    ]);
    // Pings after the heal are answered by the new endpoint; none before it is re-sent.
    const replies = r.flights('ip').filter((f) => f.label.startsWith('ICMP reply') && f.to === 'forwarder/node-2' && f.t > failed.t);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((f) => f.from === 'nse-kernel-1/app')).toBe(true);
    expect(r.decisions('retry')).toEqual([]);
  });
});

describe('FIDELITY-MORE K6: the library scenario', () => {
  it('FIDELITY-MORE K6: nsm-network-service connects, refreshes and heals, and its checkpoint answers that nothing is retried', () => {
    const o = runScenario({ text: readFileSync('scenarios/nsm-network-service.yaml', 'utf8'), file: 'scenarios/nsm-network-service.yaml', mesh: 'nsm' });
    if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
    expect(o.report.vwires!.length).toBe(2);
    expect(o.report.checkpoints.map((c) => c.answer)).toEqual(['no']);
    expect(o.trace.events.filter((e) => e.type === 'narration').map((e) => (e as { text: string }).text)[0]).toMatch(
      /^What NSM is not: there are no HTTP requests/,
    );
    expect(scenarioOf({ ...nsm(), id: 'x' }).meshes).toEqual(['nsm']);
  });
});
