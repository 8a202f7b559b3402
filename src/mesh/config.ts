/**
 * The compiled, mesh-neutral proxy configuration. A profile turns the scenario's intent and its
 * native resources (VirtualService, HTTPRoute, annotations, ...) into these records; the
 * proxy layers only ever read them. Every record carries the {@link Cause} that produced it,
 * so each decision in the trace can name its config (or the default that applied).
 */
import type { ExpBackoff } from './backoff.ts';
import type { LocalReplies } from './profiles/types.ts';
import type { Cause } from '../sim/index.ts';
import type { Locality, Workload } from './types.ts';

/**
 * How a request attribute is matched. `prefix` is a plain string prefix (Envoy's route `prefix`,
 * which Istio's VirtualService `uri.prefix` becomes: `/v2` matches `/v2items`); `path-prefix`
 * matches whole path elements (Gateway API `PathPrefix`: `/v2` matches `/v2` and `/v2/x`, not
 * `/v2items`) — see {@link pathPrefixMatches}.
 */
export type Matcher = { kind: 'exact' | 'prefix' | 'path-prefix' | 'regex'; value: string };

export interface RouteMatch {
  path?: Matcher;
  method?: Matcher;
  /** Header names are lowercase, as requests carry them (HTTP field names are case-insensitive, RFC 9110 §5.1). */
  headers?: { name: string; match: Matcher }[];
  /** The destination port the request is addressed to (Istio VirtualService match `port`). */
  port?: number;
  /** A condition tree that must also hold (Linkerd ServiceProfile `all` / `any` / `not`). */
  condition?: RequestCondition;
}

/**
 * A request condition combining matchers with all / any / not, as linkerd2-proxy evaluates a
 * ServiceProfile route's (service-profiles/src/http.rs `RequestMatch::is_match`: `all` of none
 * holds, `any` of none does not).
 */
export type RequestCondition = { all: RequestCondition[] } | { any: RequestCondition[] } | { not: RequestCondition } | { path: Matcher } | { method: Matcher };

/** A range of HTTP statuses, both ends included. */
export interface StatusRange {
  from: number;
  to: number;
}

/**
 * Gateway API `PathPrefix`, element by element, as linkerd2-proxy matches it
 * (linkerd/http/route/src/http/match/path.rs `MatchPath::Prefix`): `/` matches every path;
 * otherwise trailing slashes are ignored on both sides and what follows the prefix must be
 * nothing or start a new element. The query string is not part of the path (`uri.path()`).
 */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  if (prefix === '/') return true;
  const p = prefix.replace(/\/+$/, '');
  const rest = path.split('?')[0]!.replace(/\/+$/, '');
  if (!rest.startsWith(p)) return false;
  const suffix = rest.slice(p.length);
  return suffix === '' || suffix.startsWith('/');
}

/** A backend of a route: a service, optionally narrowed to the pods of one version, or an outside host. */
export interface Backend {
  /** The service name, or the outside host when `external`. */
  service: string;
  external?: boolean;
  /** The outside host's port to send to, when the route names one (VirtualService destination.port); else the one the app addressed. */
  port?: number;
  /** A named subset; without `version` it is every endpoint of the service (an Istio subset without labels), with the subset's own policy. */
  subset?: { name: string; version?: string };
  weight: number;
  /**
   * Where the request goes instead when this backend has no usable endpoint, tried in order
   * (Consul service-resolver failover).
   */
  failover?: Backend[];
  failoverCause?: Cause;
}

/** Which failures a retry policy retries. Each is a mesh-neutral predicate over an attempt's outcome. */
export type RetryCondition =
  | { kind: 'status'; from: number; to: number } // an HTTP status in [from, to]
  | { kind: 'connect-failure' } // the connection to the endpoint could not be made
  | { kind: 'reset' } // the stream or connection was reset after it was made
  | { kind: 'attempt-timeout' } // the per-try timeout fired
  | { kind: 'no-endpoint' }; // the balancer had no endpoint (fail-fast)

