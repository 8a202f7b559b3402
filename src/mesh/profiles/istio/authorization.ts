/**
 * Istio authorization as the inbound sidecar applies it (FIDELITY A5; istio/api
 * authorization_policy.proto; istio.io concepts/security "Authorization"):
 *
 * 1. RequestAuthentication validates a presented JWT (401 when invalid) — requestAuthn.ts.
 * 2. CUSTOM policies whose rules match ask their ext-authz provider; a deny is final.
 * 3. DENY policies: any match denies.
 * 4. ALLOW policies: with none, the request is allowed; otherwise one must match.
 *
 * A policy applies to a workload when it is in the workload's namespace, or in the root
 * namespace (mesh-wide), and its selector (if any) matches the pod's labels.
 */
import type { Cause } from '../../../sim/index.ts';
import type { LoadedScenario, IstioAuthorizationPolicy } from '../../../scenario/index.ts';
import type { AuthzRequest, AuthzVerdict } from '../../config.ts';
import type { Workload } from '../../types.ts';
import { defaultCause } from '../../cause.ts';
import { authoredResources, nsOf, ofKind, resourceCause, selects, type SourcedResource } from '../resources.ts';
import { firstMatchingRule, type RequestAttributes } from './authzMatch.ts';
import { authenticateRequest, type JwtRules } from './requestAuthn.ts';

type Policy = SourcedResource<IstioAuthorizationPolicy>;
interface WorkloadPolicies {
  custom: Policy[];
  deny: Policy[];
  allow: Policy[];
  jwtRules: JwtRules;
}

// FIDELITY A5: "For workloads without authorization policies applied, Istio allows all requests."
const ALLOW_ALL = defaultCause('Istio default: no AuthorizationPolicy, allow all', 'FIDELITY A5: implicit enablement');
// FIDELITY A5: deny-by-default starts only once a workload has an ALLOW policy.
const NO_ALLOW = defaultCause('Istio: no DENY policy matched and no ALLOW policy selects this workload', 'FIDELITY A5: evaluation order CUSTOM, DENY, ALLOW');
// FIDELITY A5 and comparison item 17: a request denied by Envoy RBAC gets 403 "RBAC: access denied" —
// the profile's replies.forbidden, which the authorization layer applies when a verdict names no status.

// Envoy flags a request its ext_authz filter denied UAEX; the text is the sample server's 403 body.
const EXT_AUTHZ_DENIED = 'UAEX denied by ext_authz for not found header `x-ext-authz: allow` in the request';

/**
 * Compiles the scenario's AuthorizationPolicies and RequestAuthentications into the inbound
 * decision function. `attached` picks the policies that apply where it runs: by default those
 * bound by selector or namespace (a sidecar's), never those with targetRefs, which attach to a
 * waypoint or a gateway instead (FIDELITY-MORE H4).
 */
