/**
 * A Linkerd AuthorizationPolicy as the client authorization it grants (linkerd2 policy-controller
 * k8s/index/src/inbound/index.rs `policy_client_authz`; FIDELITY A7): its MeshTLSAuthentication
 * or ServiceAccount sets the identities a meshed client must present (none set: any client,
 * meshed or not), and its NetworkAuthentication the client networks (none set: the cluster's
 * networks — grpc/src/inbound.rs `to_authz` gives an authorization without networks the
 * `clusterNetworks`).
 * All required authentications must hold at once.
 */
import type { LoadedScenario, LinkerdResource, LinkerdAuthorizationPolicy, MeshTLSAuthentication, NetworkAuthentication } from '../../../scenario/index.ts';
import { parseCidr } from '../../../scenario/native/cidr.ts';
import { nsOf, resourceCause, type SourcedResource } from '../resources.ts';
import { identityOfLinkerd } from './identity.ts';
import { CLUSTER_NETWORKS, type ClientAuthz, type NetworkMatch } from './clientAuthz.ts';

/**
 * The authorization `ap` grants, or undefined when an authentication it requires does not exist:
 * Linkerd then ignores the policy ("Illegal AuthorizationPolicy; ignoring"), which mesh-sim's
 * reference check also reports when the scenario loads.
 */
export function policyAuthz(
  scenario: LoadedScenario,
  ap: SourcedResource<LinkerdAuthorizationPolicy>,
  resources: SourcedResource<LinkerdResource>[],
  clusterNetworks: NetworkMatch[] = CLUSTER_NETWORKS,
): ClientAuthz | undefined {
  const find = <K extends 'MeshTLSAuthentication' | 'NetworkAuthentication'>(kind: K, name: string, ns: string) =>
    resources.find((r) => r.resource.kind === kind && r.resource.metadata.name === name && nsOf(r.resource) === ns)?.resource as
      Extract<LinkerdResource, { kind: K }> | undefined;
  let identities: string[] | undefined;
  let networks: NetworkMatch[] | undefined;
  for (const ref of ap.resource.spec.requiredAuthenticationRefs) {
    const ns = ref.namespace ?? nsOf(ap.resource);
    if (ref.kind === 'ServiceAccount') {
      identities = [identityOfLinkerd(ref.name, ns)];
    } else if (ref.kind === 'MeshTLSAuthentication') {
      const m: MeshTLSAuthentication | undefined = find('MeshTLSAuthentication', ref.name, ns);
      if (!m) return undefined;
      identities = [...(m.spec.identities ?? []), ...(m.spec.identityRefs ?? []).map((sa) => identityOfLinkerd(sa.name, sa.namespace ?? nsOf(m)))];
    } else {
      const n: NetworkAuthentication | undefined = find('NetworkAuthentication', ref.name, ns);
      if (!n) return undefined;
      networks = n.spec.networks.map((x) => ({ net: parseCidr(x.cidr)!, except: (x.except ?? []).map((e) => parseCidr(e)!) }));
    }
  }
  const t = ap.resource.spec.targetRef;
  const refs = ap.resource.spec.requiredAuthenticationRefs.map((r) => `${r.kind} ${r.name}`).join(' + ') || 'no authentication';
  return {
    name: `AuthorizationPolicy ${ap.resource.metadata.name}`,
    authentication: identities ? { kind: 'tls', identities } : { kind: 'unauthenticated' },
    // FIDELITY A7: linkerd2 policy-controller grpc/src/inbound.rs to_authz — no NetworkAuthentication
    // means the cluster's networks, not every address (version-2.20).
    networks: networks ?? clusterNetworks,
    cause: resourceCause(
      scenario,
      ap,
      `(${t.kind} ${t.name}; requires ${refs})`,
      '.spec.requiredAuthenticationRefs',
      'FIDELITY A7: AuthorizationPolicy — every required authentication must match',
    ),
  };
}
