/**
 * Retry layer: sends the first attempt, and decides after each failed one whether to try again —
 * which failures the policy retries, how many retries remain, whether the body is small enough
 * (Linkerd: 64 KiB) and the budget has room (Linkerd ServiceProfile), and how long to back off
 * (Envoy's jittered exponential backoff). Every choice is a decision naming the policy's source.
 */
import type { RetryCondition, RetryPolicy, RouteRule } from '../../config.ts';
import { expBackoffMs } from '../../backoff.ts';
import type { HttpResponse } from '../../types.ts';
import { addTry, type Exchange, type OutboundLayer, type Respond } from '../exchange.ts';
import type { Proxy } from '../Proxy.ts';
import type { UpstreamCluster } from '../UpstreamCluster.ts';
import { isFailure } from '../health/tracker.ts';
import { isOk } from '../../outcomes.ts';

/** Whether the policy retries this outcome, and the words for why. */
export function classify(policy: RetryPolicy, res: HttpResponse): { retry: boolean; why: string } {
  // Envoy router retry_policy wouldRetryFromReset: "we never retry if the reset reason is overflow".
  if (res.overflow) return { retry: false, why: 'Envoy never retries its own circuit-breaker refusal (overflow)' };
  if (res.final) return { retry: false, why: 'timeouts of this kind are never retried' };
  const has = (kind: RetryCondition['kind']): boolean => policy.conditions.some((c) => c.kind === kind);
  if (res.failure) {
    const kind = res.failure;
    return has(kind)
      ? { retry: true, why: `${kind} is retried (${policy.conditionsText})` }
      : { retry: false, why: `${kind} is not in the retry conditions (${policy.conditionsText})` };
  }
  const hit = policy.conditions.some((c) => c.kind === 'status' && res.status >= c.from && res.status <= c.to);
  return hit
    ? { retry: true, why: `${res.status} is retried (${policy.conditionsText})` }
    : { retry: false, why: `${res.status} is not retried (${policy.conditionsText})` };
}

/**
 * Whether an attempt's outcome is a failure on this route: by the route's own response classes
 * when it has them (linkerd2-proxy app/core/src/classify.rs: no response is an error, a failure),
 * else a 5xx or no response.
 */
export function failedOn(rule: RouteRule | undefined, res: HttpResponse): boolean {
  const f = rule?.failureStatuses;
  if (!f) return isFailure(res);
  return res.status === 0 || res.failure !== undefined || f.ranges.some((r) => res.status >= r.from && res.status <= r.to);
}

/**
 * The wait before retry n. Envoy: uniform [0, min((2^n − 1)·base, max)) ms (FIDELITY B1,
 * router_filter.rst); Linkerd route retries: linkerd-exp-backoff from the first retry.
 */
export function backoffMs(policy: Pick<RetryPolicy, 'backoff'>, retry: number, u: number): number {
  if (policy.backoff.kind === 'none') return 0;
  if (policy.backoff.kind === 'exponential') return expBackoffMs(policy.backoff, retry - 1, u);
  const { baseMs, maxMs } = policy.backoff;
  const ceiling = Math.min((2 ** retry - 1) * baseMs, maxMs);
  return Math.floor(u * ceiling);
}

export const retryLayer: OutboundLayer = {
  name: 'retry',
  wrap: (next) => (ex, respond) => {
    const policy = ex.rule?.retry ?? null;
    const { proxy, req } = ex;
    /** `counted`: the cluster whose retries-in-flight count this retry holds (taken when it was decided). */
    const attempt = (n: number, counted?: UpstreamCluster): void => {
      // Every field, in Exchange's order: all attempts share one object shape.
      const ax: Exchange = {
        world: ex.world,
        proxy,
        req,
        request: ex.request,
        service: ex.service,
        external: ex.external,
        rule: ex.rule,
        backend: n > 1 && policy?.rechooseBackend && ex.rule ? proxy.rechooseBackend(ex.rule) : ex.backend,
        attempt: n,
        abandoned: false,
        cluster: undefined,
        endpoint: undefined,
        hop: undefined,
        mtls: false,
        abort: undefined,
        connection: undefined,
      };
      ex.request.attempts = n;
      // A retry counts against its cluster's maxRetries (or retry budget) from the moment it is
      // decided, through its backoff, until its attempt ends (Envoy RetryStateImpl::shouldRetry
      // takes retries().inc() before arming the backoff timer).
      const startMs = ex.world.now;
      next(ax, (res) => {
        if (counted) counted.retries--;
        // The run report's per-attempt record: which pod served it, and how it ended.
        // A route that classifies responses (Linkerd responseClasses) says which attempts failed; metrics follow it (FIDELITY G2).
        const classified = ax.rule?.failureStatuses ? failedOn(ax.rule, res) : undefined;
        const pod = res.loopback ? null : (ax.endpoint?.name ?? null);
        const endMs = ex.world.now;
        addTry(
          ex.request,
          classified === undefined
            ? { attempt: n, pod, status: res.status, startMs, endMs }
            : { attempt: n, pod, status: res.status, startMs, endMs, failure: classified },
        );
        if (ex.service) {
          const edge = proxy.world.stats.edge(proxy.sourceOf(req).service.name, ex.service.name);
          edge.attempts++;
          if (classified === undefined ? isOk(res.status) : !classified) edge.ok++;
        }
        if (ex.request.done) return;
        after(ax, res, n, policy, proxy, respond, attempt);
      });
    };
    attempt(1);
  },
};

/**
 * linkerd2-proxy http/retry.rs RetryPolicy::retry: every response that is not retried deposits
 * into the budget (a success, a failure the route does not retry, a body too large to replay);
 * a retryable failure withdraws instead, and deposits nothing even when the budget is spent.
 */