export function compileIstioAuthz(
  scenario: LoadedScenario,
  rootNamespace = 'istio-system',
  attached: (p: IstioAuthorizationPolicy) => boolean = (p) => !p.spec.targetRefs,
): (pod: Workload, request: AuthzRequest) => AuthzVerdict {
  const sourced = authoredResources(scenario, 'istio');
  const policies: Policy[] = ofKind(sourced, 'AuthorizationPolicy').filter((r) => attached(r.resource));
  const authns = ofKind(sourced, 'RequestAuthentication');
  // FIDELITY A5 / istio/api: a policy in the root namespace applies mesh-wide; elsewhere to its own namespace; the selector narrows it.
  const applies = (
    r: { resource: { metadata: { namespace?: string | undefined }; spec: { selector?: { matchLabels: Record<string, string> } | undefined } } },
    pod: Workload,
  ): boolean => {
    const ns = nsOf(r.resource);
    if (ns !== rootNamespace && ns !== pod.namespace) return false;
    return !r.resource.spec.selector || selects(r.resource.spec.selector.matchLabels, pod.labels);
  };
  const cache = new Map<string, WorkloadPolicies>();
  const forPod = (pod: Workload): WorkloadPolicies => {
    let hit = cache.get(pod.name);
    if (hit) return hit;
    const mine = policies.filter((r) => applies(r, pod));
    hit = {
      custom: mine.filter((r) => r.resource.spec.action === 'CUSTOM'),
      deny: mine.filter((r) => r.resource.spec.action === 'DENY'),
      allow: mine.filter((r) => r.resource.spec.action === 'ALLOW'),
      // FIDELITY A5 / concepts/security: all matching RequestAuthentications combine as if they were one.
      jwtRules: authns.filter((r) => applies(r, pod)).flatMap((r) => r.resource.spec.jwtRules.map((j, index) => ({ issuer: j.issuer, from: r, index }))),
    };
    cache.set(pod.name, hit);
    return hit;
  };
  const ruleCause = (r: Policy, i: number, source: string): Cause =>
    resourceCause(scenario, r, `(${r.resource.spec.action}) .spec.rules[${i}]`, `.spec.rules[${i}]`, source);

  // The common case: nothing selects the workload — one shared verdict, no work per request.
  const allowAll: AuthzVerdict = { allow: true, summary: 'allowed: no AuthorizationPolicy selects this workload', cause: ALLOW_ALL };
  return (pod, req) => {
    const p = forPod(pod);
    if (p.custom.length + p.deny.length + p.allow.length + p.jwtRules.length === 0) return allowAll;
    const authn = authenticateRequest(scenario, p.jwtRules, req.headers);
    if (!authn.ok) return authn.verdict;
    const a = attributesOf(pod, req, authn.jwt);
    const who = a.principal ?? (a.requestPrincipal ? `request principal ${a.requestPrincipal}` : `plaintext from ${a.sourceIp}`);

    for (const r of p.custom) {
      const i = firstMatchingRule(r.resource.spec.rules, a);
      if (i < 0) continue;
      const provider = r.resource.spec.provider!.name;
      if (sampleExtAuthzAllows(provider, a)) continue;
      return {
        allow: false,
        status: 403,
        reason: EXT_AUTHZ_DENIED,
        summary: `CUSTOM ${r.resource.metadata.name}: ${provider} denied ${who}`,
        cause: resourceCause(
          scenario,
          r,
          `(CUSTOM) provider ${provider}`,
          '.spec.provider',
          "FIDELITY A5: CUSTOM is evaluated first; simulated as Istio's sample ext-authz server (istio/istio samples/extauthz)",
        ),
      };
    }
    for (const r of p.deny) {
      const i = firstMatchingRule(r.resource.spec.rules, a);
      if (i >= 0)
        return {
          allow: false,
          summary: `DENY ${r.resource.metadata.name} matched ${who}`,
          cause: ruleCause(r, i, 'FIDELITY A5: DENY beats ALLOW'),
        };
    }
    if (p.allow.length === 0)
      return { allow: true, summary: 'allowed: no ALLOW policy selects this workload', cause: p.custom.length + p.deny.length ? NO_ALLOW : ALLOW_ALL };
    for (const r of p.allow) {
      const i = firstMatchingRule(r.resource.spec.rules, a);
      if (i >= 0)
        return { allow: true, summary: `ALLOW ${r.resource.metadata.name} matched ${who}`, cause: ruleCause(r, i, 'FIDELITY A5: ALLOW policies combine') };
    }
    const names = p.allow.map((r) => r.resource.metadata.name).join(', ');
    return {
      allow: false,
      summary: `no ALLOW policy (${names}) matched ${who}: denied by default`,
      cause: resourceCause(
        scenario,
        p.allow[0]!,
        `(ALLOW; none matched${p.allow.length > 1 ? `, nor ${names}` : ''})`,
        '.spec',
        'FIDELITY A5: deny by default once a workload has an ALLOW policy',
      ),
    };
  };
}

/** The request as AuthorizationPolicy sees it; principals drop the `spiffe://` scheme (FIDELITY A3). */
function attributesOf(
  pod: Workload,
  req: AuthzRequest,
  jwt: { issuer: string; subject: string; claims: Record<string, string[]> } | undefined,
): RequestAttributes {
  // FIDELITY A5: principals and namespaces need mTLS; a plaintext request has none.
  const principal = req.mtls && req.peerIdentity ? req.peerIdentity.replace(/^spiffe:\/\//, '') : undefined;
  const namespace = principal ? /\/ns\/([^/]+)\//.exec(principal)?.[1] : undefined;
  return {
    ...(principal ? { principal } : {}),
    ...(namespace ? { namespace } : {}),
    sourceIp: req.sourceIp,
    ...(jwt ? { requestPrincipal: `${jwt.issuer}/${jwt.subject}`, claims: jwt.claims } : {}),
    method: req.method,
    path: req.path.split('?')[0]!,
    // Header names arrive lowercased (traffic.ts builds requests so; HTTP names are case-insensitive, RFC 9110 §5.1).
    headers: req.headers,
    port: req.port,
    destinationIp: pod.ip,
  };
}

/**
 * Istio's sample ext-authz server (istio/istio samples/extauthz/cmd/extauthz/main.go), which the
 * External Authorization task deploys as both providers: over HTTP it allows a request only
 * with the header `x-ext-authz: allow`; over gRPC it decides by that header when present, and
 * otherwise allows a client whose principal ends in `/sa/a` (its `-allow_service_account`
 * default). Everything else gets 403.
 */
function sampleExtAuthzAllows(provider: string, a: RequestAttributes): boolean {
  const header = a.headers['x-ext-authz'];
  if (provider === 'sample-ext-authz-http' || header !== undefined) return header === 'allow';
  return a.principal?.endsWith('/sa/a') ?? false;
}
