/**
 * Authorization in ambient mode is split (FIDELITY-MORE H4):
 *
 * - The destination's **ztunnel** enforces AuthorizationPolicies bound by selector or namespace,
 *   at L4: source principals, namespaces, IP blocks, destination ports and the L4 `when` keys,
 *   ALLOW and DENY only. It cannot see HTTP, so istiod rewrites the rest before sending it: in an
 *   ALLOW policy a rule with any HTTP attribute is dropped (so the policy can match less, and with
 *   every rule dropped nothing — it fails closed); in a DENY policy the HTTP parts are dropped and
 *   the L4 rest enforced (it denies more than asked). A denial resets the connection.
 * - A **waypoint** enforces policies attached to it by `targetRefs` (the waypoint Gateway, or a
 *   Service it serves), with the full L7 evaluation of sidecar mode; a denial is a 403.
 *
 * Source: istio/istio pilot/pkg/serviceregistry/ambient/authorization.go (convertAuthorizationPolicy,
 * handleRule, httpOperations, httpSources, l4WhenAttributes), read at 1.24.0 and 1.30.3; the
 * istio.io ambient l4-policy page ("ztunnel proxy will simply drop all traffic as a defensive move").
 */
import type { Cause } from '../../../sim/index.ts';
import type { IstioAuthorizationPolicy, IstioAuthzRule, LoadedScenario } from '../../../scenario/index.ts';
import type { AuthzRequest, AuthzVerdict } from '../../config.ts';
import type { Workload } from '../../types.ts';
import { defaultCause } from '../../cause.ts';
import { authoredResources, nsOf, ofKind, resourceCause, selects, type SourcedResource } from '../resources.ts';
import { firstMatchingRule, type RequestAttributes } from '../istio/authzMatch.ts';
import { compileIstioAuthz } from '../istio/authorization.ts';

type Policy = SourcedResource<IstioAuthorizationPolicy>;

/** The `when` keys ztunnel can evaluate (authorization.go l4WhenAttributes). */
const L4_WHEN = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);

/** The HTTP attributes a rule uses, as istiod's status message lists them (httpOperations, httpSources, non-L4 when keys). */
export function httpAttributes(rule: IstioAuthzRule): string[] {
  const found = new Set<string>();
  for (const t of rule.to ?? []) for (const k of ['methods', 'notMethods', 'paths', 'notPaths'] as const) if (t.operation[k]?.length) found.add(k);
  for (const f of rule.from ?? []) for (const k of ['requestPrincipals', 'notRequestPrincipals'] as const) if (f.source[k]?.length) found.add(k);
  for (const w of rule.when ?? []) if (!L4_WHEN.has(w.key)) found.add(w.key);
  return [...found];
}

/** A DENY rule with its HTTP parts removed: what ztunnel enforces of it (handleRule). */
function l4Part(rule: IstioAuthzRule): IstioAuthzRule {
  return {
    ...(rule.from ? { from: rule.from.map((f) => ({ source: { ...f.source, requestPrincipals: undefined, notRequestPrincipals: undefined } })) } : {}),
    ...(rule.to
      ? { to: rule.to.map((t) => ({ operation: { ...t.operation, methods: undefined, notMethods: undefined, paths: undefined, notPaths: undefined } })) }
      : {}),
    ...(rule.when ? { when: rule.when.filter((w) => L4_WHEN.has(w.key)) } : {}),
  } as IstioAuthzRule;
}

/** One policy as istiod sends it to ztunnel, with what it left out. */
interface L4Policy {
  policy: Policy;
  rules: IstioAuthzRule[];
  /** Index in the policy of each rule kept. */
  index: number[];
  /** The HTTP attributes istiod found (and left out). */
  dropped: string[];
}

function toL4(p: Policy): L4Policy {
  const dropped = new Set<string>();
  const rules: IstioAuthzRule[] = [];
  const index: number[] = [];
  (p.resource.spec.rules ?? []).forEach((rule, i) => {
    const http = httpAttributes(rule);
    http.forEach((a) => dropped.add(a));
    // FIDELITY-MORE H4: "L7 policies never match for ALLOW" — the rule is dropped; a DENY keeps its L4 part.
    if (http.length && p.resource.spec.action === 'ALLOW') return;
    rules.push(http.length ? l4Part(rule) : rule);
    index.push(i);
  });
  return { policy: p, rules, index, dropped: [...dropped].sort() };
}

// FIDELITY-MORE H4: no AuthorizationPolicy selects the workload — ztunnel allows.
const ALLOW_ALL = defaultCause('ztunnel: no AuthorizationPolicy selects this workload, allow', 'FIDELITY-MORE H4: default ALLOW');

