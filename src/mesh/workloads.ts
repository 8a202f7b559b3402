/**
 * Workloads: the services, pods and external hosts of a scenario, the Kubernetes node each pod
 * runs on, the data plane's proxies, and each pod's life — admission (sidecar injection),
 * start-up (the proxies serving a meshed pod get its certificate and their config), ready,
 * crash, restart. Kubernetes itself is reduced to one fact: a pod's readiness reaches the control
 * plane's endpoint list `endpointDelay` after it changes.
 */
import { startChartActor, TraceName } from '../sim/index.ts';
import { podNames, shortName, type ServiceSpec } from '../scenario/index.ts';
import { implicitService } from '../scenario/implicitService.ts';
import { workloadChart } from './machines/charts.ts';
import { AppBehaviour } from './app.ts';
import { podLabels } from './profiles/resources.ts';
import type { Locality, Pod, ServiceRuntime } from './types.ts';
import type { World } from './world.ts';
import type { EdgeWorkload } from './profiles/types.ts';
import { scenarioAfter } from './changes.ts';
import { placePods } from './placement.ts';
import { createProxies, startProxy, stopProxy, whenServing } from './proxies.ts';

/** Builds the services, pods (on their nodes), edge workloads, outside clients, external hosts and proxies (nothing runs yet). */
export function createWorkloads(world: World): void {
  const sc = world.scenario;
  // Edge workloads for every version of the config: a gateway a later change needs is installed from the start.
  const edge = uniqueEdge(
    sc.changes
      .map((_, k) => scenarioAfter(sc, k + 1))
      .concat([sc])
      .flatMap((v) => world.profile.edgeWorkloads(v)),
  );
  // The first version of the config each edge workload appears in (0: as written).
  const firstIn = new Map<string, number>();
  [sc, ...sc.changes.map((_, k) => scenarioAfter(sc, k + 1))].forEach((v, i) => {
    for (const e of world.profile.edgeWorkloads(v)) if (!firstIn.has(e.service)) firstIn.set(e.service, i);
  });
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
      const pod = addPod(
        world,
        service,
        name,
        'workload',
        nextIp(spec.namespace),
        version,
        new AppBehaviour(spec.latency, faults, world.rng.fork(`app:${name}`)),
      );
      // services[].zones: replicas spread over the zones in turn, per version.
      if (spec.zones) pod.locality = localityOf(spec.zones[(i % spec.replicas) % spec.zones.length]!);
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
    if (e.purpose !== 'waypoint') pod.edge = e.purpose;
    // FIDELITY-MORE H6: istiod deploys a waypoint when its Gateway is applied, so one a change adds
    // starts with that change. (Other gateways a change adds are still installed from the start.)
    const first = firstIn.get(e.service) ?? 0;
    if (e.purpose === 'waypoint' && first > 0) pod.deployedBy = first - 1;
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
    const port = e.port ?? (e.protocol === 'https' ? 443 : 80);
    // A host on several ports is one host: one node, one address (the first entry's).
    const same = world.externalFor(e.host);
    world.externals.set(`${e.host}:${port}`, {
      host: e.host,
      protocol: e.protocol,
      port,
      status: e.status,
      latencyMs: e.latency,
      node: `ext:${e.host}`,
      ip: e.ip ?? same?.ip ?? `203.0.113.${i + 10}`,
    });
  });
  const inCluster = [...world.pods.values()].filter((p) => p.role !== 'client');
  const placement = placePods(
    sc,
    inCluster.map((p) => p.name),
  );
  world.clusterNodes.push(...placement.nodes);
  for (const pod of inCluster) pod.nodeName = placement.nodeOf.get(pod.name)!;
  createProxies(world);
}

function uniqueEdge(list: EdgeWorkload[]): EdgeWorkload[] {
  const seen = new Map<string, EdgeWorkload>();
  for (const e of list) if (!seen.has(e.service)) seen.set(e.service, e);
  return [...seen.values()];
}

function addService(world: World, spec: ServiceSpec): ServiceRuntime {
  const service: ServiceRuntime = {
    name: spec.name,
    namespace: spec.namespace,
    spec,
    fqdn: `${shortName(spec.name)}.${spec.namespace}.svc.cluster.local`,
    pods: [],
  };
  world.services.set(spec.name, service);
  return service;
}