export type Backoff =
  | { kind: 'none' }
  /** Envoy: retry n waits uniform [0, (2^n − 1)·base), capped at max (FIDELITY B1). */
  | { kind: 'jittered-exponential'; baseMs: number; maxMs: number }
  /** Linkerd route retries: linkerd-exp-backoff (src/mesh/backoff.ts). */
  | ({ kind: 'exponential' } & ExpBackoff);

/** A retry budget: retries may be at most `ratio` of requests plus `minPerSec`, over `ttlMs`. */
export interface RetryBudget {
  ratio: number;
  minPerSec: number;
  ttlMs: number;
}

export interface RetryPolicy {
  /** Retries after the first attempt (0 = none). */
  maxRetries: number;
  conditions: RetryCondition[];
  /** Human-readable list as the mesh spells it (`connect-failure,...,retriable-status-codes(503)`). */
  conditionsText: string;
  backoff: Backoff;
  /** Prefer endpoints not tried yet (Envoy previous_hosts predicate). */
  avoidPreviousHosts: boolean;
  /** Envoy host_selection_retry_max_attempts: how many re-picks to find a fresh host. */
  hostSelectionAttempts: number;
  /** Requests with a larger body are never retried (Linkerd: 64 KiB). */
  maxBodyBytes?: number;
  budget?: RetryBudget;
  /** Each retry may go to a different backend of the route (Linkerd), or stays on the first one (Envoy). */
  rechooseBackend: boolean;
  cause: Cause;
}

/** Timeouts of a route. Unset fields are not enforced. */
export interface TimeoutPolicy {
  /** Covers the whole request, every retry included (Istio route timeout, Linkerd request timeout). */
  requestMs?: number;
  requestCause?: Cause;
  /** Per attempt, and the attempt is retried when it fires if the retry policy says so. */
  attemptMs?: number;
  attemptCause?: Cause;
  /** Per attempt, never retried (Linkerd response / idle timeouts). */
  responseMs?: number;
  responseCause?: Cause;
}

/** Client-side fault injection on a route (Istio VirtualService `fault`). */
export interface RouteFault {
  delay?: { ms: number; fraction: number };
  abort?: { status: number; fraction: number };
  cause: Cause;
}

/**
 * A copy of each routed request sent to another backend, fire and forget: its answer is dropped
 * and it is never retried (Istio VirtualService `mirror` / `mirrors`, Envoy's request mirror policy).
 */
export interface RouteMirror {
  backend: Backend;
  /** The share of requests copied, 0 to 1. */
  fraction: number;
  /** Appended to the copy's host (`-shadow`), or '' when the release leaves it as it is. */
  hostSuffix: string;
  cause: Cause;
}

export interface RouteRule {
  name: string;
  matches: RouteMatch[];
  backends: Backend[];
  retry: RetryPolicy | null;
  /** Why there is no retry policy, when there is none. */
  noRetryCause?: Cause;
  timeouts: TimeoutPolicy;
  fault?: RouteFault;
  /** Copies of each request this rule routes, sent on and forgotten. */
  mirrors?: RouteMirror[];
  /**
   * The statuses this route counts as failures, when the route classifies responses itself
   * (Linkerd ServiceProfile `responseClasses`); unset: a 5xx or no response is a failure. A
   * failure is what the retry policy may retry and what metrics count as failed.
   */
  failureStatuses?: { ranges: StatusRange[]; text: string; cause: Cause };
  /**
   * How closely the rule's route names the request's host (Gateway API `hostnames`: 1 when it
   * names it, 0 when it names none); under `most-specific` precedence it counts before the request
   * match (linkerd2-proxy linkerd/http/route/src/lib.rs `RouteMatch { host, route }`).
   */
  hostRank?: number;
  /**
   * The proxy's own answers on this route, where they differ from the mesh's (a TCP proxy has no
   * HTTP to answer with: it closes the connection — Consul with protocol tcp).
   */
  replies?: Partial<Pick<LocalReplies, 'connectFailure' | 'reset' | 'noHealthy'>>;
  cause: Cause;
}

