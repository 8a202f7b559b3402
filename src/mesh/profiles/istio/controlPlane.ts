/**
 * istiod as the data plane sees it (FIDELITY F1): the sidecar-injector webhook, the CA that signs
 * agents' CSRs (identity.ts does the flow), and Pilot, which streams config to every proxy over
 * xDS. A change in the registry is debounced — pushed 100 ms after the last change, or 10 s after
 * the first at the latest (PILOT_DEBOUNCE_AFTER / PILOT_DEBOUNCE_MAX) — and then pushed to all
 * connected proxies, each receiving it one link-latency later; until then a proxy is stale.
 */
import { ControlPlaneBase, type ControlPlane } from '../../controlPlane.ts';
import { readyEndpoints } from '../../controlPlane.ts';
import type { Pod, ServiceRuntime } from '../../types.ts';
import type { Proxy } from '../../proxy/Proxy.ts';
import { defaultCause } from '../../cause.ts';
import type { Cause } from '../../../sim/index.ts';

export const ISTIOD = 'istiod';
const DEBOUNCE_AFTER_MS = 100; // FIDELITY F1: PILOT_DEBOUNCE_AFTER
const DEBOUNCE_MAX_MS = 10_000; // FIDELITY F1: PILOT_DEBOUNCE_MAX
const PUSH_CAUSE = defaultCause('istiod debounce: 100ms quiet period, 10s at most', 'FIDELITY F1: pilot/pkg/features PILOT_DEBOUNCE_AFTER, PILOT_DEBOUNCE_MAX');

/**
 * What differs between control planes that push Envoy config this way (istiod; OSM's
 * osm-controller): their node, name, batching window and the words of their flights.
 */
export interface XdsPushSettings {
  node: string;
  /** `istiod`, `osm-controller`: how decisions name it. */
  name: string;
  /** Push this long after the last change… */
  debounceAfterMs: number;
  /** …or this long after the first, at the latest. */
  debounceMaxMs: number;
  cause: Cause;
  /** The Envoy node id a proxy announces (`sidecar~reviews-0.default`). */
  nodeId(proxy: Proxy): string;
  outage: { down: string; up: string };
}

/** istiod's settings (FIDELITY F1). */
export const ISTIOD_PUSH: XdsPushSettings = {
  node: ISTIOD,
  name: 'istiod',
  debounceAfterMs: DEBOUNCE_AFTER_MS,
  debounceMaxMs: DEBOUNCE_MAX_MS,
  cause: PUSH_CAUSE,
  nodeId: (proxy) => `sidecar~${proxy.name}.${proxy.namespace}`,
  outage: {
    down: 'istiod stopped: no certificates are signed and no config is pushed; proxies keep their last config',
    up: 'istiod is back: proxies reconnect and get the current config',
  },
};

export class Istiod extends ControlPlaneBase implements ControlPlane {
  private readonly connected = new Map<string, Proxy>();
  private debounceStart: number | null = null;
  private debounceTimer: number | null = null;
  private pendingServices = new Set<string>();
  /** A config version waiting for the debounced push. */
  private pendingConfig: number | null = null;

  constructor(
    world: ConstructorParameters<typeof ControlPlaneBase>[0],
    private readonly settings: XdsPushSettings = ISTIOD_PUSH,
  ) {
    super(world);
  }

  admit(pod: Pod): void {
    const inj = this.world.profile.injection(pod);
    this.world.decide({
      node: this.settings.node,
      layer: 'injector',
      kind: inj.injected ? 'inject' : 'skip-injection',
      summary: inj.summary,
      cause: inj.cause,
      data: { pod: pod.name },
    });
  }

  connectProxy(proxy: Proxy, onSynced: () => void, warm = false): void {
    const w = this.world;
    proxy.configVersion = proxy.startConfigVersion = w.configs.length - 1;
    if (warm) {
      this.connected.set(proxy.name, proxy);
      // Every pod was running before the run began, so the pushed endpoints list them all.
      for (const s of w.services.values()) proxy.endpoints.set(s.name, [...s.pods]);
      proxy.configActor?.send({ type: 'config.applied' });
      return onSynced();
    }
    const arrive = w.flight({
      kind: 'discovery',
      from: proxy.node,
      to: this.settings.node,
      delayMs: w.linkMs,
      label: 'xDS stream (ADS)',
      detail: { node: this.settings.nodeId(proxy) },
    });
    w.scheduler.at(arrive, () => {
      if (!this.up || w.linkCut(proxy.name, 'control-plane')) {
        // The agent keeps retrying; it connects once istiod is back.
        this.waiting.push(() => this.connectProxy(proxy, onSynced));
        return;
      }
      this.connected.set(proxy.name, proxy);
      const back = w.flight({
        kind: 'config',
        from: this.settings.node,
        to: proxy.node,
        delayMs: w.linkMs,
        label: 'CDS/EDS/LDS/RDS',
        detail: { services: w.services.size },
      });
      const version = w.configs.length - 1;
      w.scheduler.at(back, () => {
        if (!proxy.up) return;
        proxy.configVersion = proxy.startConfigVersion = version;
        for (const s of w.services.values()) proxy.endpoints.set(s.name, readyEndpoints(s));
        proxy.configActor?.send({ type: 'config.applied' });
        onSynced();
      });
    });
  }

