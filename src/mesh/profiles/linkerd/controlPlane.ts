/**
 * Linkerd's control plane as the data plane sees it (FIDELITY F2): the proxy-injector webhook,
 * identity (the CA; identity.ts does the CSR flow), and destination, which answers each proxy's
 * per-service lookups — Get (endpoints with their expected identities) and GetProfile — as
 * server-streaming watches opened on first use and updated as endpoints change. At start-up a
 * proxy asks only for its inbound policy.
 */
import { ControlPlaneBase, type ControlPlane } from '../../controlPlane.ts';
import { readyEndpoints } from '../../controlPlane.ts';
import { sameLife, type ServiceRuntime } from '../../types.ts';
import type { Proxy } from '../../proxy/Proxy.ts';
import { defaultCause } from '../../cause.ts';

export const LINKERD_IDENTITY = 'linkerd-identity';
export const LINKERD_DESTINATION = 'linkerd-destination';
export const LINKERD_INJECTOR = 'linkerd-proxy-injector';
const WATCH_CAUSE = defaultCause('destination watch (Get / GetProfile), opened on first use', 'FIDELITY F2: server-streaming lookups');

interface Watch {
  ready: boolean;
  waiting: (() => void)[];
}

export class LinkerdControlPlane extends ControlPlaneBase implements ControlPlane {
  /** service → watching proxies (by name) → watch state. */
  private readonly watches = new Map<string, Map<string, Watch>>();

  protected readonly injectorNode = LINKERD_INJECTOR;

  connectProxy(proxy: Proxy, onSynced: () => void, warm = false): void {
    // The proxy asks the destination controller for its inbound policy; endpoints come per lookup (discover).
    this.hello(proxy, onSynced, warm, {
      to: LINKERD_DESTINATION,
      request: { label: `inbound policy: port ${proxy.workload?.service.spec.port}` },
      reply: { label: 'inbound policy' },
      endpoints: false,
    });
  }

  protected readonly outage = {
    node: LINKERD_DESTINATION,
    cause: WATCH_CAUSE,
    down: 'control plane stopped: identity signs nothing, destination answers no new lookups; proxies keep what they know',
    up: 'control plane is back: watches resume and proxies catch up',
  };

  resync(): void {
    const w = this.world;
    for (const s of w.services.values()) this.endpointsChanged(s);
    if (w.configs.length > 1) this.configChanged(w.configs.length - 1);
  }

  disconnectProxy(proxy: Proxy): void {
    for (const watchers of this.watches.values()) watchers.delete(proxy.name);
  }

  canReach(): boolean {
    return true; // the proxy looks the service up on its first request
  }

  discovered(proxy: Proxy, service: ServiceRuntime): boolean {
    return this.watches.get(service.name)?.get(proxy.name)?.ready === true;
  }

  discover(proxy: Proxy, service: ServiceRuntime, ready: () => void): void {
    const w = this.world;
    let watchers = this.watches.get(service.name);
    if (!watchers) this.watches.set(service.name, (watchers = new Map()));
    const existing = watchers.get(proxy.name);
    if (existing) {
      if (existing.ready) ready();
      else existing.waiting.push(ready);
      return;
    }
    const watch: Watch = { ready: false, waiting: [ready] };
    watchers.set(proxy.name, watch);
    const generation = proxy.generation;
    w.decide({
      node: proxy.node,
      layer: 'discovery',
      kind: 'watch',
      summary: `first request to ${service.name}: open Get and GetProfile watches`,
      cause: WATCH_CAUSE,
    });
    const arrive = w.flight({
      kind: 'discovery',
      from: proxy.node,
      to: LINKERD_DESTINATION,
      delayMs: w.linkMs,
      label: `Get + GetProfile ${service.fqdn}:${service.spec.port}`,
    });
    w.scheduler.at(arrive, () => {
      if (!this.up || w.linkCut(proxy.name, 'control-plane')) {
        // No answer: the lookup is dropped (tried again on the next request) and the waiting requests find no endpoint.
        watchers.delete(proxy.name);
        w.decide({
          node: proxy.node,
          layer: 'discovery',
          kind: 'lookup-failed',
          summary: `destination unreachable: no endpoints for ${service.name}`,
          cause: WATCH_CAUSE,
        });
        for (const fn of watch.waiting.splice(0)) fn();
        return;
      }
      const eps = readyEndpoints(service);
      const back = w.flight({
        kind: 'config',
        from: LINKERD_DESTINATION,
        to: proxy.node,
        delayMs: w.linkMs,
        label: `Update: ${eps.length} endpoint${eps.length === 1 ? '' : 's'}`,
        detail: Object.fromEntries(eps.map((e) => [e.name, e.identity ?? '(no identity: unmeshed)'])),
      });
      w.scheduler.at(back, () => {
        if (!sameLife(proxy, generation)) return;
        proxy.setEndpoints(service.name, eps);
        watch.ready = true;
        for (const fn of watch.waiting.splice(0)) fn();
      });
    });
  }

  /** Policy and route resources are watched: a change goes to every proxy at once, no debounce (FIDELITY A7, F2). */
  configChanged(version: number): void {
    const w = this.world;
    if (!this.up) return;
    w.decide({
      node: LINKERD_DESTINATION,
      layer: 'push',
      kind: 'config-change',
      summary: `policy controller sees config version ${version}; watches update the proxies`,
      cause: WATCH_CAUSE,
    });
    for (const proxy of w.proxies.values()) {
      if (!proxy.up || w.linkCut(proxy.name, 'control-plane')) continue;
      proxy.configActor?.send({ type: 'config.changed' });
      const generation = proxy.generation;
      w.scheduler.at(
        w.flight({ kind: 'config', from: LINKERD_DESTINATION, to: proxy.node, delayMs: w.linkMs, label: `policy/route update (v${version})` }),
        () => {
          if (!sameLife(proxy, generation)) return;
          proxy.configVersion = version;
          proxy.configActor?.send({ type: 'config.applied' });
          w.configApplied();
        },
      );
    }
  }

  endpointsChanged(service: ServiceRuntime): void {
    const w = this.world;
    const watchers = this.watches.get(service.name);
    if (!watchers || !this.up) return;
    const eps = readyEndpoints(service);
    for (const [name, watch] of watchers) {
      const proxy = w.proxies.get(name)!;
      if (!watch.ready || !proxy.up) continue;
      proxy.configActor?.send({ type: 'config.changed' });
      const generation = proxy.generation;
      const arrive = w.flight({
        kind: 'config',
        from: LINKERD_DESTINATION,
        to: proxy.node,
        delayMs: w.linkMs,
        label: `Update ${service.name}: ${eps.map((e) => e.name).join(' ') || '(none)'}`,
      });
      w.scheduler.at(arrive, () => {
        if (!sameLife(proxy, generation)) return;
        proxy.setEndpoints(service.name, eps);
        proxy.configActor?.send({ type: 'config.applied' });
        w.configApplied();
      });
    }
  }
}
