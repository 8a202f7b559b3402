/**
 * Linkerd resources generated from the scenario's mesh-neutral `policies`:
 *
 * - mtls strict → `config.linkerd.io/default-inbound-policy: all-authenticated` on each namespace;
 *   permissive → `all-unauthenticated` (FIDELITY A7). Linkerd cannot turn mTLS off between meshed
 *   pods (A6), so `off` generates nothing and the run says so.
 * - retries → Service annotations retry.linkerd.io/http, /limit, /timeout (B3). Linkerd retries
 *   response statuses (and fail-fast); it does not retry connection errors (linkerd2-proxy
 *   route/retry.rs retryable_error), so `connect-failure` and `reset` have no Linkerd equivalent.
 * - timeouts → timeout.linkerd.io/request (B4).
 */
import type { LoadedScenario, LinkerdResource, LinkerdService, LinkerdNamespace } from '../../../scenario/index.ts';
import { durationLiteral } from '../../../scenario/index.ts';
import type { SourcedResource } from '../resources.ts';

function httpConditions(on: readonly (string | number)[] | undefined): string {
  const words = new Set<string>();
  for (const c of on ?? ['5xx']) {
    // connect-failure and reset: not retried by Linkerd (see above), so nothing to write.
    if (typeof c === 'number') words.add(String(c));
    else if (c === '5xx' || c === 'gateway-error') words.add(c);
    else if (c === 'retriable-4xx') words.add('409');
  }
  return [...words].join(',');
}

export function generateLinkerd(scenario: LoadedScenario): SourcedResource<LinkerdResource>[] {
  const out: SourcedResource<LinkerdResource>[] = [];
  const p = scenario.policies;
  if (p.mtls === 'strict' || p.mtls === 'permissive') {
    const policy = p.mtls === 'strict' ? 'all-authenticated' : 'all-unauthenticated';
    for (const ns of new Set(scenario.services.map((s) => s.namespace))) {
      const r: LinkerdNamespace = {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, annotations: { 'config.linkerd.io/default-inbound-policy': policy } },
      };
      out.push({ resource: r, path: 'policies.mtls', generated: true });
    }
  }
  const services = new Map<string, { svc: LinkerdService; path: string }>();
  const annotate = (service: string, path: string, values: Record<string, string>): void => {
    let entry = services.get(service);
    if (!entry)
      services.set(service, (entry = { svc: { apiVersion: 'v1', kind: 'Service', metadata: { name: service, annotations: {} } } as LinkerdService, path }));
    Object.assign(entry.svc.metadata.annotations!, values);
  };
  (p.retries ?? []).forEach((r, i) => {
    if (r.attempts === 0) return;
    annotate(r.service, `policies.retries[${i}]`, {
      'retry.linkerd.io/http': httpConditions(r.on),
      'retry.linkerd.io/limit': String(r.attempts),
      ...(r.perTryTimeout !== undefined ? { 'retry.linkerd.io/timeout': durationLiteral(r.perTryTimeout) } : {}),
    });
  });
  (p.timeouts ?? []).forEach((t, i) => annotate(t.service, `policies.timeouts[${i}]`, { 'timeout.linkerd.io/request': durationLiteral(t.request) }));
  // FIDELITY C3: consecutive errors become failure accrual; Linkerd has no pool limits, so
  // maxConnections / maxPending / maxRequests have nothing to map to.
  (p.circuitBreaking ?? []).forEach((c, i) => {
    if (c.consecutiveErrors === undefined) return;
    annotate(c.service, `policies.circuitBreaking[${i}]`, {
      'balancer.linkerd.io/failure-accrual': 'consecutive',
      'balancer.linkerd.io/failure-accrual-consecutive-max-failures': String(c.consecutiveErrors),
      ...(c.ejection !== undefined ? { 'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': durationLiteral(c.ejection) } : {}),
    });
  });
  for (const { svc, path } of services.values()) out.push({ resource: svc, path, generated: true });
  return out;
}