/** The routes a client proxy uses for one destination service, in match order. */
export interface ServiceRoutes {
  service: string;
  rules: RouteRule[];
  /**
   * How a rule is chosen among those that match: unset, the first in order (Envoy's route table,
   * a ServiceProfile); `most-specific`, the Gateway API HTTPRoute precedence — the longest path
   * match, then the most header matches, then a method match, the first in order on a tie (see
   * {@link matchSpecificity}).
   */
  precedence?: 'most-specific';
}

/** Server-side mTLS acceptance for a workload. */
export interface ServerTls {
  /** strict: only mTLS; permissive: mTLS and plaintext; disable: plaintext only. */
  mode: 'strict' | 'permissive' | 'disable';
  cause: Cause;
}

/** What the server's inbound proxy knows about a request when it decides whether to let it in. */
export interface AuthzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The workload port the request arrived on. */
  port: number;
  /** Arrived inside mTLS. */
  mtls: boolean;
  /** The client's certificate identity (SPIFFE URI or Linkerd name), when mTLS. */
  peerIdentity: string | undefined;
  /** The client is a pod of the cluster (as opposed to an external client). */
  fromCluster: boolean;
  /** The client's IP address (for CIDR rules). */
  sourceIp: string;
}

/** The inbound proxy's answer: let the request in, or deny it and how. */
export interface AuthzVerdict {
  allow: boolean;
  /** Allowed only because the policy audits instead of denying. */
  audit?: boolean;
  /** Status of the local reply when denied (403, or 401 for an invalid JWT). */
  status?: number;
  /** Report reason when denied (`DENY RBAC: access denied`, `forbidden`). */
  reason?: string;
  /**
   * `connection`: decided once for the connection the request came on (an RBAC network filter),
   * so later requests on it get the same answer even after the policy changes; a denial closes
   * the connection. Unset: decided for each request.
   */
  scope?: 'connection';
  summary: string;
  cause: Cause;
}

/** Endpoint selection for a service (FIDELITY D1, D2). */
export interface BalancerConfig {
  algorithm: 'least-request' | 'p2c-peak-ewma' | 'round-robin' | 'random' | 'consistent-hash';
  /** Peak-EWMA: RTT assumed for an endpoint with no observation yet, and the decay time constant. */
  defaultRttMs?: number;
  decayMs?: number;
  /**
   * After a failed connection the endpoint is not ready for a backoff (min·2^n up to max, plus
   * jitter), and the balancer picks only ready endpoints (tower P2C; Linkerd's reconnect).
   */
  reconnectBackoff?: ExpBackoff;
  /** Consistent hash: what is hashed, and the ring size (Envoy ring hash, minimum 1024 entries). */
  hash?: { header?: string; sourceIp?: boolean; query?: string; ringSize: number };
  /** Locality-aware selection (Istio localityLbSetting over Envoy priorities and locality weights; proxy/locality.ts). */
  locality?: LocalityPolicy;
  cause: Cause;
}

/** Where an endpoint stands for one client: its priority (0 first) and its locality's weight. */
export interface LocalityRank {
  priority: number;
  /** The locality it belongs to (`us-east/zone-a`), as messages name it. */
  locality: string;
  /** The locality's weight when weights are set (Istio `distribute`); unset: localities are not weighted. */
  weight?: number;
}

/**
 * Locality-aware endpoint selection, as a profile compiles it: each endpoint's rank relative to
 * the client proxy (its locality, undefined for a proxy with no zone, and its labels), in the
 * order of `endpoints`. Endpoints ranked null are not used at all (a `distribute` rule that does
 * not name their locality).
 */
export interface LocalityPolicy {
  ranks(from: Locality | undefined, fromLabels: Record<string, string>, endpoints: readonly Workload[]): (LocalityRank | null)[];
  /** Envoy's overprovisioning factor (1.4): a priority with ≥ 1/1.4 of its hosts healthy takes all the load it can. */
  overprovisioning: number;
  cause: Cause;
}

/**
 * Connection-pool limits of one client proxy toward one upstream cluster (Envoy circuit
 * breakers; Istio DestinationRule connectionPool — FIDELITY C1). Shared by all hosts of the
 * cluster; Infinity where unlimited.
 */
