/**
 * The data plane's proxies in a run: created from the profile's data plane once the pods exist,
 * started (with their pod, or from the start when they run on their own), and stopped. Starting
 * a proxy asks the CA for each identity it holds and the control plane for its config; a pod the
 * proxy serves is ready once the proxy has both for it.
 */
import { startChartActor } from '../sim/index.ts';
import { proxyConfigChart } from './machines/charts.ts';
import { startIdentity } from './identity.ts';
import { Proxy } from './proxy/Proxy.ts';
import type { Pod } from './types.ts';
import type { World } from './world.ts';

/** Builds every proxy the data plane declares, and indexes them by the pods they run in and serve. */
export function createProxies(world: World): void {
  for (const spec of world.dataPlane.proxies(world)) {
    const stack = world.dataPlane.stacks[spec.kind];
    if (!stack) throw new Error(`the ${world.profile.id} data plane declares a ${spec.kind} proxy (${spec.name}) but no layer stack for that kind`);
    const proxy = new Proxy(
      world,
      spec,
      stack,
      world.profile.streamsPerConnection,
      spec.kind === 'sidecar' || spec.kind === 'waypoint' ? world.profile.poolWorkers : 1,
    );
    world.proxies.set(proxy.name, proxy);
    if (spec.pod) push(world.proxiesIn, spec.pod.name, proxy);
    const served = new Set(spec.identities.flatMap((i) => i.pods));
    for (const pod of served) push(world.servingProxies, pod.name, proxy);
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * A proxy starts: a fresh life (nothing survives a restart), its config machine, a certificate
 * request per identity it holds, and its stream to the control plane. With `warm` it was running
 * before the run began.
 */
export function startProxy(world: World, proxy: Proxy, warm: boolean): void {
  proxy.begin();
  proxy.configActor ??= startChartActor(proxyConfigChart, {
    scheduler: world.scheduler,
    recorder: world.recorder,
    entity: `config:${proxy.name}`,
    node: proxy.nodeTraceName,
  });
  for (const slot of proxy.slots) startIdentity(world, proxy, slot, () => servingChanged(proxy), warm);
  world.controlPlane.connectProxy(
    proxy,
    () => {
      proxy.synced = true;
      servingChanged(proxy);
    },
    warm,
  );
}

/** A proxy stops (its pod crashed): its certificates' machines stop, its config is stale, the control plane forgets it. */
export function stopProxy(world: World, proxy: Proxy): void {
  for (const slot of proxy.slots) slot.actor?.stop();
  proxy.configActor?.send({ type: 'proxy.stopped' });
  world.controlPlane.disconnectProxy(proxy);
  proxy.up = false;
  proxy.waiting.length = 0;
}

/** Whether `proxy` can serve `pod` now: it runs, has its config, and holds a certificate for the pod's identity. */
function serves(proxy: Proxy, pod: Pod): boolean {
  return proxy.up && proxy.synced && proxy.certificateFor(pod.identity) !== null;
}

/** Runs `run` once `proxy` can serve `pod`: at once if it can now, else when it gets what it lacks. */
export function whenServing(proxy: Proxy, pod: Pod, run: () => void): void {
  if (serves(proxy, pod)) return run();
  proxy.waiting.push({ pod, run });
}

/** The proxy got a certificate or its config: run the waiters it can now serve, in the order they came. */
function servingChanged(proxy: Proxy): void {
  let due: Proxy['waiting'] | undefined;
  const waiting = proxy.waiting;
  for (let i = 0; i < waiting.length; i++) if (serves(proxy, waiting[i]!.pod)) (due ??= []).push(waiting[i]!);
  if (!due) return;
  const ran = due;
  proxy.waiting = proxy.waiting.filter((w) => !ran.includes(w));
  for (const w of due) w.run();
}
