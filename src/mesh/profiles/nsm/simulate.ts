/**
 * A Network Service Mesh run (FIDELITY-MORE K2–K6): endpoints (NSEs) register their Network
 * Service with the registry through their node's NSMgr; a client (NSC) requests the Network
 * Service; its NSMgr authorizes the request, discovers the candidate endpoints in the registry and
 * picks one round robin, and the forwarders set up a vWire to it (kernel interfaces locally, VXLAN
 * between nodes); the client pings across it, re-sends its Request before the path expires, and
 * heals onto another endpoint when the liveness check over the vWire fails. There is no HTTP here:
 * no requests, statuses, retries, timeouts or request balancing — the trace has none.
 */
import { machineGraph, startRecordedActor, type RecordedActor, type Topology, type TraceEvent } from '../../../sim/index.ts';
import type { LoadedScenario } from '../../../scenario/index.ts';
import { weaveNarration } from '../../narration.ts';
import { answerCheckpoints } from '../../checkpoints.ts';
import { workloadMachine } from '../../machines/workloadMachine.ts';
import { defaultCause } from '../../cause.ts';
import type { RunReport } from '../../report.ts';
import type { SimulateOptions } from '../../world.ts';
import type { MeshRelease, ProfileRun } from '../types.ts';
import { registrationMachine, vwireMachine } from './vwireMachine.ts';
import { ClientConnection } from './connection.ts';
import { CLIENT_START_MS, LOCAL_HOP_MS, NsmRun, REMOTE_HOP_MS, SRC } from './world.ts';

export { refreshAfterMs, LIVENESS_INTERVAL_MS, LIVENESS_TIMEOUT_MS, PING_EVERY_MS, DEFAULT_TOKEN_LIFETIME_MS } from './world.ts';

/** Simulates an NSM scenario under `release`. */
export function simulateNsm(scenario: LoadedScenario, release: MeshRelease, options: SimulateOptions): ProfileRun {
  const run = new NsmRun(scenario, release);
  const seed = options.seed ?? scenario.seed;
  const untilMs = Math.min(options.untilMs ?? scenario.duration, scenario.duration);
  const registrations = new Map<string, RecordedActor<typeof registrationMachine>>();
  run.scheduler.at(0, () => {
    // FIDELITY-MORE K1: the mesh-neutral policies are HTTP intent NSM has no equivalent for; each is reported, not dropped.
    for (const [key, value] of Object.entries(scenario.policies ?? {}))
      if (value !== undefined && !(Array.isArray(value) && value.length === 0))
        run.decide({
          node: run.registryNode,
          layer: 'policy',
          kind: 'policy-unmapped',
          summary: `policies.${key} has no equivalent in Network Service Mesh: it connects workloads to network services and has no HTTP ${key === 'mtls' ? 'mTLS between apps' : key}`,
          cause: defaultCause('NSM has no HTTP routing, retries, timeouts or request balancing', 'FIDELITY-MORE K1, M4'),
        });
    for (const pod of run.pods.values()) {
      pod.workload.send({ type: 'pod.started' });
      pod.workload.send({ type: 'pod.ready' });
      pod.up = true;
      const ep = run.roles.endpoints.get(pod.service);
      if (!ep) continue;
      const reg = startRecordedActor(registrationMachine, {
        scheduler: run.scheduler,
        recorder: run.recorder,
        entity: `registration:${pod.name}`,
        node: pod.app,
      });
      registrations.set(pod.name, reg);
      reg.send({ type: 'register' });
      const mgr = run.nsmgr(pod.nodeName);
      run.chain(
        [
          () =>
            run.flight('grpc', pod.app, mgr, `Register ${pod.name} (${ep.provides.join(', ')})`, LOCAL_HOP_MS, {
              api: 'NetworkServiceEndpointRegistry.Register',
            }),
          () => run.flight('grpc', mgr, run.registryNode, `Register ${pod.name}`, REMOTE_HOP_MS),
        ],
        () => {
          for (const ns of ep.provides) run.registry.set(ns, [...(run.registry.get(ns) ?? []), pod]);
          reg.send({ type: 'registered' });
          run.decide({
            node: run.registryNode,
            layer: 'registry',
            kind: 'nse-registered',
            summary: `the registry lists ${pod.name} for ${ep.provides.join(', ')}`,
            cause: defaultCause('NSEs register their Network Services', SRC.register),
          });
        },
      );
    }
  });
  run.scheduler.at(CLIENT_START_MS, () => {
    for (const pod of run.pods.values())
      for (const w of run.roles.clients.get(pod.service)?.wants ?? []) new ClientConnection(run, pod, w.service, w.iface).request('first');
  });
  for (const f of scenario.faults) {
    if (!f.crash) continue;
    const targets = f.pod ? [run.pods.get(f.pod)!] : [...run.pods.values()].filter((p) => p.service === f.service);
    const { at, restartAfter } = f.crash;
    run.scheduler.at(at, () => {
      for (const p of targets) {
        p.up = false;
        p.workload.send({ type: 'pod.crashed' });
        registrations.get(p.name)?.send({ type: 'unreachable' });
      }
    });
    if (restartAfter !== undefined)
      run.scheduler.at(at + restartAfter, () => {
        for (const p of targets) {
          p.up = true;
          p.workload.send({ type: 'pod.restarted' });
          p.workload.send({ type: 'pod.ready' });
        }
      });
  }
  run.scheduler.runUntil(untilMs);
  // Each event is a small view over the recorded columns (src/sim/traceStore.ts).
  const events: TraceEvent[] = weaveNarration(
    run.recorder.store.seal(true),
    scenario.narration.filter((n) => !n.mesh || n.mesh === 'nsm'),
  )
    .seal()
    .views();
  const trace = {
    version: 1 as const,
    scenario: { id: scenario.id, title: scenario.title, ...(scenario.description ? { description: scenario.description } : {}) },
    mesh: 'nsm',
    release: { version: release.version, label: release.label },
    seed,
    durationMs: untilMs,
    topology: topologyOf(run),
    machines: Object.fromEntries([workloadMachine, vwireMachine, registrationMachine].map((m) => [m.id, machineGraph(m)])),
    events,
  };
  const empty = { p50: 0, p90: 0, p99: 0, max: 0 };
  const report: RunReport = {
    version: 1,
    scenario: scenario.id,
    mesh: 'nsm',
    release: { version: release.version, label: release.label },
    seed,
    simulatedMs: untilMs,
    // FIDELITY-MORE K1: NSM carries packets over vWires; there are no HTTP requests to report.
    requests: [],
    summary: { total: 0, ok: 0, failed: 0, byStatus: {}, latencyMs: empty, retries: 0 },
    pods: [...run.pods.values()].map((p) => ({ name: p.name, service: p.service, received: 0, ok: 0, failed: 0 })),
    handshakes: [],
    certificates: [],
    ejections: [],
    metrics: { services: [], edges: [] },
    checkpoints: [],
    events: events.length,
    vwires: run.vwires,
    // FIDELITY-MORE K2: no proxies in the data plane; the forwarders and NSMgrs have no published figure here.
    footprint: {
      basis: 'Network Service Mesh runs no proxies: a forwarder and an NSMgr per node set up connections and move packets; they are not counted.',
      proxies: [],
      total: { proxies: 0, vCpu: 0, memoryMb: 0 },
      unestimated: [],
    },
  };
  report.checkpoints = answerCheckpoints(scenario.checkpoints, trace, report);
  return { trace, report, engineEvents: run.scheduler.processed };
}

