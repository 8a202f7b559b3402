/**
 * The control plane as the data plane sees it. Each profile implements it (istiod; Linkerd's
 * identity, destination and proxy-injector); the pods and proxies only call these methods. It
 * talks to proxies — whatever their kind — not to pods: admission is the one thing it does to a pod.
 */
import type { Cause, NodeId } from '../sim/index.ts';
import { sameLife, type Pod, type ServiceRuntime } from './types.ts';
import type { Proxy } from './proxy/Proxy.ts';
import type { World } from './world.ts';

export interface ControlPlane {
  /** False while the control plane is stopped: CSRs and discovery go unanswered. */
  readonly up: boolean;
  /** Stops or restarts the control plane; on restart it brings every proxy up to date. */
  setUp(up: boolean): void;
  /** Admission of a new pod: the injector adds a sidecar, or does not. */
  admit(pod: Pod): void;
  /**
   * A proxy started; `onSynced` runs once it has the config it needs to start.
   * With `warm`, the proxy was already connected before the run began: no flights, synced at once.
   */
  connectProxy(proxy: Proxy, onSynced: () => void, warm?: boolean): void;
  /** Before a proxy first sends to `service`: `ready` runs once it can route and balance. */
  discover(proxy: Proxy, service: ServiceRuntime, ready: () => void): void;
  /** True when {@link discover} would run `ready` at once (the caller then goes on without making a callback). */
  discovered(proxy: Proxy, service: ServiceRuntime): boolean;
  /** Whether `proxy` could send to `service` now (it knows at least one endpoint, or will look it up). */
  canReach(proxy: Proxy, service: ServiceRuntime): boolean;
  /** Kubernetes changed the ready endpoints of `service` (a pod became ready, crashed, ...). */
  endpointsChanged(service: ServiceRuntime): void;
  /** The control plane took in config version `version` (a `changes` entry): propagate it to the proxies. */
  configChanged(version: number): void;
  /** Brings every reachable proxy up to date with the current config and endpoints. */
  resync(): void;
  /** A proxy went away (its pod crashed); forget its streams. */
  disconnectProxy(proxy: Proxy): void;
  /**
   * A CSR reached the CA: it is signed after `waitMs` (0: at once), or refused because the CA's
   * rate limit has no room (Consul CSRMaxPerSecond, FIDELITY-MORE I2). Without it, CSRs are signed at once.
   */
  admitCsr?(proxy: Proxy): { waitMs: number } | { refused: string; cause: Cause };
  /** Runs `run` now if the control plane is up, else when it is back (before its resync). */
  whenUp(run: () => void): void;
}

/** How a proxy's first contact looks in one mesh: where it goes and what the flights say. */
export interface ProxyHello {
  /** The control-plane node the proxy's stream goes to. */
  to: NodeId;
  request: { label: string; detail?: Record<string, string | number> };
  reply: { label: string; detail?: Record<string, string | number> };
  /** Whether the reply carries every service's endpoints (xDS EDS) or only the proxy's own config. */
  endpoints: boolean;
  connected?: (proxy: Proxy) => void;
}

/** Pods of a service that Kubernetes lists as ready endpoints right now. */
export function readyEndpoints(service: ServiceRuntime): Pod[] {
  return service.pods.filter((p) => p.up && p.ready);
}

/** Whether Kubernetes lists any ready endpoint of `service` right now ({@link readyEndpoints} is not empty). */
export function hasReadyEndpoint(service: ServiceRuntime): boolean {
  for (const p of service.pods) if (p.up && p.ready) return true;
  return false;
}

/**
 * What every control plane shares: being up or down, and the work that waits while it is down
 * (proxies starting, lookups) and runs when it is back, followed by a resync of every proxy.
 */
export abstract class ControlPlaneBase {
  up = true;
  /** Work that came while the control plane was down; runs when it is back. */
  protected waiting: (() => void)[] = [];

  constructor(protected readonly world: World) {}

  /** Node, cause and words for the stop and restart decisions. */
  protected abstract readonly outage: { node: NodeId; cause: Cause; down: string; up: string };

  /** The node where the sidecar injector decides (istiod, Linkerd's proxy-injector, Consul's injector). */
  protected abstract readonly injectorNode: NodeId;

  admit(pod: Pod): void {
    const inj = this.world.profile.injection(pod);
    this.world.decide({
      node: this.injectorNode,
      layer: 'injector',
      kind: inj.injected ? 'inject' : 'skip-injection',
      summary: inj.summary,
      cause: inj.cause,
      data: { pod: pod.name },
    });
  }

  /**
   * A proxy's first contact with the control plane: it starts on the current config version; its
   * discovery request flies to `hello.to` and, if the control plane is up and the link holds, the
   * config flies back and the proxy is synced (with every service's ready endpoints when
   * `hello.endpoints`); otherwise it asks again once the control plane is back. With `warm` the
   * proxy was connected before the run began: no flights, synced at once (every pod listed).
   * `hello.connected` learns of each proxy that gets a stream.
   */
  private warmTable: ReadonlyMap<string, Pod[]> | undefined;

  /**
   * Every service's pods running before the run began (one a later change deploys is not), by
   * service: one table every warm proxy shares (read, never changed, as deliver() shares its
   * snapshot; a proxy copies it before it changes an entry).
   */
  private warmEndpoints(): ReadonlyMap<string, Pod[]> {
    if (this.warmTable) return this.warmTable;
    const table = new Map<string, Pod[]>();
    for (const s of this.world.services.values())
      table.set(
        s.name,
        s.pods.filter((p) => p.deployedBy === undefined),
      );
    return (this.warmTable = table);
  }

