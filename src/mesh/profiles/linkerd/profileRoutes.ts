/**
 * A ServiceProfile's routes as route rules (FIDELITY B3, B4): the route's request condition
 * (`pathRegex`, `method`, `all`, `any`, `not`), its response classes (which statuses are
 * failures: what `isRetryable` retries and metrics count as failed), its timeout (10 s by default)
 * and the retry budget. Routes are tried in order and the first whose condition holds wins
 * (linkerd2-proxy service-profiles/src/http.rs `route_for_request`).
 */
import type { LoadedScenario, ProfileRequestMatch, ProfileResponseMatch, ServiceProfile } from '../../../scenario/index.ts';
import type { Matcher, RequestCondition, RetryPolicy, RouteMatch, RouteRule, StatusRange, TimeoutPolicy } from '../../config.ts';
import { defaultCause } from '../../cause.ts';
import { resourceCause, type SourcedResource } from '../resources.ts';

// FIDELITY B3: default ServiceProfile retry budget — 20% extra load plus 10 retries/s over 10s
// (linkerd2 pkg/profiles DefaultRetryBudget).
const DEFAULT_BUDGET = { ratio: 0.2, minPerSec: 10, ttlMs: 10_000 };

type Route = ServiceProfile['spec']['routes'][number];

/**
 * A request condition as linkerd2 pkg/profiles `ToRequestMatch` sends it to the proxy: each field
 * set is one match, several are `all` of them; `pathRegex` is anchored at both ends by the proxy
 * (service-profiles/src/proto.rs convert_req_match), as mesh-sim's regex matcher is.
 */
function requestCondition(m: ProfileRequestMatch): RequestCondition {
  const parts: RequestCondition[] = [];
  if (m.all) parts.push({ all: m.all.map(requestCondition) });
  if (m.any) parts.push({ any: m.any.map(requestCondition) });
  if (m.method) parts.push({ method: { kind: 'exact', value: m.method } });
  if (m.not) parts.push({ not: requestCondition(m.not) });
  if (m.pathRegex) parts.push({ path: { kind: 'regex', value: m.pathRegex } });
  return parts.length === 1 ? parts[0]! : { all: parts };
}

/** The route's match: plain path and method when that is all it says, else the condition tree. */
function routeMatch(m: ProfileRequestMatch): RouteMatch {
  if (m.all || m.any || m.not) return { condition: requestCondition(m) };
  return {
    ...(m.pathRegex ? { path: { kind: 'regex', value: m.pathRegex } as Matcher } : {}),
    ...(m.method ? { method: { kind: 'exact', value: m.method } as Matcher } : {}),
  };
}

/** linkerd2-proxy service-profiles/src/http.rs `ResponseMatch::is_match`. */
function responseMatches(m: ProfileResponseMatch, status: number): boolean {
  // pkg/profiles ToResponseMatch: the fields set must all hold.
  if (m.status && !(status >= m.status.min && status <= m.status.max)) return false;
  if (m.all && !m.all.every((x) => responseMatches(x, status))) return false;
  if (m.any && !m.any.some((x) => responseMatches(x, status))) return false;
  if (m.not && responseMatches(m.not, status)) return false;
  return true;
}

/**
 * The statuses the route's response classes make failures: the first class whose condition
 * matches decides; a status none matches is a failure when 5xx (linkerd2-proxy
 * app/core/src/classify.rs `Response::Profile`, `ProfileUnmatched`). Only statuses 100–599 exist
 * here (faults answer those).
 */
export function failureRanges(classes: Route['responseClasses'] & object): StatusRange[] {
  const ranges: StatusRange[] = [];
  for (let status = 100; status <= 599; status++) {
    const hit = classes.find((c) => responseMatches(c.condition, status));
    const failure = hit ? hit.isFailure : status >= 500;
    if (!failure) continue;
    const last = ranges.at(-1);
    if (last && last.to === status - 1) last.to = status;
    else ranges.push({ from: status, to: status });
  }
  return ranges;
}

const rangeText = (ranges: StatusRange[]): string =>
  ranges.length ? ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(', ') : 'none';

/** ServiceProfile routes: retryable routes under the budget, route timeouts defaulting to 10 s (FIDELITY B3, B4). */
export function profileRules(scenario: LoadedScenario, sp: SourcedResource<ServiceProfile>, service: string): RouteRule[] {
  const budget = sp.resource.spec.retryBudget
    ? { ratio: sp.resource.spec.retryBudget.retryRatio, minPerSec: sp.resource.spec.retryBudget.minRetriesPerSecond, ttlMs: sp.resource.spec.retryBudget.ttl }
    : DEFAULT_BUDGET;
  const budgetCause = sp.resource.spec.retryBudget
    ? resourceCause(scenario, sp, '.spec.retryBudget', '.spec.retryBudget', 'FIDELITY B3: ServiceProfile retryBudget')
    : defaultCause('Linkerd default retry budget: 20% + 10/s over 10s', 'FIDELITY B3: service-profiles reference');
  return sp.resource.spec.routes.map((route, i) => {
    const at = `.spec.routes[${i}]`;
    // FIDELITY B3: a route's responseClasses say which responses are failures (service-profiles reference, "Response Class").
    const classes = route.responseClasses?.length ? route.responseClasses : undefined;
    const ranges = classes ? failureRanges(classes) : [{ from: 500, to: 599 }];
    const failureStatuses = classes
      ? {
          ranges,
          text: `responseClasses: failures are ${rangeText(ranges)}`,
          cause: resourceCause(
            scenario,
            sp,
            `${at}.responseClasses`,
            `${at}.responseClasses`,
            'FIDELITY B3: ServiceProfile responseClasses classify responses',
          ),
        }
      : undefined;
    const retry: RetryPolicy | null = route.isRetryable
      ? {
          // A ServiceProfile caps retries by budget, not by count.
          maxRetries: Number.POSITIVE_INFINITY,
          conditions: [...ranges.map((r) => ({ kind: 'status' as const, ...r })), { kind: 'no-endpoint' }],
          conditionsText: failureStatuses ? `isRetryable: ${failureStatuses.text}` : 'isRetryable: 5xx responses are failures',
          backoff: { kind: 'none' },
          avoidPreviousHosts: false,
          hostSelectionAttempts: 0,
          maxBodyBytes: 64 * 1024,
          budget,
          rechooseBackend: true,
          cause: { ...budgetCause, config: `${budgetCause.config}; ${sp.resource.metadata.name} route ${route.name} isRetryable` },
        }
      : null;
    const timeouts: TimeoutPolicy = {
      requestMs: route.timeout ?? 10_000,
      requestCause:
        route.timeout !== undefined
          ? resourceCause(scenario, sp, `${at}.timeout`, `${at}.timeout`, 'FIDELITY B4: ServiceProfile route timeout, includes retries')
          : defaultCause('ServiceProfile route timeout default 10s', 'FIDELITY B4: configuring-timeouts (2.15)'),
    };
    return {
      name: route.name,
      matches: [routeMatch(route.condition)],
      backends: [{ service, weight: 1 }],
      retry,
      ...(retry ? {} : { noRetryCause: resourceCause(scenario, sp, `${at} (not isRetryable)`, at, 'FIDELITY B3') }),
      timeouts,
      ...(failureStatuses ? { failureStatuses } : {}),
      cause: resourceCause(scenario, sp, at, at, 'FIDELITY B3: ServiceProfile route'),
    };
  });
}