function topologyOf(run: NsmRun): Topology {
  const nodes: Topology['nodes'] = [
    { id: run.registryNode, kind: 'control-plane', label: 'registry-k8s' },
    ...run.nodes.map((n) => ({ id: run.nsmgr(n), kind: 'control-plane' as const, label: `nsmgr (${n})` })),
  ];
  const pods = [...run.pods.values()].map((p) => {
    const role = run.roles.clients.has(p.service) ? 'NSC' : run.roles.endpoints.has(p.service) ? 'NSE' : undefined;
    nodes.push({ id: p.app, kind: 'app', label: role ? `${p.name} (${role})` : p.name, namespace: p.namespace, service: p.service, pod: p.name });
    return {
      name: p.name,
      service: p.service,
      namespace: p.namespace,
      serviceAccount: p.serviceAccount,
      // No proxy handles the pod's traffic: its own interfaces carry it (FIDELITY-MORE K1), so no card says "node proxy".
      meshed: false,
      app: p.app,
      nodeName: p.nodeName,
    };
  });
  const proxies = run.nodes.map((n) => {
    nodes.push({ id: run.forwarder(n), kind: 'proxy', label: `forwarder-vpp (${n})`, namespace: 'nsm-system' });
    return {
      id: run.forwarder(n),
      name: `forwarder-${n}`,
      kind: 'node' as const,
      namespace: 'nsm-system',
      nodeName: n,
      pods: [],
      services: [],
      identities: [],
    };
  });
  const services = run.scenario.services.map((s) => ({
    name: s.name,
    namespace: s.namespace,
    pods: [...run.pods.values()].filter((p) => p.service === s.name).map((p) => p.name),
  }));
  return {
    // No edges: nothing here calls anything; a vWire is drawn by the packets crossing it.
    edges: [],
    namespaces: [...new Set(services.map((s) => s.namespace))],
    services,
    pods,
    nodes,
    proxies,
    clusterNodes: run.nodes.map((n) => ({ name: n, pods: pods.filter((p) => p.nodeName === n).map((p) => p.name), proxies: [run.forwarder(n)] })),
  };
}
