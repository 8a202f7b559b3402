/**
 * Linkerd inbound policy as the server's proxy applies it (FIDELITY A7;
 * linkerd.io/2-edge/reference/authorization-policy; linkerd2 policy-controller inbound index):
 *
 * - A port no `Server` selects gets the pod's default inbound policy: the workload's annotation
 *   (pod template), else its Namespace's, else the install default all-unauthenticated. It is
 *   resolved once per pod, because Linkerd fixes it when the proxy starts.
 * - A port a `Server` selects is denied unless an AuthorizationPolicy targeting that Server (or
 *   the Server's Namespace) authorizes the client, or the Server's `accessPolicy` (default deny)
 *   does. `audit` lets the request through and records it.
 *
 * Denied HTTP gets 403.
 */
import type { Cause } from '../../../sim/index.ts';
import type {
  LoadedScenario,
  LinkerdResource,
  LinkerdNamespace,
  LinkerdServer,
  LinkerdDeployment,
  LinkerdHelmValues,
  DefaultInboundPolicy,
} from '../../../scenario/index.ts';
import { shortName } from '../../../scenario/index.ts';
import type { AuthzRequest, AuthzVerdict } from '../../config.ts';
import type { Workload } from '../../types.ts';
import { defaultCause } from '../../cause.ts';
import { nsOf, ofKind, resourceCause, selects, type SourcedResource } from '../resources.ts';
import { authorizes, CLUSTER_NETWORKS, defaultAuthzs, networksOf, type ClientAuthz } from './clientAuthz.ts';
import { policyAuthz } from './policyAuthz.ts';
import { coversServer, serverAuthz } from './serverAuthz.ts';

const ANNOTATION = 'config.linkerd.io/default-inbound-policy';
const INSTALL_DEFAULT = defaultCause('Linkerd default inbound policy all-unauthenticated', 'FIDELITY A7: server-policy (the install default)');

type Of<K extends LinkerdResource['kind']> = SourcedResource<Extract<LinkerdResource, { kind: K }>>;

