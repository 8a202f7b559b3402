/**
 * Linkerd workload identity, a DNS-like name (FIDELITY A6, linkerd2 destination endpoint
 * translator): `<sa>.<ns>.serviceaccount.identity.<linkerd-namespace>.<trust-domain>`.
 */
export function identityOfLinkerd(serviceAccount: string, namespace: string, controlPlaneNs = 'linkerd', trustDomain = 'cluster.local'): string {
  return `${serviceAccount}.${namespace}.serviceaccount.identity.${controlPlaneNs}.${trustDomain}`;
}
