/**
 * What a client proxy keeps per upstream cluster — a service, or one subset of it (Envoy's
 * `outbound|80|v1|reviews...`): the balancer's state, the pool counters its limits apply to, the
 * passive health tracker, and the retries in flight (for maxRetries).
 */
import type { World } from '../world.ts';
import type { Proxy } from './Proxy.ts';
import { BalancerState } from './balancers.ts';
import type { PoolCounters } from './connections.ts';
import type { HealthPolicy } from '../config.ts';
import { trackerMaker, type HealthTracker } from './health/tracker.ts';
import { OutlierDetector } from './health/outlierDetector.ts';

export class UpstreamCluster {
  readonly balancer: BalancerState;
  readonly counters: PoolCounters;
  readonly health: HealthTracker | null;
  /** Retries in flight to this cluster. */
  retries = 0;

  constructor(
    world: World,
    proxy: Proxy,
    readonly service: string,
    readonly subset: string | undefined,
  ) {
    const config = proxy.config;
    this.balancer = new BalancerState(config.balancer(service, subset));
    this.counters = { limits: config.pool(service, subset, proxy), connections: 0, active: 0, pending: 0 };
    const health = config.health(service, subset, proxy);
    this.health = !health ? null : health.kind === 'outlier-detection' ? new OutlierDetector(world, proxy, health) : trackerFor(world, proxy, health);
  }
}

function trackerFor(world: World, proxy: Proxy, policy: HealthPolicy): HealthTracker {
  const make = trackerMaker(policy.kind);
  if (!make) throw new Error(`no health tracker for "${policy.kind}" policies: the mesh profile that writes them registers one (registerHealthTracker)`);
  return make(world, proxy, policy);
}
