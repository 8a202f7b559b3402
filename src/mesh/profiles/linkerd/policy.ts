/**
 * Linkerd inbound policy as the server's proxy applies it (FIDELITY A7): the default inbound
 * policy — set at install (all-unauthenticated) or per namespace with
 * `config.linkerd.io/default-inbound-policy` — decides whether a request may reach the app.
 * Denied HTTP gets 403.
 */
import type { LoadedScenario, LinkerdNamespace } from '../../../scenario/index.ts';
import type { AuthzRequest, AuthzVerdict } from '../../config.ts';
import type { Pod } from '../../types.ts';
import type { Cause } from '../../../sim/index.ts';
import { defaultCause } from '../../cause.ts';
import { resourceCause, type SourcedResource } from '../resources.ts';

const INSTALL_DEFAULT = defaultCause('Linkerd default inbound policy all-unauthenticated', 'FIDELITY A7: server-policy (the install default)');

/** Compiles the namespaces' default inbound policies into the inbound decision function. */
export function compileLinkerdPolicy(
  scenario: LoadedScenario,
  namespaces: SourcedResource<LinkerdNamespace>[],
): (pod: Pod, request: AuthzRequest) => AuthzVerdict {
  const byName = new Map(namespaces.map((r) => [r.resource.metadata.name, r]));
  return (pod, req) => {
    const ns = byName.get(pod.namespace);
    const value = ns?.resource.metadata.annotations?.['config.linkerd.io/default-inbound-policy'] ?? 'all-unauthenticated';
    const cause: Cause = ns?.resource.metadata.annotations?.['config.linkerd.io/default-inbound-policy']
      ? resourceCause(
          scenario,
          ns,
          `annotation config.linkerd.io/default-inbound-policy: ${value}`,
          '.metadata.annotations["config.linkerd.io/default-inbound-policy"]',
          'FIDELITY A7: default inbound policy',
        )
      : INSTALL_DEFAULT;
    const deny = (why: string): AuthzVerdict => ({ allow: false, status: 403, reason: 'forbidden', summary: `denied by ${value}: ${why}`, cause });
    switch (value) {
      case 'all-authenticated':
        return req.peerIdentity
          ? { allow: true, summary: `allowed by ${value}: ${req.peerIdentity}`, cause }
          : deny('only meshed (mTLS-authenticated) clients are allowed');
      case 'cluster-authenticated':
        return req.peerIdentity || req.fromCluster ? { allow: true, summary: `allowed by ${value}`, cause } : deny('only clients in the cluster are allowed');
      case 'deny':
        return deny('all traffic is denied');
      case 'audit':
        return { allow: true, audit: true, summary: 'allowed; audit mode records instead of denying', cause };
      default:
        return { allow: true, summary: `allowed by ${value}`, cause };
    }
  };
}
