/**
 * Passive health checking as a client proxy does it: judge each endpoint of a cluster by the
 * responses it returns, and keep failing ones out of load balancing for a while. Istio's outlier
 * detection and Linkerd's failure accrual implement this interface; the load-balance layer only
 * asks which endpoints are usable and reports what came back.
 */
import { startChartActor } from '../../../sim/index.ts';
import { endpointHealthChart, type EndpointHealthEvent } from '../../machines/charts.ts';
import type { HealthPolicy } from '../../config.ts';
import type { HttpResponse, Pod } from '../../types.ts';
import type { World } from '../../world.ts';
import type { Proxy } from '../Proxy.ts';

export interface HealthTracker {
  /** The policy this tracker applies: which kind (tell trackers apart by `policy.kind`, never by class name, which minifiers rename) and its cause. */
  readonly policy: HealthPolicy;
  /** The endpoints the balancer may pick now; `note` explains a panic or an empty set. */
  usable(endpoints: readonly Pod[]): { pods: Pod[]; note?: string };
  /** An attempt was dispatched to `pod`. */
  dispatched(pod: Pod, requestId: string): void;
  /** The attempt to `pod` ended with `res`; `hosts` is the cluster's endpoint count. */
  observe(pod: Pod, res: HttpResponse, hosts: number, requestId: string): void;
}

type TrackerMaker = (world: World, proxy: Proxy, policy: HealthPolicy) => HealthTracker;
/**
 * Trackers of a kind only one mesh's profile writes, registered by that profile's module when it
 * loads (Linkerd's failure accrual: its code is not in the first play of a page under Istio).
 */
const makers = new Map<HealthPolicy['kind'], TrackerMaker>();

/** Registers how to track endpoints under policies of `kind` (called by the profile that writes them). */
export function registerHealthTracker(kind: HealthPolicy['kind'], make: TrackerMaker): void {
  makers.set(kind, make);
}

/** How to track endpoints under policies of `kind`, if a profile registered it. */
export function trackerMaker(kind: HealthPolicy['kind']): TrackerMaker | undefined {
  return makers.get(kind);
}

/** Per-endpoint machine, created on first use so quiet clusters cost nothing. */
export class HealthMachines {
  private readonly actors = new Map<string, ReturnType<typeof startChartActor>>();

  constructor(
    private readonly world: World,
    private readonly proxy: Proxy,
  ) {}

  send(pod: Pod, event: EndpointHealthEvent): void {
    let actor = this.actors.get(pod.name);
    if (!actor) {
      actor = startChartActor(endpointHealthChart, {
        scheduler: this.world.scheduler,
        recorder: this.world.recorder,
        entity: `health:${this.proxy.name}→${pod.name}`,
        node: this.proxy.node,
        peer: this.world.receiverOf(pod),
      });
      this.actors.set(pod.name, actor);
    }
    actor.send(event);
  }
}

/** A failed outcome for passive health checking: a 5xx, or no response at all. */
export function isFailure(res: HttpResponse): boolean {
  return res.status >= 500 || res.status === 0 || res.failure !== undefined;
}