export interface PoolLimits {
  maxConnections: number;
  maxPending: number;
  maxRequests: number;
  /** 0: unlimited; 1 disables keep-alive. */
  maxRequestsPerConnection: number;
  maxRetries: number;
  /** TCP connect timeout toward the cluster's hosts. */
  connectTimeoutMs: number;
  /**
   * Envoy retry budget (Istio DestinationRule retryBudget, 1.27+): retries in flight may be at most
   * max(percent % of active + pending requests, minConcurrency); it replaces maxRetries.
   */
  retryBudget?: { percent: number; minConcurrency: number; cause: Cause };
  /**
   * What the mesh's own configuration calls the three limits, so a refusal names the field a
   * learner would change; Envoy's circuit-breaker names (max_connections…) when absent.
   */
  fields?: PoolLimitFields;
  cause: Cause;
}

/** The names a mesh's configuration gives the pool limits (for messages). */
export interface PoolLimitFields {
  maxConnections: string;
  maxPending: string;
  maxRequests: string;
}

/** Envoy's names for the limits (cluster circuit_breakers thresholds). */
export const ENVOY_POOL_FIELDS: PoolLimitFields = { maxConnections: 'max_connections', maxPending: 'max_pending_requests', maxRequests: 'max_requests' };

/**
 * Retries the server's own proxy makes toward its app when the app's connection is reset before
 * the request was written (Istio 1.24+ inbound `reset-before-request`, FIDELITY B1).
 */
export interface InboundRetryPolicy {
  maxRetries: number;
  backoff: Backoff;
  cause: Cause;
}

/** Istio outlier detection of one cluster (FIDELITY C2). */
export interface OutlierPolicy {
  kind: 'outlier-detection';
  /** 0 disables. */
  consecutive5xx: number;
  /** 0 disables; no effect when ≥ consecutive5xx. */
  consecutiveGateway: number;
  intervalMs: number;
  baseEjectionMs: number;
  maxEjectionMs: number;
  maxEjectionPercent: number;
  minHealthPercent: number;
  /**
   * Only connection failures count and every connection that opens is a success: a TCP proxy sees
   * no HTTP status (Envoy tcp_proxy reports connect results only).
   */
  localOriginOnly?: boolean;
  cause: Cause;
}

/** Linkerd failure accrual of one service's balancer (FIDELITY C3). */
export interface FailureAccrualPolicy {
  kind: 'failure-accrual';
  /** `consecutive`, or `unified` (Linkerd 2.20): consecutive failures and a success-rate window, either trips. */
  mode: 'consecutive' | 'unified';
  /** Consecutive failures that make an endpoint unavailable; 0 turns that count off. */
  maxFailures: number;
  /**
   * `unified` only, absent when its threshold is 0: the endpoint is unavailable once at least
   * `minRequests` answers in the last `windowMs` succeed less often than `threshold` (a 5xx, an
   * error and a 429 count against it).
   */
  successRate?: { threshold: number; windowMs: number; minRequests: number };
  minPenaltyMs: number;
  maxPenaltyMs: number;
  jitterRatio: number;
  cause: Cause;
}

export type HealthPolicy = OutlierPolicy | FailureAccrualPolicy;

/** Whether traffic from a pod may leave for an outside host, and how (FIDELITY E1, E2). */
export interface EgressVerdict {
  allow: boolean;
  /** `PassthroughCluster`, `ServiceEntry api-example`, `http-egress-allow`, ... */
  summary: string;
  /** Plain HTTP denied: the status the proxy answers (Istio 502 BlackHoleCluster, Linkerd 403). TLS is reset. */
  status?: number;
  reason?: string;
  cause: Cause;
  /**
   * Where an allowed request really goes, when not as the app sent it: another port of the host
   * (Istio ServiceEntry targetPort) and whether the proxy wraps it in TLS (DestinationRule tls
   * SIMPLE: TLS origination).
   */
  upstream?: { port: number; tls: boolean };
}
