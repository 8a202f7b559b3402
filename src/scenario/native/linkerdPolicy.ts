/**
 * Linkerd inbound policy as a user would `kubectl apply` it: `Server`, `AuthorizationPolicy`,
 * `MeshTLSAuthentication`, `NetworkAuthentication` (policy.linkerd.io), and a minimal
 * `apps/v1 Deployment` that carries the workload-level default inbound policy annotation.
 * Field names follow linkerd.io/2-edge/reference/authorization-policy and the admission checks
 * of linkerd2 policy-controller/src/admission.rs (FIDELITY A7). Fields mesh-sim does not
 * simulate are reported by name.
 */
import { z } from '../zodSetup.ts';
import { describe, wholeNumber } from '../units.ts';
import { apiVersion, kindField, k8sName, metadata, stringMap, unsupported } from './common.ts';
import { cidrCovers, parseCidr } from './cidr.ts';
import { cidrText } from './cidrSchema.ts';

/** Values of `config.linkerd.io/default-inbound-policy` and of a Server's `accessPolicy` (FIDELITY A7). */
export const DEFAULT_INBOUND_POLICIES = [
  'all-unauthenticated',
  'all-authenticated',
  'cluster-authenticated',
  'cluster-unauthenticated',
  'deny',
  'audit',
] as const;
/** One default inbound policy. */
export type DefaultInboundPolicy = (typeof DEFAULT_INBOUND_POLICIES)[number];

/** The annotation that sets a default inbound policy on a Namespace or a workload's pods. */
const POLICY_ANNOTATION = 'config.linkerd.io/default-inbound-policy';

const defaultPolicy = z.enum(DEFAULT_INBOUND_POLICIES, {
  error: (iss) => `must be ${DEFAULT_INBOUND_POLICIES.join(', ')} (got ${describe(iss.input)})`,
});

/** A Server's `proxyProtocol` values (linkerd.io/2-edge/reference/authorization-policy, "Server"). */
export const PROXY_PROTOCOLS = ['unknown', 'HTTP/1', 'HTTP/2', 'gRPC', 'opaque', 'TLS'] as const;