/** The destination ztunnel's L4 authorization for `pod` (FIDELITY-MORE H4). */
export function compileZtunnelAuthz(scenario: LoadedScenario, rootNamespace: string): (pod: Workload, req: AuthzRequest) => AuthzVerdict {
  // Policies with targetRefs are never sent to ztunnel; CUSTOM (and AUDIT) are rejected by istiod.
  const policies = ofKind(authoredResources(scenario, 'istio'), 'AuthorizationPolicy').filter(
    (r) => !r.resource.spec.targetRefs && r.resource.spec.action !== 'CUSTOM',
  );
  const cache = new Map<string, { deny: L4Policy[]; allow: L4Policy[] }>();
  const forPod = (pod: Workload) => {
    let hit = cache.get(pod.name);
    if (!hit) {
      const mine = policies
        .filter((r) => {
          const ns = nsOf(r.resource);
          if (ns !== rootNamespace && ns !== pod.namespace) return false;
          return !r.resource.spec.selector || selects(r.resource.spec.selector.matchLabels, pod.labels);
        })
        .map(toL4);
      hit = { deny: mine.filter((p) => p.policy.resource.spec.action === 'DENY'), allow: mine.filter((p) => p.policy.resource.spec.action === 'ALLOW') };
      cache.set(pod.name, hit);
    }
    return hit;
  };
  const ruleCause = (p: L4Policy, i: number, source: string): Cause =>
    resourceCause(scenario, p.policy, `(${p.policy.resource.spec.action}) .spec.rules[${i}]`, `.spec.rules[${i}]`, source);
  const allowAll: AuthzVerdict = { allow: true, summary: 'allowed: no AuthorizationPolicy selects this workload', cause: ALLOW_ALL };

  return (pod, req) => {
    const p = forPod(pod);
    if (p.deny.length + p.allow.length === 0) return allowAll;
    const principal = req.mtls && req.peerIdentity ? req.peerIdentity.replace(/^spiffe:\/\//, '') : undefined;
    const namespace = principal ? /\/ns\/([^/]+)\//.exec(principal)?.[1] : undefined;
    // What ztunnel knows of a connection: its peer, addresses and port — no method, path or header.
    const a: RequestAttributes = {
      ...(principal ? { principal } : {}),
      ...(namespace ? { namespace } : {}),
      sourceIp: req.sourceIp,
      method: '',
      path: '',
      headers: {},
      port: req.port,
      destinationIp: pod.ip,
    };
    const who = principal ?? `plaintext from ${req.sourceIp}`;
    for (const d of p.deny) {
      const k = firstMatchingRule(d.rules, a);
      if (k < 0) continue;
      const i = d.index[k]!;
      const original = d.policy.resource.spec.rules![i]!;
      const stripped = httpAttributes(original);
      return {
        allow: false,
        summary: stripped.length
          ? `DENY ${d.policy.resource.metadata.name} matched ${who} on its L4 part alone: ztunnel cannot see ${stripped.join(', ')}, so the rule denies more than asked; connection reset`
          : `DENY ${d.policy.resource.metadata.name} matched ${who}; connection reset`,
        cause: ruleCause(
          d,
          i,
          stripped.length
            ? 'FIDELITY-MORE H4: in a DENY policy istiod drops the HTTP parts and ztunnel enforces the rest (authorization.go httpDenyRuleBoilerplate)'
            : 'FIDELITY-MORE H4: ztunnel enforces L4 DENY',
        ),
      };
    }
    if (p.allow.length === 0) return { allow: true, summary: 'allowed: no DENY policy matched and no ALLOW policy selects this workload', cause: ALLOW_ALL };
    for (const al of p.allow) {
      const k = firstMatchingRule(al.rules, a);
      if (k >= 0)
        return {
          allow: true,
          summary: `ALLOW ${al.policy.resource.metadata.name} matched ${who}`,
          cause: ruleCause(al, al.index[k]!, 'FIDELITY-MORE H4: ztunnel enforces L4 ALLOW'),
        };
    }
    const names = p.allow.map((x) => x.policy.resource.metadata.name).join(', ');
    const failing = p.allow.find((x) => x.dropped.length > 0);
    if (failing)
      return {
        allow: false,
        summary:
          `no ALLOW rule (${names}) can match ${who}: ztunnel does not see HTTP, so the rules using ${failing.dropped.join(', ')} were dropped ` +
          `and no waypoint enforces them — the policy fails closed; connection reset`,
        cause: resourceCause(
          scenario,
          failing.policy,
          `(ALLOW) rules with ${failing.dropped.join(', ')} dropped: ztunnel does not support HTTP attributes; use a waypoint`,
          '.spec.rules',
          'FIDELITY-MORE H4: istio/istio authorization.go ("L7 policies never match for ALLOW"); istio.io ambient l4-policy: ztunnel drops all traffic as a defensive move',
        ),
      };
    return {
      allow: false,
      summary: `no ALLOW policy (${names}) matched ${who}: denied by default; connection reset`,
      cause: resourceCause(
        scenario,
        p.allow[0]!.policy,
        '(ALLOW; none matched)',
        '.spec',
        'FIDELITY-MORE H4: L4 semantics as in sidecar mode, deny once an ALLOW policy selects the pod',
      ),
    };
  };
}

/**
 * The waypoint's L7 authorization (FIDELITY-MORE H4): the policies attached to the waypoint
 * Gateway, or to the destination Service, evaluated as a sidecar would — for the request's
 * destination service, whose representative workload gives namespace and address.
 */
export function compileWaypointAuthz(scenario: LoadedScenario, rootNamespace: string): (waypoint: string, target: Workload, req: AuthzRequest) => AuthzVerdict {
  const cache = new Map<string, (pod: Workload, req: AuthzRequest) => AuthzVerdict>();
  return (waypoint, target, req) => {
    const key = `${waypoint}|${target.service.name}`;
    let f = cache.get(key);
    if (!f)
      cache.set(
        key,
        (f = compileIstioAuthz(scenario, rootNamespace, (p) =>
          (p.spec.targetRefs ?? []).some((t) => (t.kind === 'Gateway' && t.name === waypoint) || (t.kind === 'Service' && t.name === target.service.name)),
        )),
      );
    return f(target, req);
  };
}
