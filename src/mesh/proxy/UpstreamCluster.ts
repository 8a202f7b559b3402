/**
 * What a client proxy keeps per upstream cluster — a service, or one subset of it (Envoy's
 * `outbound|80|v1|reviews...`): the balancer's state, the pool counters its limits apply to, the
 * passive health tracker, and the retries in flight (for maxRetries).
 */
import type { World } from '../world.ts';
import type { Proxy } from './Proxy.ts';
import { BalancerState } from './balancers.ts';
import type { PoolCounters } from './connections.ts';
import type { HealthTracker } from './health/tracker.ts';
import { OutlierDetector } from './health/outlierDetector.ts';
import { FailureAccrual } from './health/failureAccrual.ts';

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
    this.health =
      health?.kind === 'outlier-detection'
        ? new OutlierDetector(world, proxy, health)
        : health?.kind === 'failure-accrual'
          ? new FailureAccrual(world, proxy, health)
          : null;
  }
}
