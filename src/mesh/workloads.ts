/**
 * Workloads: the services, pods and external hosts of a scenario, and each pod's life — admission
 * (sidecar injection), start-up (certificate and config for a meshed pod), ready, crash, restart.
 * Kubernetes itself is reduced to one fact: a pod's readiness reaches the control plane's
 * endpoint list `endpointDelay` after it changes.
 */
import { startRecordedActor, type TopologyNode, type Topology } from '../sim/index.ts';
import { podNames, type ServiceSpec } from '../scenario/index.ts';
import { implicitService } from '../scenario/implicitService.ts';
import { workloadMachine } from './machines/workloadMachine.ts';
import { proxyConfigMachine } from './machines/proxyConfigMachine.ts';
import { AppBehaviour } from './app.ts';
import { Sidecar } from './proxy/Sidecar.ts';
import { startIdentity } from './identity.ts';
import { podLabels } from './profiles/resources.ts';
import type { Pod, ServiceRuntime } from './types.ts';
import type { World } from './world.ts';
import type { EdgeWorkload } from './profiles/types.ts';
import { scenarioAfter } from './changes.ts';

/** Builds the services, pods, edge workloads, outside clients and external hosts (nothing runs yet). */
export function createWorkloads(world: World): void {
  const sc = world.scenario;
  // Edge workloads for every version of the config: a gateway a later change needs is installed from the start.
  const edge = uniqueEdge(
    sc.changes
      .map((_, k) => scenarioAfter(sc, k + 1))
      .concat([sc])
      .flatMap((v) => world.profile.edgeWorkloads(v)),
  );
  const namespaces = [...new Set([...sc.services.map((s) => s.namespace), ...edge.map((e) => e.namespace)])];
  const podsInNamespace = new Map<string, number>();
  const nextIp = (ns: string): string => {
    const n = (podsInNamespace.get(ns) ?? 0) + 1;
    podsInNamespace.set(ns, n);
    return `10.244.${namespaces.indexOf(ns)}.${n + 1}`;
  };
  for (const spec of sc.services) {
    const service = addService(world, spec);
    const versions = spec.versions;
    podNames(spec.name, spec.replicas, versions).forEach((name, i) => {
      const version = versions ? versions[Math.floor(i / spec.replicas)] : undefined;
      const faults = sc.faults.map((f, index) => ({ spec: f, index })).filter(({ spec: f }) => f.pod === name || f.service === spec.name);
      addPod(world, service, name, 'workload', nextIp(spec.namespace), version, new AppBehaviour(spec.latency, faults, world.rng.fork(`app:${name}`)));
    });
  }
  for (const e of edge) {
    const spec = implicitService({
      name: e.service,
      namespace: e.namespace,
      serviceAccount: e.serviceAccount,
      latencyMs: e.role === 'gateway' ? 0 : 1,
    });
    const service = addService(world, spec);
    const pod = addPod(
      world,
      service,
      `${e.service}-0`,
      e.role,
      nextIp(e.namespace),
      undefined,
      new AppBehaviour(spec.latency, [], world.rng.fork(`app:${e.service}`)),
    );
    pod.edge = e.purpose;
  }
  sc.clients.forEach((c, i) => {
    const spec = implicitService({ name: c.name, namespace: 'internet', meshed: false, latencyMs: 0 });
    const service: ServiceRuntime = { name: c.name, namespace: 'internet', spec, fqdn: c.name, pods: [] };
    const pod = addPod(
      world,
      service,
      c.name,
      'client',
      c.ip ?? `198.51.100.${i + 10}`,
      undefined,
      new AppBehaviour(spec.latency, [], world.rng.fork(`app:${c.name}`)),
    );
    pod.edgeLatencyMs = c.latency;
    world.clients.set(c.name, pod);
  });
  sc.external.forEach((e, i) => {
    world.externals.set(e.host, {
      host: e.host,
      protocol: e.protocol,
      port: e.port ?? (e.protocol === 'https' ? 443 : 80),
      latencyMs: e.latency,
      node: `ext:${e.host}`,
      ip: e.ip ?? `203.0.113.${i + 10}`,
    });
  });
}

function uniqueEdge(list: EdgeWorkload[]): EdgeWorkload[] {
  const seen = new Map<string, EdgeWorkload>();
  for (const e of list) if (!seen.has(e.service)) seen.set(e.service, e);
  return [...seen.values()];
}

function addService(world: World, spec: ServiceSpec): ServiceRuntime {
  const service: ServiceRuntime = { name: spec.name, namespace: spec.namespace, spec, fqdn: `${spec.name}.${spec.namespace}.svc.cluster.local`, pods: [] };
  world.services.set(spec.name, service);
  return service;
}

function addPod(world: World, service: ServiceRuntime, name: string, role: Pod['role'], ip: string, version: string | undefined, app: AppBehaviour): Pod {
  const spec = service.spec;
  const serviceAccount = spec.serviceAccount ?? spec.name;
  // A gateway is a proxy with no app beside it; an outside client is a lone process.
  const appNode = role === 'gateway' ? `${name}/gateway` : role === 'client' ? `client:${name}` : `${name}/app`;
  const pod: Pod = {
    name,
    role,
    service,
    namespace: spec.namespace,
    serviceAccount,
    ...(version ? { version } : {}),
    labels: podLabels(spec, version),
    ip,
    meshed: spec.meshed && role !== 'client',
    appNode,
    proxyNode: role === 'workload' && spec.meshed ? `${name}/proxy` : appNode,
    ...(spec.meshed && role !== 'client' ? { identity: world.profile.identity.identityOf(serviceAccount, spec.namespace) } : {}),
    up: false,
    ready: false,
    certificate: null,
    workload: undefined as never,
    app,
    configVersion: 0,
    startConfigVersion: 0,
    generation: 0,
  };
  if (role !== 'client') service.pods.push(pod);
  world.pods.set(name, pod);
  return pod;
}