  protected hello(proxy: Proxy, onSynced: () => void, warm: boolean, hello: ProxyHello): void {
    const w = this.world;
    proxy.configVersion = proxy.startConfigVersion = w.configs.length - 1;
    if (warm) {
      hello.connected?.(proxy);
      // Every pod running before the run began is listed; one a later change deploys is not there yet.
      // The table is the same for every proxy: made once, not once per proxy and service.
      if (hello.endpoints) proxy.shareEndpoints(this.warmEndpoints());
      proxy.configActor?.send({ type: 'config.applied' });
      return onSynced();
    }
    const arrive = w.flight({ kind: 'discovery', from: proxy.node, to: hello.to, delayMs: w.linkMs, ...hello.request });
    w.scheduler.at(arrive, () => {
      if (!this.up || w.linkCut(proxy.name, 'control-plane')) {
        // The proxy (or its agent) keeps retrying; it connects once the control plane is back.
        this.waiting.push(() => this.hello(proxy, onSynced, false, hello));
        return;
      }
      hello.connected?.(proxy);
      const version = w.configs.length - 1;
      w.scheduler.at(w.flight({ kind: 'config', from: hello.to, to: proxy.node, delayMs: w.linkMs, ...hello.reply }), () => {
        if (!proxy.up) return;
        proxy.configVersion = proxy.startConfigVersion = version;
        if (hello.endpoints) for (const s of w.services.values()) proxy.setEndpoints(s.name, readyEndpoints(s));
        proxy.configActor?.send({ type: 'config.applied' });
        onSynced();
      });
    });
  }

  /** Brings every proxy up to date: after a restart, or when a proxy cut off from it is back. */
  abstract resync(): void;

  whenUp(run: () => void): void {
    if (this.up) run();
    else this.waiting.push(run);
  }

  setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    const o = this.outage;
    this.world.decide({ node: o.node, layer: 'controlPlane', kind: up ? 'up' : 'down', summary: up ? o.up : o.down, cause: o.cause });
    if (!up) return;
    for (const run of this.waiting.splice(0)) run();
    this.resync();
  }
}

/**
 * A control plane that sends every connected proxy the whole mesh's config and endpoints (istiod's
 * xDS, Consul's servers): it remembers what changed, and when its batching window closes pushes
 * it to every proxy with a stream.
 */
export abstract class PushingControlPlane extends ControlPlaneBase {
  /** Proxies with a stream open, by name. */
  protected readonly connected = new Map<string, Proxy>();
  /** Services whose endpoints changed since the last push. */
  protected readonly pendingServices = new Set<string>();
  /** A config version waiting for the next push. */
  protected pendingConfig: number | null = null;

  /** Opens (or extends) the batching window; the push follows when it closes. */
  protected abstract batch(): void;

  /** Something changed: every connected proxy's config goes stale until the push reaches it. */
  protected changed(): void {
    for (const p of this.connected.values()) p.configActor?.send({ type: 'config.changed' });
    this.batch();
  }

  resync(): void {
    this.pendingConfig = this.world.configs.length - 1;
    for (const s of this.world.services.values()) this.pendingServices.add(s.name);
    this.changed();
  }

  disconnectProxy(proxy: Proxy): void {
    this.connected.delete(proxy.name);
  }

  canReach(proxy: Proxy, service: ServiceRuntime): boolean {
    return proxy.up && proxy.endpointsOf(service.name).length > 0;
  }

  endpointsChanged(service: ServiceRuntime): void {
    this.pendingServices.add(service.name);
    if (this.up) this.changed();
  }

  /** What the next push carries, taken: the services whose endpoints changed, and the config version (or null). */
  protected takePending(): { services: string[]; version: number | null } {
    const taken = { services: [...this.pendingServices], version: this.pendingConfig };
    this.pendingServices.clear();
    this.pendingConfig = null;
    return taken;
  }

  /**
   * Sends `version` (if any) and the ready endpoints of `services` from `from` to every connected
   * proxy whose link holds (one cut off stays stale until the link is mended); each applies them on
   * arrival unless it restarted on the way.
   */
  protected deliver(from: NodeId, services: readonly string[], version: number | null, label: string): void {
    const w = this.world;
    const snapshot = services.map((name) => [name, readyEndpoints(w.services.get(name)!)] as const);
    for (const p of this.connected.values()) {
      if (w.linkCut(p.name, 'control-plane')) continue;
      const generation = p.generation;
      const arrive = w.flight({
        kind: 'config',
        from,
        to: p.node,
        delayMs: w.linkMs,
        label,
        detail: Object.fromEntries(snapshot.map(([n, eps]) => [n, eps.map((e) => e.name).join(' ') || '(none)'])),
      });
      w.scheduler.at(arrive, () => {
        if (!sameLife(p, generation)) return;
        for (const [name, eps] of snapshot) p.setEndpoints(name, eps);
        const previous = p.configVersion;
        if (version !== null) p.configVersion = version;
        p.configActor?.send({ type: 'config.applied' });
        if (p.configVersion !== previous) w.dataPlane.configApplied?.(w, p, previous);
        w.configApplied();
      });
    }
  }
}
