/**
 * The control plane as the data plane sees it. Each profile implements it (istiod; Linkerd's
 * identity, destination and proxy-injector); the pods and proxies only call these methods. It
 * talks to proxies — whatever their kind — not to pods: admission is the one thing it does to a pod.
 */
import type { Cause, NodeId } from '../sim/index.ts';
import type { Pod, ServiceRuntime } from './types.ts';
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

/** Pods of a service that Kubernetes lists as ready endpoints right now. */
export function readyEndpoints(service: ServiceRuntime): Pod[] {
  return service.pods.filter((p) => p.up && p.ready);
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