  protected get outage() {
    return { node: this.settings.node, cause: this.settings.cause, down: this.settings.outage.down, up: this.settings.outage.up };
  }

  resync(): void {
    const w = this.world;
    this.pendingConfig = w.configs.length - 1;
    for (const s of w.services.values()) this.pendingServices.add(s.name);
    this.debounce();
  }

  disconnectProxy(proxy: Proxy): void {
    this.connected.delete(proxy.name);
  }

  discover(_proxy: Proxy, _service: ServiceRuntime, ready: () => void): void {
    ready(); // istiod already pushed every service's config to every proxy (no Sidecar scoping).
  }

  canReach(proxy: Proxy, service: ServiceRuntime): boolean {
    return proxy.up && proxy.endpointsOf(service.name).length > 0;
  }

  endpointsChanged(service: ServiceRuntime): void {
    this.pendingServices.add(service.name);
    if (this.up) this.debounce();
  }

  configChanged(version: number): void {
    this.pendingConfig = version;
    if (!this.up) return;
    this.world.decide({
      node: this.settings.node,
      layer: 'push',
      kind: 'config-change',
      summary: `${this.settings.name} sees config version ${version}; the push waits for the debounce`,
      cause: this.settings.cause,
    });
    this.debounce();
  }

  /** FIDELITY F1: push 100 ms after the last change, or 10 s after the first at the latest (istiod's settings). */
  private debounce(): void {
    const w = this.world;
    for (const p of this.connected.values()) p.configActor?.send({ type: 'config.changed' });
    const now = w.now;
    this.debounceStart ??= now;
    if (this.debounceTimer !== null) w.scheduler.cancel(this.debounceTimer);
    const at = Math.min(now + this.settings.debounceAfterMs, this.debounceStart + this.settings.debounceMaxMs);
    this.debounceTimer = w.scheduler.at(at, () => this.push());
  }

  private push(): void {
    const w = this.world;
    this.debounceTimer = null;
    if (!this.up) return; // kept pending: pushed when istiod is back
    const services = [...this.pendingServices];
    const version = this.pendingConfig;
    const waited = w.now - (this.debounceStart ?? w.now);
    this.pendingServices.clear();
    this.pendingConfig = null;
    this.debounceStart = null;
    const what = [version !== null ? `LDS/RDS/CDS (config v${version})` : '', services.length ? `EDS for ${services.join(', ')}` : '']
      .filter(Boolean)
      .join(' and ');
    w.decide({
      node: this.settings.node,
      layer: 'push',
      kind: 'config-push',
      summary: `push ${what} to ${this.connected.size} proxies after ${waited}ms debounce`,
      cause: this.settings.cause,
    });
    const snapshot = services.map((name) => [name, readyEndpoints(w.services.get(name)!)] as const);
    for (const p of this.connected.values()) {
      if (w.linkCut(p.name, 'control-plane')) continue; // stays stale until the link is mended
      const generation = p.generation;
      const arrive = w.flight({
        kind: 'config',
        from: this.settings.node,
        to: p.node,
        delayMs: w.linkMs,
        label: version !== null ? `xDS push (v${version})` : `EDS push: ${services.join(', ')}`,
        detail: Object.fromEntries(snapshot.map(([n, eps]) => [n, eps.map((e) => e.name).join(' ') || '(none)'])),
      });
      w.scheduler.at(arrive, () => {
        if (!p.up || p.generation !== generation) return;
        for (const [name, eps] of snapshot) p.endpoints.set(name, eps);
        if (version !== null) p.configVersion = version;
        p.configActor?.send({ type: 'config.applied' });
        w.configApplied();
      });
    }
  }
}
