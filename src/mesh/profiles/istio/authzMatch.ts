/**
 * Whether an Istio AuthorizationPolicy rule matches a request (istio/api
 * security/v1beta1/authorization_policy.proto, "Rule", "Source", "Operation", "Condition";
 * istio.io concepts/security "Value matching" and "Exclusion matching").
 *
 * An attribute that the request does not have — no peer principal on a plaintext request, no
 * request principal without a validated JWT — never satisfies a positive field and always
 * satisfies a negative one: that is how Envoy RBAC evaluates `not_id` over a principal that is
 * absent, and why Istio warns that `principals` under PERMISSIVE lets plaintext bypass a DENY
 * (FIDELITY A5, "Dependency on mutual TLS").
 */
import type { IstioAuthzCondition, IstioAuthzOperation, IstioAuthzRule, IstioAuthzSource } from '../../../scenario/index.ts';
import { cidrContains, parseCidr } from '../../../scenario/native/cidr.ts';

/** What the inbound sidecar knows about a request when it authorizes it. */
export interface RequestAttributes {
  /** `source.principal`: the peer certificate's SPIFFE ID without `spiffe://`; absent without mTLS. */
  principal?: string;
  /** `source.namespace`, from the principal's `/ns/<ns>/` segment; absent without mTLS. */
  namespace?: string;
  sourceIp: string;
  /** `request.auth.principal`: `<iss>/<sub>` of a JWT that RequestAuthentication validated. */
  requestPrincipal?: string;
  /** The validated token's claims, each a list of strings (a string claim is a list of one). */
  claims?: Record<string, readonly string[]>;
  method: string;
  /** The path without its query string (Envoy RBAC matches `url_path`). */
  path: string;
  /** Header names lower-cased: HTTP header names are case-insensitive. */
  headers: Record<string, string>;
  port: number;
  destinationIp: string;
}

/**
 * Istio string matching (authorization_policy.proto "Rule"): exact `abc`, prefix `abc*`,
 * suffix `*abc`, presence `*` (any non-empty value). An absent value matches nothing.
 */
export function matchValue(pattern: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

const inBlock = (block: string, ip: string): boolean => {
  const c = parseCidr(block);
  return c !== undefined && cidrContains(c, ip);
};

/** A positive list matches when any entry matches; a negative list when none does. Unset lists match. */
function field(list: string[] | undefined, notList: string[] | undefined, test: (p: string) => boolean): boolean {
  if (list && !list.some(test)) return false;
  if (notList && notList.some(test)) return false;
  return true;
}

function sourceMatches(s: IstioAuthzSource, a: RequestAttributes): boolean {
  return (
    field(s.principals, s.notPrincipals, (p) => matchValue(p, a.principal)) &&
    field(s.requestPrincipals, s.notRequestPrincipals, (p) => matchValue(p, a.requestPrincipal)) &&
    field(s.namespaces, s.notNamespaces, (p) => matchValue(p, a.namespace)) &&
    // ipBlocks: exact IPs or CIDRs only (concepts/security "Value matching" exceptions).
    field(s.ipBlocks, s.notIpBlocks, (b) => inBlock(b, a.sourceIp))
  );
}

function operationMatches(o: IstioAuthzOperation, a: RequestAttributes): boolean {
  return (
    field(o.methods, o.notMethods, (m) => matchValue(m, a.method)) &&
    field(o.paths, o.notPaths, (p) => matchValue(p, a.path)) &&
    // ports: exact match only.
    field(o.ports, o.notPorts, (p) => p === String(a.port))
  );
}

/** The value of a `when` key for this request (keys are validated by the scenario schema). */
function conditionValue(key: string, a: RequestAttributes): { value: string | undefined; ip?: boolean; exact?: boolean } {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) return { value: a.headers[header[1]!.toLowerCase()] };
  switch (key) {
    case 'source.ip':
      return { value: a.sourceIp, ip: true };
    case 'destination.ip':
      return { value: a.destinationIp, ip: true };
    case 'destination.port':
      return { value: String(a.port), exact: true };
    case 'source.namespace':
      return { value: a.namespace };
    case 'source.principal':
      return { value: a.principal };
    case 'request.auth.principal':
      return { value: a.requestPrincipal };
    default:
      return { value: undefined };
  }
}

function conditionMatches(c: IstioAuthzCondition, a: RequestAttributes): boolean {
  // request.auth.claims[<name>]: a list claim matches when any of its values does, a string claim
  // is a list of one (istio/istio pilot/pkg/security/authz/model/generator.go requestClaimGenerator:
  // a metadata list matcher, oneOf); a token without the claim matches no value (FIDELITY A5).
  const claim = /^request\.auth\.claims\[([^\]]+)\]$/.exec(c.key);
  if (claim) {
    const list = a.claims?.[claim[1]!] ?? [];
    return field(c.values, c.notValues, (v) => list.some((x) => matchValue(v, x)));
  }
  const { value, ip, exact } = conditionValue(c.key, a);
  const test = (v: string): boolean => (value === undefined ? false : ip ? inBlock(v, value) : exact ? v === value : matchValue(v, value));
  return field(c.values, c.notValues, test);
}

/**
 * A rule matches when at least one source, one operation and every condition match; an empty
 * rule always matches (authorization_policy.proto "Rule").
 */
export function ruleMatches(rule: IstioAuthzRule, a: RequestAttributes): boolean {
  if (rule.from?.length && !rule.from.some((f) => sourceMatches(f.source, a))) return false;
  if (rule.to?.length && !rule.to.some((t) => operationMatches(t.operation, a))) return false;
  return (rule.when ?? []).every((c) => conditionMatches(c, a));
}

/** The index of the first rule of `rules` that matches, or -1. No rules never match. */
export function firstMatchingRule(rules: IstioAuthzRule[] | undefined, a: RequestAttributes): number {
  return (rules ?? []).findIndex((r) => ruleMatches(r, a));
}