/** `region/zone` or a bare zone (no region). */
function localityOf(entry: string): Locality {
  const slash = entry.indexOf('/');
  return slash < 0 ? { region: '', zone: entry } : { region: entry.slice(0, slash), zone: entry.slice(slash + 1) };
}

function addPod(world: World, service: ServiceRuntime, name: string, role: Pod['role'], ip: string, version: string | undefined, app: AppBehaviour): Pod {
  const spec = service.spec;
  const serviceAccount = spec.serviceAccount ?? spec.name;
  // A gateway is a proxy with no app beside it (its node is the proxy's); an outside client is a lone process.
  const appNodeName = new TraceName(role === 'gateway' ? `${name}/gateway` : role === 'client' ? `client:${name}` : `${name}/app`);
  const pod: Pod = {
    name,
    role,
    service,
    namespace: spec.namespace,
    serviceAccount,
    ...(version ? { version } : {}),
    labels: podLabels(spec, version),
    ip,
    // dataPlane: none is outside the mesh, as meshed: false (FIDELITY-MORE H1: no istio.io/dataplane-mode label, no injection).
    meshed: spec.meshed && spec.dataPlane !== 'none' && role !== 'client',
    ...(spec.meshed && spec.dataPlane !== 'none' && role !== 'client'
      ? { identity: world.profile.identity.identityOf(serviceAccount, spec.namespace, shortName(spec.name)) }
      : {}),
    nodeName: '',
    appNodeName,
    // Its text as a field of its own, not a getter: a getter among the literal's properties (after
    // its spreads) leaves the pod's properties in a dictionary, and every read of `pod.up`,
    // `pod.ready`, `pod.name`... on a request's path a hash lookup instead of a load at a fixed offset.
    appNode: appNodeName.text,
    traceName: new TraceName(name),
    index: world.nextPodIndex(),
    up: false,
    ready: false,
    workload: undefined as never,
    app,
    generation: 0,
  };
  if (role !== 'client') service.pods.push(pod);
  world.pods.set(name, pod);
  return pod;
}

/** Creates the pod's machines and starts it: admission, containers, then (meshed) the proxies that serve it. */
export function startPod(world: World, pod: Pod): void {
  if (pod.role === 'client') {
    // Outside the cluster: no admission, no proxy, no readiness to report.
    pod.up = true;
    pod.ready = true;
    return;
  }
  if (!pod.workload) {
    pod.workload = startChartActor(workloadChart, {
      scheduler: world.scheduler,
      recorder: world.recorder,
      entity: pod.name,
      node: pod.appNodeName,
    });
    world.controlPlane.admit(pod);
  }
  // A warm start: the pod was running before the run began, so the control plane already lists it.
  const warm = world.scenario.startup === 'warm' && pod.generation === 0 && pod.deployedBy === undefined;
  pod.up = true;
  pod.workload.send({ type: pod.generation === 0 ? 'pod.started' : 'pod.restarted' });
  const serving = world.servingProxies.get(pod.name) ?? [];
  if (!pod.meshed || serving.length === 0) return becomeReady(world, pod, warm);
  // Proxies inside the pod (a sidecar) start with it; the pod is ready once every proxy serving
  // it holds its certificate and has its config.
  for (const proxy of world.proxiesIn.get(pod.name) ?? []) startProxy(world, proxy, warm);
  const generation = pod.generation;
  let waiting = serving.length;
  for (const proxy of serving)
    whenServing(proxy, pod, () => {
      if (--waiting === 0 && pod.generation === generation && pod.up) becomeReady(world, pod, warm);
    });
}

function becomeReady(world: World, pod: Pod, warm: boolean): void {
  pod.ready = true;
  pod.workload.send({ type: 'pod.ready' });
  if (!warm) world.endpointsChangedLater(pod.service);
  world.configApplied();
}

/** The pod's containers stop: connections to it reset, its endpoint is withdrawn, the proxies inside it stop. */
export function crashPod(world: World, pod: Pod): void {
  if (!pod.up) return;
  pod.up = false;
  pod.ready = false;
  pod.generation++;
  const inside = world.proxiesIn.get(pod.name) ?? [];
  for (const proxy of inside) for (const slot of proxy.slots) slot.certificate = null;
  pod.workload.send({ type: 'pod.crashed' });
  for (const proxy of inside) stopProxy(world, proxy);
  world.resetConnectionsTo(pod.name);
  world.endpointsChangedLater(pod.service);
}

export function restartPod(world: World, pod: Pod): void {
  if (pod.up) return;
  startPod(world, pod);
}
