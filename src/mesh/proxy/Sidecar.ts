/**
 * A pod's sidecar proxy: its view of the mesh (the endpoints and config the control plane has
 * pushed to it, which can lag), its connections, its balancer state and retry budgets. Requests
 * from its app go through the outbound pipeline; requests to its pod through the inbound one.
 */
import type { NodeId, Rng } from '../../sim/index.ts';
import type { RouteRule, Backend, RetryBudget } from '../config.ts';
import type { HttpRequest, HttpResponse, Pod } from '../types.ts';
import type { World } from '../world.ts';
import type { CompiledMesh } from '../profiles/types.ts';
import { ConnectionPool } from './connections.ts';
import { UpstreamCluster } from './UpstreamCluster.ts';
import { outbound } from './pipeline.ts';
import type { Exchange, RequestState } from './exchange.ts';
import { pickBackend } from './layers/routeLayer.ts';

/** Sliding-window retry budget (Linkerd ServiceProfile retryBudget, FIDELITY B3). */
export class RetryBudgetState {
  private requests: number[] = [];
  private retries: number[] = [];

  deposit(nowMs: number, ttlMs: number): void {
    this.requests.push(nowMs);
    this.trim(nowMs, ttlMs);
  }

  /** Takes one retry from the budget if there is room. */
  withdraw(nowMs: number, b: RetryBudget): boolean {
    this.trim(nowMs, b.ttlMs);
    const allowed = b.minPerSec * (b.ttlMs / 1000) + b.ratio * this.requests.length;
    if (this.retries.length >= allowed) return false;
    this.retries.push(nowMs);
    return true;
  }

  private trim(nowMs: number, ttlMs: number): void {
    const from = nowMs - ttlMs;
    while (this.requests.length > 0 && this.requests[0]! <= from) this.requests.shift();
    while (this.retries.length > 0 && this.retries[0]! <= from) this.retries.shift();
  }
}

export class Sidecar {
  readonly node: NodeId;
  readonly rng: Rng;
  readonly pool: ConnectionPool;
  /** Endpoints this proxy knows, by service (from xDS EDS or the destination watch). */
  readonly endpoints = new Map<string, Pod[]>();
  private readonly clusters = new Map<string, UpstreamCluster>();
  private readonly budgets = new Map<string, RetryBudgetState>();
  private readonly tlsSeen = new Map<string, boolean>();

  constructor(
    readonly world: World,
    readonly pod: Pod,
    /** Requests one connection carries at once: 1 for HTTP/1.1, Infinity for HTTP/2. */
    streamsPerConnection: number,
  ) {
    this.node = pod.proxyNode;
    this.rng = world.rng.fork(`proxy:${pod.name}:${pod.generation}`);
    this.pool = new ConnectionPool(world, pod, this.node, streamsPerConnection);
  }

  /** A request from this pod's app enters the outbound pipeline; `done` gets the answer and the attempts made. */
  send(req: HttpRequest, done: (res: HttpResponse, attempts: number) => void): void {
    const request: RequestState = { done: false, tried: [], attempts: 0, abortAttempt: undefined };
    const ex: Exchange = {
      world: this.world,
      proxy: this,
      req,
      request,
      service: undefined,
      external: undefined,
      rule: undefined,
      backend: undefined,
      attempt: 1,
      abandoned: false,
      cluster: undefined,
      endpoint: undefined,
      mtls: false,
      abort: undefined,
    };
    outbound(ex, (res) => {
      request.done = true;
      done(res, Math.max(1, request.attempts));
    });
  }

  endpointsOf(service: string): Pod[] {
    return this.endpoints.get(service) ?? [];
  }

  /** The config this proxy runs with: the version the control plane last got to it. */
  get config(): CompiledMesh {
    return this.world.configOf(this.pod);
  }

  /** The upstream cluster for a service, or one of its subsets (rebuilt when the config changes). */
  cluster(service: string, subset?: string): UpstreamCluster {
    const key = `${this.pod.configVersion}|${service}|${subset ?? ''}`;
    let c = this.clusters.get(key);
    if (!c) this.clusters.set(key, (c = new UpstreamCluster(this.world, this, service, subset)));
    return c;
  }

  budget(service: string): RetryBudgetState {
    let b = this.budgets.get(service);
    if (!b) this.budgets.set(service, (b = new RetryBudgetState()));
    return b;
  }

  rechooseBackend(rule: RouteRule): Backend | undefined {
    return pickBackend(rule.backends, this.rng.next());
  }

  private readonly routed = new Set<string>();
  private readonly egressed = new Set<string>();

  /** True the first time this proxy sends to outside host `host`. */
  firstEgress(host: string): boolean {
    if (this.egressed.has(host)) return false;
    this.egressed.add(host);
    return true;
  }

  /** True the first time this proxy routes to `service`. */
  firstRoute(service: string): boolean {
    if (this.routed.has(service)) return false;
    this.routed.add(service);
    return true;
  }

  /** True the first time (or when it changes) that this proxy uses mTLS / plaintext toward `pod`. */
  decideTls(pod: string, mtls: boolean): boolean {
    if (this.tlsSeen.get(pod) === mtls) return false;
    this.tlsSeen.set(pod, mtls);
    return true;
  }
}