/** Compiles default inbound policies and policy.linkerd.io resources into the inbound decision function. */
export function compileLinkerdPolicy(scenario: LoadedScenario, resources: SourcedResource<LinkerdResource>[]): LinkerdAuthorizer {
  const of = <K extends LinkerdResource['kind']>(kind: K): Of<K>[] => ofKind(resources, kind);
  // Later entries win: authored annotations override those generated from `policies`.
  const namespaces = new Map(of('Namespace').map((r) => [r.resource.metadata.name, r] as const));
  const deployments = new Map(of('Deployment').map((r) => [`${nsOf(r.resource)}/${r.resource.metadata.name}`, r] as const));
  const servers = of('Server');
  const policies = of('AuthorizationPolicy');
  const serverAuthorizations = of('ServerAuthorization');
  // FIDELITY A7: the install values (chart proxy.defaultInboundPolicy and clusterNetworks), the last HelmValues winning.
  const helm = of('HelmValues').at(-1);
  const clusterNetworks = helm?.resource.values.clusterNetworks ? networksOf(helm.resource.values.clusterNetworks) : CLUSTER_NETWORKS;
  const install = installDefault(scenario, helm);

  // A Server's port: its number, or the pod's container port of that name (linkerd2 policy-controller
  // k8s/index/src/inbound/index.rs resolves a named Server port through each pod's container ports).
  const portOf = (server: LinkerdServer, pod: Workload): number | undefined => {
    const port = server.spec.port;
    if (typeof port === 'number') return port;
    const deployment = deployments.get(`${pod.namespace}/${shortName(pod.service.name)}`);
    return deployment?.resource.spec.template.spec?.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === port)?.containerPort;
  };

  type Default = { policy: DefaultInboundPolicy; cause: Cause; authzs: ClientAuthz[] };
  const defaults = new Map<string, Default>();
  const defaultFor = (pod: Workload): Default => {
    let hit = defaults.get(pod.name);
    if (!hit) {
      const { policy, cause } = defaultPolicyOf(
        scenario,
        deployments.get(`${pod.namespace}/${shortName(pod.service.name)}`),
        namespaces.get(pod.namespace),
        install,
      );
      hit = { policy, cause, authzs: defaultAuthzs(policy, cause, clusterNetworks) };
      defaults.set(pod.name, hit);
    }
    return hit;
  };

  const serverAuthzs = new Map<string, ClientAuthz[]>();
  const authzsOf = (server: SourcedResource<LinkerdServer>): ClientAuthz[] => {
    const key = `${nsOf(server.resource)}/${server.resource.metadata.name}`;
    let hit = serverAuthzs.get(key);
    if (!hit) {
      // policy-controller client_authzs: policies targeting this Server or its Namespace, then the accessPolicy's.
      const targeting = policies.filter(
        (ap) =>
          nsOf(ap.resource) === nsOf(server.resource) &&
          ((ap.resource.spec.targetRef.kind === 'Server' && ap.resource.spec.targetRef.name === server.resource.metadata.name) ||
            ap.resource.spec.targetRef.kind === 'Namespace'),
      );
      const access = server.resource.spec.accessPolicy;
      const accessCause = resourceCause(
        scenario,
        server,
        `accessPolicy ${access}`,
        '.spec.accessPolicy',
        'FIDELITY A7: traffic no policy authorizes gets the Server accessPolicy',
      );
      hit = [
        ...targeting.flatMap((ap) => policyAuthz(scenario, ap, resources, clusterNetworks) ?? []),
        // policy-controller index: the ServerAuthorizations that select this Server count too.
        ...serverAuthorizations.filter((sa) => coversServer(sa.resource, server.resource)).map((sa) => serverAuthz(scenario, sa, clusterNetworks)),
        ...defaultAuthzs(access, accessCause, clusterNetworks).map((a) => ({ ...a, name: `${server.resource.metadata.name} accessPolicy ${access}` })),
      ];
      serverAuthzs.set(key, hit);
    }
    return hit;
  };

  const authorize = ((pod: Workload, req: AuthzRequest, startDefaults?: LinkerdAuthorizer['defaultFor']): AuthzVerdict => {
    // FIDELITY A7: the default policy is fixed when the proxy starts; Servers and policies update live.
    const defaultOf = startDefaults ?? defaultFor;
    // Servers must not overlap (Linkerd admission), so at most one selects this pod and port.
    const server = servers.find(
      (s) => nsOf(s.resource) === pod.namespace && selects(s.resource.spec.podSelector.matchLabels, pod.labels) && portOf(s.resource, pod) === req.port,
    );
    const authzs = server ? authzsOf(server) : defaultOf(pod).authzs;
    // FIDELITY A7: an opaque port is proxied as TCP — authorized once for the connection, a denial
    // closes it (no 403); linkerd2-proxy app/inbound/src/policy/tcp.rs (main, 2026-08).
    const opaque = server?.resource.spec.proxyProtocol === 'opaque' ? { scope: 'connection' as const } : {};
    const client = req.mtls && req.peerIdentity ? req.peerIdentity : `unauthenticated ${req.sourceIp}`;
    const granted = authzs.find((a) => authorizes(a, req));
    if (granted) {
      if (granted.audit)
        return {
          allow: true,
          audit: true,
          summary: `audit: ${client} is not authorized by policy; allowed and recorded (${granted.name})`,
          cause: granted.cause,
          ...opaque,
        };
      return {
        allow: true,
        summary: `${client} authorized by ${granted.name}${opaque.scope ? ' (opaque port: for the connection)' : ''}`,
        cause: granted.cause,
        ...opaque,
      };
    }
    // FIDELITY A7: denied HTTP gets 403 — the profile's replies.forbidden, applied by the authorization layer.
    const deny = (summary: string, cause: Cause): AuthzVerdict => ({
      allow: false,
      summary,
      cause,
      ...(opaque.scope ? { reason: 'connection closed: the opaque port refused this client', ...opaque } : {}),
    });
    if (server) {
      const s = server.resource;
      return deny(
        `Server ${s.metadata.name} (port ${s.spec.port}${opaque.scope ? ', opaque' : ''}): no ${serverAuthorizations.length ? 'AuthorizationPolicy or ServerAuthorization' : 'AuthorizationPolicy'} authorizes ${client}; accessPolicy ${s.spec.accessPolicy}`,
        resourceCause(
          scenario,
          server,
          `port ${s.spec.port}, accessPolicy ${s.spec.accessPolicy}`,
          '.spec',
          'FIDELITY A7: a Server denies traffic no policy authorizes (accessPolicy defaults to deny)',
        ),
      );
    }
    const d = defaultOf(pod);
    return deny(`denied by default policy ${d.policy}: ${client}`, d.cause);
  }) as LinkerdAuthorizer;
  authorize.defaultFor = defaultFor;
  return authorize;
}