/** A Kubernetes container port name (IANA_SVC_NAME: up to 15 lowercase letters, digits and dashes, with a letter). */
export const portName = z
  .string()
  .regex(/^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a port name like http: lowercase letters, digits and dashes, with a letter' })
  .max(15, { message: 'must be at most 15 characters (a Kubernetes port name)' });

const serverPort = z
  .union([wholeNumber(1, 65535, (got) => `must be the pods' port number (services[].port) or the name of their container port (got ${got})`), portName])
  .describe("The pods' port: its number (services[].port), or the name of a container port their Deployment declares (port: http).");

// Server: a port on a set of pods in its namespace (authorization-policy reference, "Server").
export const linkerdServer = z
  .strictObject({
    apiVersion,
    kind: kindField('Server'),
    metadata,
    spec: z
      .strictObject({
        podSelector: z
          .strictObject({
            matchLabels: stringMap.describe('Labels the pods must carry (app: reviews).'),
            matchExpressions: unsupported('matchExpressions: use matchLabels (pods carry app and version labels)'),
          })
          .describe('The pods the Server covers, by label.'),
        port: serverPort,
        // FIDELITY A7: accessPolicy defaults to deny.
        accessPolicy: defaultPolicy
          .default('deny')
          .describe(
            'Who gets in when no AuthorizationPolicy allows them: deny (the default), all-authenticated, all-unauthenticated, cluster-authenticated, cluster-unauthenticated or audit.',
          ),
        // linkerd2 policy-controller k8s/api/src/policy/server.rs ProxyProtocol; unset: unknown (detect).
        proxyProtocol: z
          .enum(PROXY_PROTOCOLS, { error: (iss) => `must be ${PROXY_PROTOCOLS.join(', ')} (got ${describe(iss.input)})` })
          .default('unknown')
          .superRefine((p, ctx) => {
            if (p === 'TLS')
              ctx.addIssue({
                code: 'custom',
                message: 'TLS (the app speaks TLS itself) is not simulated: simulated apps speak plain HTTP; use unknown, HTTP/1, HTTP/2, gRPC or opaque',
              });
          })
          .describe(
            'How the inbound proxy reads connections to the port: unknown (the default: it detects HTTP), HTTP/1, HTTP/2 or gRPC (HTTP without detection), opaque (plain TCP: authorized once per connection, a denial closes it; no HTTP metrics or policy inbound).',
          ),
        externalWorkloadSelector: unsupported('externalWorkloadSelector: external workloads are not simulated'),
      })
      .describe('The pods, their port and the access policy.'),
  })
  .describe(
    'A Linkerd Server: a port on a set of pods whose inbound traffic is governed by policy; only clients an AuthorizationPolicy allows get in, unless its accessPolicy says otherwise.',
  );

const targetRef = z.strictObject({
  group: z
    .enum(['policy.linkerd.io', 'gateway.networking.k8s.io', 'core', ''])
    .optional()
    .describe('policy.linkerd.io for a Server, core (or empty) for a Namespace.'),
  kind: z
    .enum(['Server', 'Namespace', 'HTTPRoute', 'GRPCRoute'], {
      error: (iss) => `must be Server or Namespace (got ${describe(iss.input)})`,
    })
    .superRefine((k, ctx) => {
      if (k === 'HTTPRoute' || k === 'GRPCRoute')
        ctx.addIssue({
          code: 'custom',
          message: `${k} targets are not supported by mesh-sim yet: inbound routes (parentRef kind Server) are not simulated; target the Server`,
        });
    })
    .describe('Server or Namespace (every Server in it).'),
  name: k8sName.describe("The Server's (or Namespace's) name."),
});

const AUTHN_KINDS = ['MeshTLSAuthentication', 'NetworkAuthentication', 'ServiceAccount'] as const;
const authnRef = z.strictObject({
  group: z.enum(['policy.linkerd.io', 'core', '']).optional().describe('policy.linkerd.io, or core (empty) for a ServiceAccount.'),
  kind: z
    .enum(AUTHN_KINDS, { error: (iss) => `must be ${AUTHN_KINDS.join(', ')} (got ${describe(iss.input)})` })
    .describe('MeshTLSAuthentication, NetworkAuthentication or ServiceAccount.'),
  name: k8sName.describe('Its name.'),
  namespace: k8sName.optional().describe("Its namespace (default: the policy's)."),
});

// AuthorizationPolicy (policy.linkerd.io/v1alpha1): binds authentications to a target.
export const linkerdAuthorizationPolicy = z
  .strictObject({
    apiVersion,
    kind: kindField('AuthorizationPolicy'),
    metadata,
    spec: z
      .strictObject({
        targetRef: targetRef.describe('What the policy protects: { group, kind: Server | Namespace, name }.'),
        // All listed authentications must match; an empty list authorizes every client
        // (policy-controller index.rs policy_client_authz: no identities → Unauthenticated, all networks).
        requiredAuthenticationRefs: z.array(authnRef).describe('Authentications a client must meet, all of them; an empty list lets every client in.'),
      })
      .describe('Its target and the authentications it requires.'),
  })
  .superRefine((ap, ctx) => {
    const refs = ap.spec.requiredAuthenticationRefs;
    const count = (kind: string) => refs.filter((r) => r.kind === kind).length;
    const at = ['spec', 'requiredAuthenticationRefs'];
    // linkerd2 admission.rs: at most one MeshTLSAuthentication, one ServiceAccount, not both, one NetworkAuthentication.
    if (count('MeshTLSAuthentication') > 1)
      ctx.addIssue({ code: 'custom', path: at, message: 'only a single MeshTLSAuthentication may be set (Linkerd admission)' });
    if (count('ServiceAccount') > 1) ctx.addIssue({ code: 'custom', path: at, message: 'only a single ServiceAccount may be set (Linkerd admission)' });
    if (count('MeshTLSAuthentication') + count('ServiceAccount') > 1 && count('MeshTLSAuthentication') <= 1 && count('ServiceAccount') <= 1)
      ctx.addIssue({ code: 'custom', path: at, message: 'a MeshTLSAuthentication and a ServiceAccount may not be set together (Linkerd admission)' });
    if (count('NetworkAuthentication') > 1)
      ctx.addIssue({ code: 'custom', path: at, message: 'only a single NetworkAuthentication may be set (Linkerd admission)' });
    // authorization-policy reference: a Namespace target "may only be the namespace of the AuthorizationPolicy".
    const ns = ap.metadata.namespace ?? 'default';
    if (ap.spec.targetRef.kind === 'Namespace' && ap.spec.targetRef.name !== ns)
      ctx.addIssue({ code: 'custom', path: ['spec', 'targetRef', 'name'], message: `must be the policy's own namespace "${ns}"` });
  })
  .describe(
    'A Linkerd AuthorizationPolicy: lets clients reach its target (a Server, or every Server of a Namespace) when they meet all the authentications it requires (MeshTLSAuthentication, NetworkAuthentication, ServiceAccount).',
  );

/** `*`, `*.<suffix>` or a full identity name (MeshTLSAuthentication identities). */
const identityText = z.string().regex(/^(\*|(\*\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/, {
  message: 'must be a Linkerd identity like web.default.serviceaccount.identity.linkerd.cluster.local, a *.suffix, or *',
});

/** MeshTLSAuthentication: a set of mesh identities (`*`, `*.suffix`, exact) or ServiceAccounts. */
export const meshTlsAuthentication = z
  .strictObject({
    apiVersion,
    kind: kindField('MeshTLSAuthentication'),
    metadata,
    spec: z
      .strictObject({
        identities: z.array(identityText).optional().describe('Mesh identities (web.default.serviceaccount.identity.linkerd.cluster.local), *.suffix or *.'),
        identityRefs: z
          .array(
            z.strictObject({
              kind: z.enum(['ServiceAccount'], { error: (iss) => `must be ServiceAccount (got ${describe(iss.input)})` }).describe('ServiceAccount.'),
              name: k8sName.describe("The ServiceAccount's name."),
              namespace: k8sName.optional().describe("Its namespace (default: the resource's)."),
            }),
          )
          .optional()
          .describe('ServiceAccounts whose identities count.'),
      })
      .superRefine((s, ctx) => {
        if (!s.identities?.length && !s.identityRefs?.length) ctx.addIssue({ code: 'custom', message: 'must list identities or identityRefs' });
      })
      .describe('The identities: identities and/or identityRefs.'),
  })
  .describe(
    'A Linkerd MeshTLSAuthentication: a set of mesh identities (exact, *.suffix or *) or ServiceAccounts, which an AuthorizationPolicy can require of clients.',
  );

const network = z
  .strictObject({
    cidr: cidrText.describe('A client network, such as 10.0.0.0/8 (IPv4 or IPv6).'),
    except: z.array(cidrText).optional().describe('Ranges inside it that do not count.'),
  })
  .superRefine((n, ctx) => {
    const net = parseCidr(n.cidr);
    (n.except ?? []).forEach((e, i) => {
      const ex = parseCidr(e);
      if (!net || !ex) return;
      // linkerd2 admission.rs validate_networks.
      if (cidrCovers(ex, net)) ctx.addIssue({ code: 'custom', path: ['except', i], message: `completely negates cidr ${n.cidr}` });
      else if (!cidrCovers(net, ex)) ctx.addIssue({ code: 'custom', path: ['except', i], message: `is not inside cidr ${n.cidr}` });
    });
  });

/** NetworkAuthentication: client networks, each a CIDR minus exceptions. */
export const networkAuthentication = z
  .strictObject({
    apiVersion,
    kind: kindField('NetworkAuthentication'),
    metadata,
    spec: z
      .strictObject({
        networks: z
          .array(network)
          .min(1, { message: 'at least one network must be specified (Linkerd admission)' })
          .describe('Client networks: { cidr, except }.'),
      })
      .describe('The client networks.'),
  })
  .describe('A Linkerd NetworkAuthentication: client networks (CIDR ranges, minus exceptions), which an AuthorizationPolicy can require of clients.');

/**
 * ServerAuthorization (policy.linkerd.io/v1beta1), the older way to authorize clients of a Server:
 * the Servers it covers (by name, or by a selector over the Servers' labels) and the clients —
 * unauthenticated, or meshed with identities or ServiceAccounts — from its networks (linkerd2
 * policy-controller k8s/api/src/policy/server_authorization.rs; admission in runtime/src/admission.rs).
 */
export const serverAuthorization = z
  .strictObject({
    apiVersion,
    kind: kindField('ServerAuthorization'),
    metadata,
    spec: z
      .strictObject({
        server: z
          .strictObject({
            name: k8sName.optional().describe("The Server's name (in the ServerAuthorization's namespace)."),
            selector: z
              .strictObject({
                matchLabels: stringMap.describe("Labels the Servers must carry (on the Server's metadata.labels)."),
                matchExpressions: unsupported('matchExpressions: use matchLabels'),
              })
              .optional()
              .describe('The Servers it covers, by their labels (used when name is not set; empty: every Server of the namespace).'),
          })
          .describe('The Servers it covers: { name } or { selector }.'),
        client: z
          .strictObject({
            networks: z
              .array(network)
              .optional()
              .describe("Client networks { cidr, except }; unset: the cluster's networks (policy-controller grpc inbound.rs to_authz)."),
            unauthenticated: z.boolean().default(false).describe('true: any client, meshed or not.'),
            meshTLS: z
              .strictObject({
                unauthenticatedTLS: z.boolean().default(false).describe('true: any meshed (TLS) client, whatever its identity.'),
                identities: z.array(identityText).optional().describe('Mesh identities (exact, *.suffix or *).'),
                serviceAccounts: z
                  .array(
                    z.strictObject({
                      name: k8sName.describe("The ServiceAccount's name."),
                      namespace: k8sName.optional().describe("Its namespace (default: the ServerAuthorization's)."),
                    }),
                  )
                  .optional()
                  .describe('ServiceAccounts whose identities count.'),
              })
              .optional()
              .describe('Meshed clients: their identities or ServiceAccounts, or any (unauthenticatedTLS).'),
          })
          .superRefine((c, ctx) => {
            // linkerd2 runtime/src/admission.rs and k8s/index/src/inbound/server_authorization.rs client_authz.
            if (c.meshTLS && c.unauthenticated)
              ctx.addIssue({ code: 'custom', path: ['unauthenticated'], message: 'must be false when meshTLS is set (Linkerd admission)' });
            else if (!c.meshTLS && !c.unauthenticated)
              ctx.addIssue({ code: 'custom', message: 'configures no client authentication: set unauthenticated: true or meshTLS (Linkerd ignores it)' });
            const m = c.meshTLS;
            const named = (m?.identities?.length ?? 0) + (m?.serviceAccounts?.length ?? 0);
            if (m?.unauthenticatedTLS && named > 0)
              ctx.addIssue({
                code: 'custom',
                path: ['meshTLS', 'unauthenticatedTLS'],
                message: 'must be false when identities or serviceAccounts are set (Linkerd admission)',
              });
            if (m && !m.unauthenticatedTLS && named === 0)
              ctx.addIssue({
                code: 'custom',
                path: ['meshTLS'],
                message: 'authorizes no clients: list identities or serviceAccounts, or set unauthenticatedTLS (Linkerd ignores it)',
              });
          })
          .describe('Who is authorized: unauthenticated, or meshTLS; from networks.'),
      })
      .describe('The Servers it covers and the clients it authorizes.'),
  })
  .describe(
    'A Linkerd ServerAuthorization (policy.linkerd.io/v1beta1, the older policy resource): lets the clients it describes reach the Servers it selects.',
  );

/**
 * `config.linkerd.io/opaque-ports` belongs on the destination, not the source: on a workload or
 * namespace it makes that workload's own inbound ports opaque (and tells meshed clients so); on a
 * Service it makes meshed clients proxy connections to those ports as opaque TCP (linkerd.io
 * 2.16 features/protocol-detection "Marking ports as opaque": "This annotation should be set on
 * the destination, not on the source, of the traffic"; 2.18+ docs: a Service port's `appProtocol`
 * instead, the annotation for pods reached by unmeshed clients, headless Services and
 * EgressNetworks). mesh-sim models the destination's side only, with a Server's `proxyProtocol:
 * opaque` (FIDELITY A7), so the annotation is refused with the reason where it is written.
 */
export function opaquePortsMessage(kind: string): string {
  const why =
    kind === 'Service'
      ? 'on a Service it makes meshed clients proxy connections to those ports as opaque TCP (no HTTP routing, retries or per-request balancing), which mesh-sim does not simulate'
      : `on a ${kind} it marks the inbound ports of its own pods opaque — it belongs on the destination, not the source, so it does not make the connections those pods open opaque (linkerd.io/2.16/features/protocol-detection)`;
  return `is not simulated: ${why}. mesh-sim models an opaque port on the destination's side: a Server with proxyProtocol: opaque (FIDELITY A7)`;
}

// A Deployment reduced to what Linkerd's proxy injector reads for policy: the pod template's
// annotations (FIDELITY A7: the default inbound policy can be set on a namespace or a workload).
export const linkerdDeployment = z
  .strictObject({
    apiVersion,
    kind: kindField('Deployment'),
    metadata: z
      .strictObject({
        name: k8sName.describe("The Deployment's name: the service of the same name."),
        namespace: k8sName.optional().describe('Its namespace.'),
        labels: unsupported('labels: pods are labelled app and version from services:'),
        annotations: unsupported(`annotations on the Deployment itself: put ${POLICY_ANNOTATION} on spec.template.metadata.annotations, which the pods get`),
      })
      .describe("The Deployment's name and namespace."),
    spec: z
      .strictObject({
        template: z
          .strictObject({
            metadata: z
              .strictObject({
                // The only pod-template annotation mesh-sim reads; others are reported as unknown keys.
                annotations: z
                  .strictObject({
                    [POLICY_ANNOTATION]: defaultPolicy.optional().describe("The pods' default inbound policy, over their namespace's."),
                    'config.linkerd.io/opaque-ports': z
                      .unknown()
                      .optional()
                      .superRefine((v, ctx) => {
                        if (v !== undefined) ctx.addIssue({ code: 'custom', message: opaquePortsMessage('workload') });
                      })
                      .describe("Not simulated: the pods' own inbound opaque ports (use a Server with proxyProtocol: opaque)."),
                  })
                  .optional()
                  .describe("The pod template's annotations: config.linkerd.io/default-inbound-policy."),
              })
              .optional()
              .describe("The pod template's metadata: { annotations }."),
            spec: z
              .strictObject({
                containers: z
                  .array(
                    z.strictObject({
                      name: k8sName.optional().describe("The container's name."),
                      ports: z
                        .array(
                          z.strictObject({
                            name: portName.optional().describe("The port's name, which a Server's port may give instead of the number."),
                            containerPort: wholeNumber(1, 65535).describe('The port number the app listens on (services[].port).'),
                            protocol: z.enum(['TCP']).optional().describe('TCP (the only protocol simulated).'),
                          }),
                        )
                        .optional()
                        .describe('The ports the container declares: { name, containerPort }.'),
                    }),
                  )
                  .describe("The pod's containers, for their named ports."),
              })
              .optional()
              .describe("The pod spec, reduced to its containers' ports: declare the workload itself under services:."),
          })
          .describe('The pod template: { metadata: { annotations }, spec: { containers: [{ ports }] } }.'),
        replicas: unsupported('replicas: set services[].replicas'),
        selector: unsupported('selector: the Deployment is matched to the service of the same name'),
      })
      .describe("The pod template whose annotations the pods get, and its containers' named ports."),
  })
  .describe(
    "A Deployment reduced to what Linkerd reads for policy: the default inbound policy annotation on its pod template (spec.template.metadata.annotations), and the names of its containers' ports, which a Server may use.",
  );

/** Validated Linkerd policy resources. */
export type LinkerdServer = z.output<typeof linkerdServer>;
export type LinkerdAuthorizationPolicy = z.output<typeof linkerdAuthorizationPolicy>;
export type MeshTLSAuthentication = z.output<typeof meshTlsAuthentication>;
export type NetworkAuthentication = z.output<typeof networkAuthentication>;
export type LinkerdDeployment = z.output<typeof linkerdDeployment>;
export type ServerAuthorization = z.output<typeof serverAuthorization>;