function depositOf(ax: Exchange, policy: RetryPolicy | null, proxy: Proxy): void {
  if (policy?.budget && ax.service) proxy.budget(ax.service.name).deposit(ax.world.now, policy.budget.ttlMs);
}

function after(
  ax: Exchange,
  res: HttpResponse,
  n: number,
  policy: RetryPolicy | null,
  proxy: Proxy,
  respond: Respond,
  attempt: (n: number, counted?: UpstreamCluster) => void,
): void {
  const { world, req } = ax;
  if (!failedOn(ax.rule, res)) {
    depositOf(ax, policy, proxy);
    return respond(res);
  }
  const node = proxy.node;
  const meta = { requestId: req.id, attempt: n };
  const deposit = (): void => depositOf(ax, policy, proxy);
  if (!policy) {
    if (ax.rule?.noRetryCause)
      world.decide({
        node,
        layer: 'retry',
        kind: 'no-retry',
        summary: `${res.status || res.failure} not retried: no retry policy`,
        cause: ax.rule.noRetryCause,
        ...meta,
      });
    return respond(res);
  }
  const verdict = classify(policy, res);
  if (!verdict.retry) {
    world.decide({ node, layer: 'retry', kind: 'no-retry', summary: `${res.status || res.failure} not retried: ${verdict.why}`, cause: policy.cause, ...meta });
    deposit();
    return respond(res);
  }
  const retriesDone = n - 1;
  if (retriesDone >= policy.maxRetries) {
    world.decide({
      node,
      layer: 'retry',
      kind: 'retries-exhausted',
      summary: `retry limit reached (${policy.maxRetries} of ${policy.maxRetries}); returning ${res.status || res.failure}`,
      cause: policy.cause,
      ...meta,
    });
    const flag = world.profile.replies.retriesExhaustedFlag;
    return respond(flag && policy.maxRetries > 0 ? { ...res, reason: `${flag} retry limit exceeded (${res.reason ?? `upstream ${res.status}`})` } : res);
  }
  if (policy.maxBodyBytes !== undefined && req.bodyBytes > policy.maxBodyBytes) {
    world.decide({
      node,
      layer: 'retry',
      kind: 'no-retry',
      summary: `not retried: body of ${req.bodyBytes} bytes is over ${policy.maxBodyBytes / 1024} KiB`,
      cause: policy.cause,
      ...meta,
    });
    deposit();
    return respond(res);
  }
  if (policy.budget && ax.service && !proxy.budget(ax.service.name).withdraw(world.now, policy.budget)) {
    world.decide({
      node,
      layer: 'retry',
      kind: 'retry-budget-exhausted',
      summary: `not retried: retry budget spent (${Math.round(policy.budget.ratio * 100)}% + ${policy.budget.minPerSec}/s over ${policy.budget.ttlMs / 1000}s)`,
      cause: policy.cause,
      ...meta,
    });
    return respond(res);
  }
  const cluster = ax.backend ? proxy.cluster(ax.backend.service, ax.backend.subset?.name) : undefined;
  const limits = cluster?.counters.limits;
  // FIDELITY C1: maxRetries bounds retries in flight to the cluster — or, when the DestinationRule
  // sets a retryBudget (Istio 1.27+, FIDELITY B1), max(percent of active + pending requests,
  // minRetryConcurrency) does instead (Envoy resource_manager_impl.h RetryBudgetImpl::max).
  const budget = limits?.retryBudget;
  const allowed = budget
    ? Math.max(Math.floor((budget.percent / 100) * (cluster!.counters.active + cluster!.counters.pending)), budget.minConcurrency)
    : limits?.maxRetries;
  if (cluster && limits && cluster.retries >= allowed!) {
    // Envoy flags a retry refused by the circuit breaker UO (router.cc: RetryStatus::NoOverflow).
    world.decide({
      node,
      layer: 'retry',
      kind: 'retry-overflow',
      summary: budget
        ? `not retried: ${cluster.retries} retries already in flight, the retry budget allows ${allowed} (${budget.percent}% of ${cluster.counters.active + cluster.counters.pending} active + pending, at least ${budget.minConcurrency})`
        : `not retried: ${cluster.retries} retries already in flight (maxRetries ${limits.maxRetries})`,
      cause: budget ? budget.cause : limits.cause,
      ...meta,
    });
    const flag = world.profile.replies.overflow;
    return respond(flag ? { ...res, reason: `${flag.reason.split(' ')[0]} retry overflow (${res.reason ?? `upstream ${res.status}`})` } : res);
  }
  const wait = backoffMs(policy, n, proxy.rng.next());
  world.stats.retries++;
  world.decide({
    node,
    layer: 'retry',
    kind: 'retry',
    summary: `attempt ${n} failed (${res.status || res.failure}); ${verdict.why}; retry ${n}${Number.isFinite(policy.maxRetries) ? ` of ${policy.maxRetries}` : ' (no count limit; the budget decides)'}${policy.backoff.kind === 'none' ? '' : ` after ${wait}ms backoff`}`,
    cause: policy.cause,
    ...meta,
    // Which retry this is, and of how many (FIDELITY B1: attempts 2 = up to 3 tries), for the badge.
    data: { backoffMs: wait, retry: n, ...(Number.isFinite(policy.maxRetries) ? { maxRetries: policy.maxRetries } : {}) },
  });
  if (cluster) cluster.retries++;
  world.scheduler.after(wait, () => {
    if (!ax.request.done) attempt(n + 1, cluster);
    else if (cluster) cluster.retries--;
  });
}
