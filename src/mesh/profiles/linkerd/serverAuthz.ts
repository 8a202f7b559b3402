/**
 * A Linkerd ServerAuthorization (policy.linkerd.io/v1beta1) as the client authorization it grants
 * to the Servers it selects (linkerd2 policy-controller k8s/index/src/inbound/server_authorization.rs;
 * FIDELITY A7): `unauthenticated` lets any client in, `meshTLS` a meshed client whose identity is
 * listed (or any, with `unauthenticatedTLS`), and unset `networks` mean the cluster's networks
 * (grpc/src/inbound.rs `to_authz`).
 */
import type { LoadedScenario, LinkerdServer, ServerAuthorization } from '../../../scenario/index.ts';
import { parseCidr } from '../../../scenario/native/cidr.ts';
import { nsOf, resourceCause, selects, type SourcedResource } from '../resources.ts';
import { identityOfLinkerd } from './identity.ts';
import { CLUSTER_NETWORKS, type ClientAuthz, type NetworkMatch } from './clientAuthz.ts';

/** Whether `sa` covers `server`: same namespace, and its name, or its selector over the Server's labels (empty: every Server). */
export function coversServer(sa: ServerAuthorization, server: LinkerdServer): boolean {
  if (nsOf(sa) !== nsOf(server)) return false;
  const s = sa.spec.server;
  if (s.name !== undefined) return s.name === server.metadata.name;
  return selects(s.selector?.matchLabels ?? {}, server.metadata.labels ?? {});
}

/** The authorization `sa` grants. */
export function serverAuthz(
  scenario: LoadedScenario,
  sa: SourcedResource<ServerAuthorization>,
  clusterNetworks: NetworkMatch[] = CLUSTER_NETWORKS,
): ClientAuthz {
  const { client } = sa.resource.spec;
  const m = client.meshTLS;
  const identities = m
    ? m.unauthenticatedTLS
      ? ['*']
      : [...(m.identities ?? []), ...(m.serviceAccounts ?? []).map((ref) => identityOfLinkerd(ref.name, ref.namespace ?? nsOf(sa.resource)))]
    : undefined;
  const who = identities ? `meshTLS ${identities.join(', ')}` : 'unauthenticated';
  return {
    name: `ServerAuthorization ${sa.resource.metadata.name}`,
    authentication: identities ? { kind: 'tls', identities } : { kind: 'unauthenticated' },
    networks: client.networks?.length
      ? client.networks.map((x) => ({ net: parseCidr(x.cidr)!, except: (x.except ?? []).map((e) => parseCidr(e)!) }))
      : clusterNetworks,
    cause: resourceCause(scenario, sa, `(${who})`, '.spec.client', 'FIDELITY A7: ServerAuthorization (policy.linkerd.io/v1beta1) client authorization'),
  };
}