/** The drawable topology of the world (for the trace). */
export function topologyOf(world: World): Topology {
  const nodes: TopologyNode[] = world.profile.controlPlaneNodes.map((n) => ({ id: n.id, kind: 'control-plane', label: n.label }));
  const pods = [...world.pods.values()].map((p) => {
    const kind = p.role === 'gateway' ? 'gateway' : p.role === 'client' ? 'client' : 'app';
    nodes.push({ id: p.appNode, kind, label: p.name, namespace: p.namespace, service: p.service.name, pod: p.name });
    if (p.meshed && p.proxyNode !== p.appNode)
      nodes.push({ id: p.proxyNode, kind: 'proxy', label: `${p.name} proxy`, namespace: p.namespace, service: p.service.name, pod: p.name });
    return {
      name: p.name,
      service: p.service.name,
      namespace: p.namespace,
      serviceAccount: p.serviceAccount,
      role: p.role,
      ip: p.ip,
      ...(p.version ? { version: p.version } : {}),
      meshed: p.meshed,
      app: p.appNode,
      ...(p.meshed && p.proxyNode !== p.appNode ? { proxy: p.proxyNode } : {}),
      ...(p.identity ? { identity: p.identity } : {}),
    };
  });
  for (const e of world.externals.values()) nodes.push({ id: e.node, kind: 'external', label: e.host });
  const edges = new Map<string, { from: string; to: string }>();
  const edge = (from: string, to: string): void => void edges.set(`${from}→${to}`, { from, to });
  const name = (host: string): string => world.serviceByHost(host)?.name ?? host;
  const entry = [...world.pods.values()].find((p) => p.edge === 'ingress');
  for (const t of world.scenario.traffic) {
    const from = world.clients.get(t.from)?.name ?? world.pods.get(t.from)?.service.name ?? t.from;
    edge(from, world.clients.has(t.from) && entry ? entry.service.name : name(t.to));
  }
  for (const s of world.scenario.services) for (const c of s.calls) edge(s.name, name(c.to));
  if (entry) for (const r of world.scenario.ingress?.routes ?? []) edge(entry.service.name, r.service);
  return {
    edges: [...edges.values()],
    namespaces: [...new Set([...world.services.values()].map((s) => s.namespace))],
    services: [...world.services.values()].map((s) => ({ name: s.name, namespace: s.namespace, pods: s.pods.map((p) => p.name) })),
    pods,
    nodes,
  };
}

/** Creates the pod's machines and starts it: admission, containers, identity and config. */
export function startPod(world: World, pod: Pod): void {
  if (pod.role === 'client') {
    // Outside the cluster: no admission, no sidecar, no readiness to report.
    pod.up = true;
    pod.ready = true;
    return;
  }
  if (!pod.workload) {
    pod.workload = startRecordedActor(workloadMachine, { scheduler: world.scheduler, recorder: world.recorder, entity: pod.name, node: pod.appNode });
    world.controlPlane.admit(pod);
  }
  // A warm start: the pod was running before the run began, so the control plane already lists it.
  const warm = world.scenario.startup === 'warm' && pod.generation === 0;
  pod.up = true;
  pod.workload.send({ type: pod.generation === 0 ? 'pod.started' : 'pod.restarted' });
  if (!pod.meshed) return becomeReady(world, pod, warm);
  pod.proxy = new Sidecar(world, pod, world.profile.streamsPerConnection);
  pod.configActor ??= startRecordedActor(proxyConfigMachine, {
    scheduler: world.scheduler,
    recorder: world.recorder,
    entity: `config:${pod.name}`,
    node: pod.proxyNode,
  });
  let certified = false;
  let configured = false;
  const generation = pod.generation;
  const check = (): void => {
    if (certified && configured && pod.generation === generation && pod.up) becomeReady(world, pod, warm);
  };
  startIdentity(
    world,
    pod,
    () => {
      certified = true;
      check();
    },
    warm,
  );
  world.controlPlane.connectProxy(
    pod,
    () => {
      configured = true;
      check();
    },
    warm,
  );
}

function becomeReady(world: World, pod: Pod, warm: boolean): void {
  pod.ready = true;
  pod.workload.send({ type: 'pod.ready' });
  if (!warm) world.endpointsChangedLater(pod.service);
  world.configApplied();
}

/** The pod's containers stop: connections to it reset, its endpoint is withdrawn, its proxy forgets. */
export function crashPod(world: World, pod: Pod): void {
  if (!pod.up) return;
  pod.up = false;
  pod.ready = false;
  pod.generation++;
  pod.certificate = null;
  pod.workload.send({ type: 'pod.crashed' });
  pod.certActor?.stop();
  pod.configActor?.send({ type: 'proxy.stopped' });
  world.controlPlane.disconnectProxy(pod);
  delete pod.proxy;
  world.resetConnectionsTo(pod);
  world.endpointsChangedLater(pod.service);
}

export function restartPod(world: World, pod: Pod): void {
  if (pod.up) return;
  startPod(world, pod);
}
