/**
 * Linkerd's control plane as the data plane sees it (FIDELITY F2): the proxy-injector webhook,
 * identity (the CA; identity.ts does the CSR flow), and destination, which answers each proxy's
 * per-service lookups — Get (endpoints with their expected identities) and GetProfile — as
 * server-streaming watches opened on first use and updated as endpoints change. At start-up a
 * proxy asks only for its inbound policy.
 */
import type { ControlPlane } from '../../controlPlane.ts';
import { readyEndpoints } from '../../controlPlane.ts';
import type { Pod, ServiceRuntime } from '../../types.ts';
import type { World } from '../../world.ts';
import { defaultCause } from '../../cause.ts';

export const LINKERD_IDENTITY = 'linkerd-identity';
export const LINKERD_DESTINATION = 'linkerd-destination';
export const LINKERD_INJECTOR = 'linkerd-proxy-injector';
const WATCH_CAUSE = defaultCause('destination watch (Get / GetProfile), opened on first use', 'FIDELITY F2: server-streaming lookups');

interface Watch {
  ready: boolean;
  waiting: (() => void)[];
}

export class LinkerdControlPlane implements ControlPlane {
  up = true;
  /** service → watching pods (by name) → watch state. */
  private readonly watches = new Map<string, Map<string, Watch>>();

  constructor(private readonly world: World) {}

  admit(pod: Pod): void {
    const inj = this.world.profile.injection(pod);
    this.world.decide(LINKERD_INJECTOR, 'injector', inj.injected ? 'inject' : 'skip-injection', inj.summary, inj.cause, { data: { pod: pod.name } });
  }

  connectProxy(pod: Pod, onSynced: () => void, warm = false): void {
    const w = this.world;
    if (warm) {
      pod.configActor?.send({ type: 'config.applied' });
      return onSynced();
    }
    const arrive = w.flight('discovery', pod.proxyNode, LINKERD_DESTINATION, w.linkMs, `inbound policy: port ${pod.service.spec.port}`);
    w.scheduler.at(arrive, () => {
      if (!this.up) return;
      w.scheduler.at(w.flight('config', LINKERD_DESTINATION, pod.proxyNode, w.linkMs, 'inbound policy'), () => {
        if (!pod.proxy) return;
        pod.configActor?.send({ type: 'config.applied' });
        onSynced();
      });
    });
  }

  disconnectProxy(pod: Pod): void {
    for (const watchers of this.watches.values()) watchers.delete(pod.name);
  }

  canReach(): boolean {
    return true; // the proxy looks the service up on its first request
  }

  discover(pod: Pod, service: ServiceRuntime, ready: () => void): void {
    const w = this.world;
    let watchers = this.watches.get(service.name);
    if (!watchers) this.watches.set(service.name, (watchers = new Map()));
    const existing = watchers.get(pod.name);
    if (existing) {
      if (existing.ready) ready();
      else existing.waiting.push(ready);
      return;
    }
    const watch: Watch = { ready: false, waiting: [ready] };
    watchers.set(pod.name, watch);
    const generation = pod.generation;
    w.decide(pod.proxyNode, 'discovery', 'watch', `first request to ${service.name}: open Get and GetProfile watches`, WATCH_CAUSE);
    const arrive = w.flight('discovery', pod.proxyNode, LINKERD_DESTINATION, w.linkMs, `Get + GetProfile ${service.fqdn}:${service.spec.port}`);
    w.scheduler.at(arrive, () => {
      if (!this.up) return;
      const eps = readyEndpoints(service);
      const back = w.flight('config', LINKERD_DESTINATION, pod.proxyNode, w.linkMs, `Update: ${eps.length} endpoint${eps.length === 1 ? '' : 's'}`, {
        detail: Object.fromEntries(eps.map((e) => [e.name, e.identity ?? '(no identity: unmeshed)'])),
      });
      w.scheduler.at(back, () => {
        if (!pod.proxy || pod.generation !== generation) return;
        pod.proxy.endpoints.set(service.name, eps);
        watch.ready = true;
        for (const fn of watch.waiting.splice(0)) fn();
      });
    });
  }

  endpointsChanged(service: ServiceRuntime): void {
    const w = this.world;
    const watchers = this.watches.get(service.name);
    if (!watchers || !this.up) return;
    const eps = readyEndpoints(service);
    for (const [name, watch] of watchers) {
      const pod = w.pods.get(name)!;
      if (!watch.ready || !pod.proxy) continue;
      pod.configActor?.send({ type: 'config.changed' });
      const generation = pod.generation;
      const arrive = w.flight(
        'config',
        LINKERD_DESTINATION,
        pod.proxyNode,
        w.linkMs,
        `Update ${service.name}: ${eps.map((e) => e.name).join(' ') || '(none)'}`,
      );
      w.scheduler.at(arrive, () => {
        if (!pod.proxy || pod.generation !== generation) return;
        pod.proxy.endpoints.set(service.name, eps);
        pod.configActor?.send({ type: 'config.applied' });
        w.configApplied();
      });
    }
  }
}
