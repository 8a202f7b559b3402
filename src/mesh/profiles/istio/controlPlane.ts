/**
 * istiod as the data plane sees it (FIDELITY F1): the sidecar-injector webhook, the CA that signs
 * agents' CSRs (identity.ts does the flow), and Pilot, which streams config to every proxy over
 * xDS. A change in the registry is debounced — pushed 100 ms after the last change, or 10 s after
 * the first at the latest (PILOT_DEBOUNCE_AFTER / PILOT_DEBOUNCE_MAX) — and then pushed to all
 * connected proxies, each receiving it one link-latency later; until then a proxy is stale.
 */
import { PushingControlPlane, type ControlPlane } from '../../controlPlane.ts';
import type { ServiceRuntime } from '../../types.ts';
import type { Proxy } from '../../proxy/Proxy.ts';
import { defaultCause } from '../../cause.ts';
import type { Cause, NodeId } from '../../../sim/index.ts';

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

export class Istiod extends PushingControlPlane implements ControlPlane {
  private debounceStart: number | null = null;
  private debounceTimer: number | null = null;

  constructor(
    world: ConstructorParameters<typeof PushingControlPlane>[0],
    private readonly settings: XdsPushSettings = ISTIOD_PUSH,
  ) {
    super(world);
  }

  protected get injectorNode(): NodeId {
    return this.settings.node;
  }

  connectProxy(proxy: Proxy, onSynced: () => void, warm = false): void {
    this.hello(proxy, onSynced, warm, {
      to: this.settings.node,
      request: { label: 'xDS stream (ADS)', detail: { node: this.settings.nodeId(proxy) } },
      reply: { label: 'CDS/EDS/LDS/RDS', detail: { services: this.world.services.size } },
      endpoints: true,
      connected: (p) => this.connected.set(p.name, p),
    });
  }

  protected get outage() {
    return { node: this.settings.node, cause: this.settings.cause, down: this.settings.outage.down, up: this.settings.outage.up };
  }

  discover(_proxy: Proxy, _service: ServiceRuntime, ready: () => void): void {
    ready(); // istiod already pushed every service's config to every proxy (no Sidecar scoping).
  }

  discovered(): boolean {
    return true;
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
    this.changed();
  }

  /** FIDELITY F1: push 100 ms after the last change, or 10 s after the first at the latest (istiod's settings). */
  protected batch(): void {
    const w = this.world;
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
    const { services, version } = this.takePending();
    const waited = w.now - (this.debounceStart ?? w.now);
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
    this.deliver(this.settings.node, services, version, version !== null ? `xDS push (v${version})` : `EDS push: ${services.join(', ')}`);
  }
}
