/**
 * Linkerd client authorizations: who may reach a server, as the policy controller hands them to
 * the inbound proxy (linkerd2 policy-controller `ClientAuthorization`: an authentication — none,
 * or a TLS identity matching a list — and the client networks it applies to). Default policies
 * and AuthorizationPolicies both compile to these; the proxy allows a request when any one of
 * them matches (linkerd2-proxy app/inbound/src/policy/http.rs `authorize`).
 */
import type { Cause } from '../../../sim/index.ts';
import type { AuthzRequest } from '../../config.ts';
import type { DefaultInboundPolicy } from '../../../scenario/index.ts';
import { cidrContains, parseCidr, type Cidr } from '../../../scenario/native/cidr.ts';

/** A network a client must be in, minus exceptions. */
export interface NetworkMatch {
  net: Cidr;
  except: Cidr[];
}

/** One way a client may be authorized. */
export interface ClientAuthz {
  /** What the trace calls it: `AuthorizationPolicy reviews-from-web`, `default:all-authenticated`. */
  name: string;
  /** unauthenticated: any client; tls: a meshed client whose identity matches one of `identities` (`*`, `*.suffix`, exact). */
  authentication: { kind: 'unauthenticated' } | { kind: 'tls'; identities: string[] };
  /** Client networks; every address when empty. */
  networks: NetworkMatch[];
  /** Allowed, but flagged (`authz_name=audit`) rather than trusted. */
  audit?: boolean;
  cause: Cause;
}

const block = (text: string): Cidr => parseCidr(text)!;
/**
 * The cluster's pod networks, Linkerd's install default `clusterNetworks`
 * (10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16; linkerd2 chart values) [primary].
 * Simulated pods (10.244.x.y) are all inside.
 */
export const CLUSTER_NETWORKS: NetworkMatch[] = networksOf('10.0.0.0/8,100.64.0.0/10,172.16.0.0/12,192.168.0.0/16');

/** A chart `clusterNetworks` value (a comma list of CIDRs) as networks. */
export function networksOf(list: string): NetworkMatch[] {
  return list
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean)
    .map((n) => ({ net: block(n), except: [] }));
}

/** The authorizations a default policy grants (policy-controller `DefaultPolicy::default_authzs`; FIDELITY A7). */
export function defaultAuthzs(policy: DefaultInboundPolicy, cause: Cause, clusterNetworks: NetworkMatch[] = CLUSTER_NETWORKS): ClientAuthz[] {
  const name = `default:${policy}`;
  const anyTls = { kind: 'tls' as const, identities: ['*'] };
  switch (policy) {
    case 'all-unauthenticated':
      return [{ name, authentication: { kind: 'unauthenticated' }, networks: [], cause }];
    case 'all-authenticated':
      return [{ name, authentication: anyTls, networks: [], cause }];
    case 'cluster-authenticated':
      // Meshed clients in the same cluster (policy-controller: authenticated_only and cluster_only).
      return [{ name, authentication: anyTls, networks: clusterNetworks, cause }];
    case 'cluster-unauthenticated':
      return [{ name, authentication: { kind: 'unauthenticated' }, networks: clusterNetworks, cause }];
    case 'audit':
      // FIDELITY A7: audit is all-unauthenticated, flagged in logs and metrics.
      return [{ name, authentication: { kind: 'unauthenticated' }, networks: [], audit: true, cause }];
    case 'deny':
      return [];
  }
}

/** Linkerd identity matching: `*` any identity, `*.suffix` any identity in that domain, otherwise exact. */
export function identityMatches(pattern: string, identity: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return identity.endsWith(pattern.slice(1));
  return identity === pattern;
}

/** Whether `authz` admits the client of `req` (linkerd2-proxy inbound policy `is_authorized`). */
export function authorizes(authz: ClientAuthz, req: AuthzRequest): boolean {
  const inNetworks =
    authz.networks.length === 0 || authz.networks.some((n) => cidrContains(n.net, req.sourceIp) && !n.except.some((e) => cidrContains(e, req.sourceIp)));
  if (!inNetworks) return false;
  if (authz.authentication.kind === 'unauthenticated') return true;
  const id = req.mtls ? req.peerIdentity : undefined;
  return id !== undefined && authz.authentication.identities.some((p) => identityMatches(p, id));
}