/** The inbound decision function, plus the default policies it would give each pod's proxy at start. */
export interface LinkerdAuthorizer {
  (pod: Workload, request: AuthzRequest, startDefaults?: LinkerdAuthorizer['defaultFor']): AuthzVerdict;
  defaultFor(pod: Workload): { policy: DefaultInboundPolicy; cause: Cause; authzs: ClientAuthz[] };
}

/** The pod's default inbound policy: workload annotation, else Namespace annotation, else the install default (FIDELITY A7). */
function defaultPolicyOf(
  scenario: LoadedScenario,
  deployment: SourcedResource<LinkerdDeployment> | undefined,
  namespace: SourcedResource<LinkerdNamespace> | undefined,
  install: { policy: DefaultInboundPolicy; cause: Cause },
): { policy: DefaultInboundPolicy; cause: Cause } {
  const fromWorkload = deployment?.resource.spec.template.metadata?.annotations?.[ANNOTATION];
  if (deployment && fromWorkload)
    return {
      policy: fromWorkload,
      cause: resourceCause(
        scenario,
        deployment,
        `pod template annotation ${ANNOTATION}: ${fromWorkload}`,
        `.spec.template.metadata.annotations["${ANNOTATION}"]`,
        'FIDELITY A7: a workload annotation overrides the namespace; fixed when the proxy starts',
      ),
    };
  const fromNamespace = namespace?.resource.metadata.annotations?.[ANNOTATION] as DefaultInboundPolicy | undefined;
  if (namespace && fromNamespace)
    return {
      policy: fromNamespace,
      cause: resourceCause(
        scenario,
        namespace,
        `annotation ${ANNOTATION}: ${fromNamespace}`,
        `.metadata.annotations["${ANNOTATION}"]`,
        'FIDELITY A7: default inbound policy',
      ),
    };
  return install;
}

/** The cluster-wide default inbound policy: the chart's proxy.defaultInboundPolicy, else all-unauthenticated (FIDELITY A7). */
function installDefault(scenario: LoadedScenario, helm: SourcedResource<LinkerdHelmValues> | undefined): { policy: DefaultInboundPolicy; cause: Cause } {
  const policy = helm?.resource.values.proxy?.defaultInboundPolicy;
  if (!helm || !policy) return { policy: 'all-unauthenticated', cause: INSTALL_DEFAULT };
  return {
    policy,
    cause: resourceCause(
      scenario,
      helm,
      `proxy.defaultInboundPolicy: ${policy}`,
      '.values.proxy.defaultInboundPolicy',
      'FIDELITY A7: the install default inbound policy (linkerd2 charts/linkerd-control-plane/values.yaml); a namespace or workload annotation overrides it',
    ),
  };
}
