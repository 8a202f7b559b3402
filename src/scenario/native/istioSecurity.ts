/**
 * Istio request security as a user would `kubectl apply` it: AuthorizationPolicy and
 * RequestAuthentication (security.istio.io). Field names follow istio/api
 * security/v1beta1/authorization_policy.proto and request_authentication.proto (FIDELITY A5).
 * Only what mesh-sim evaluates is accepted; every other real field is reported by name, and a
 * `when` key mesh-sim cannot evaluate faithfully is an error, never silently ignored (Istio
 * itself ignores unsupported condition keys, which is exactly the surprise a course must avoid).
 */
import { z } from '../zodSetup.ts';
import { describe } from '../units.ts';
import { apiVersion, k8sName, kindField, matchLabelsSelector, metadata, unsupported } from './common.ts';
import { cidrText } from './cidrSchema.ts';

/**
 * The ext-authz providers mesh-sim simulates: the two that Istio's External Authorization task
 * defines for its sample server (istio.io tasks/security/authorization/authz-custom,
 * istio/istio samples/extauthz).
 */
const EXT_AUTHZ_PROVIDERS = ['sample-ext-authz-http', 'sample-ext-authz-grpc'] as const;

/** `when` keys mesh-sim evaluates (istio.io reference/config/security/conditions). */
const CONDITION_KEYS = [
  'request.headers[<name>]',
  'source.ip',
  'source.namespace',
  'source.principal',
  'request.auth.principal',
  'request.auth.claims[<name>]',
  'destination.ip',
  'destination.port',
] as const;

const conditionKey = z.string().superRefine((key, ctx) => {
  if (/^request\.headers\[[^\]]+\]$/.test(key)) return;
  if (/^request\.auth\.claims\[[A-Za-z0-9_.:-]+\]$/.test(key)) return;
  if ((CONDITION_KEYS as readonly string[]).includes(key)) return;
  const why = key.startsWith('request.auth.claims[')
    ? 'a claim name in one pair of brackets, like request.auth.claims[groups]; nested claims are not simulated'
    : `supported keys: ${CONDITION_KEYS.join(', ')}`;
  ctx.addIssue({ code: 'custom', message: `"${key}" is not supported by mesh-sim (${why})` });
});

const values = z.array(z.string()).min(1, { message: 'must list at least one value' });
const portText = z
  .string({ error: (iss) => `must be a port number as a string, like "8080" (got ${describe(iss.input)})` })
  .regex(/^\d{1,5}$/, { message: 'must be a port number as a string, like "8080"' })
  .refine((p) => Number(p) >= 1 && Number(p) <= 65535, { message: 'must be a port 1–65535' });

const source = z.strictObject({
  principals: values.optional().describe('Source identities allowed to match (cluster.local/ns/default/sa/productpage); needs mTLS.'),
  notPrincipals: values.optional().describe('Source identities that do not match.'),
  requestPrincipals: values.optional().describe('End-user identities from a validated JWT (issuer/subject); * for any token.'),
  notRequestPrincipals: values.optional().describe('End-user identities that do not match.'),
  namespaces: values.optional().describe('Source namespaces allowed to match; needs mTLS.'),
  notNamespaces: values.optional().describe('Source namespaces that do not match.'),
  ipBlocks: z.array(cidrText).min(1).optional().describe('Source IP addresses or CIDR ranges that match.'),
  notIpBlocks: z.array(cidrText).min(1).optional().describe('Source IP addresses or ranges that do not match.'),
  remoteIpBlocks: unsupported('remoteIpBlocks: no gateway sets X-Forwarded-For in the simulation; use ipBlocks'),
  notRemoteIpBlocks: unsupported('notRemoteIpBlocks: no gateway sets X-Forwarded-For in the simulation'),
});

const operation = z.strictObject({
  methods: values.optional().describe('HTTP methods that match (GET, POST).'),
  notMethods: values.optional().describe('HTTP methods that do not match.'),
  paths: values.optional().describe('Request paths that match: exact, prefix (/api/*), suffix (*.html) or *.'),
  notPaths: values.optional().describe('Request paths that do not match.'),
  ports: z.array(portText).min(1).optional().describe('Destination ports that match, as strings ("8080").'),
  notPorts: z.array(portText).min(1).optional().describe('Destination ports that do not match.'),
  hosts: unsupported('hosts: requests are matched by workload, not by Host header'),
  notHosts: unsupported('notHosts: requests are matched by workload, not by Host header'),
});

const condition = z
  .strictObject({
    key: conditionKey.describe(
      'The attribute: request.headers[<name>], source.ip, source.namespace, source.principal, request.auth.principal, request.auth.claims[<name>] (iss, sub, or a claim of traffic[].jwt.claims), destination.ip or destination.port.',
    ),
    values: values.optional().describe('Values that match (any one).'),
    notValues: values.optional().describe('Values that do not match.'),
  })
  .superRefine((c, ctx) => {
    if (c.values === undefined && c.notValues === undefined) ctx.addIssue({ code: 'custom', message: 'must set values or notValues (or both)' });
  });

const rule = z.strictObject({
  from: z
    .array(z.strictObject({ source: source.describe('The source: principals, namespaces, IP blocks (each with its not- form).') }))
    .optional()
    .describe('Sources a request must come from (any one of them).'),
  to: z
    .array(z.strictObject({ operation: operation.describe('The operation: methods, paths, ports (each with its not- form).') }))
    .optional()
    .describe('Operations a request must be (any one of them).'),
  when: z.array(condition).optional().describe('Extra conditions on request attributes (all must hold).'),
});

/** AuthorizationPolicy (security.istio.io): who may do what to the selected workloads (FIDELITY A5). */
export const authorizationPolicy = z
  .strictObject({
    apiVersion,
    kind: kindField('AuthorizationPolicy'),
    metadata,
    spec: z
      .strictObject({
        selector: matchLabelsSelector
          .optional()
          .describe('Which workloads the policy applies to; without it, every workload in its namespace (or the mesh, from the root namespace).'),
        // istio/api: "The default action is ALLOW".
        action: z
          .enum(['ALLOW', 'DENY', 'CUSTOM', 'AUDIT'])
          .default('ALLOW')
          .superRefine((a, ctx) => {
            if (a === 'AUDIT') ctx.addIssue({ code: 'custom', message: 'AUDIT is not supported by mesh-sim (it only marks requests for a logging plugin)' });
          })
          .describe(
            'ALLOW (the default), DENY or CUSTOM. DENY policies are checked first, then CUSTOM, then ALLOW: with any ALLOW policy, a request must match one.',
          ),
        provider: z
          .strictObject({
            name: z
              .enum(EXT_AUTHZ_PROVIDERS, {
                error: (iss) =>
                  `must be ${EXT_AUTHZ_PROVIDERS.join(' or ')}: mesh-sim simulates Istio's sample ext-authz server only (got ${describe(iss.input)})`,
              })
              .describe("The external authorizer: sample-ext-authz-http or sample-ext-authz-grpc (Istio's sample ext-authz server)."),
          })
          .optional()
          .describe('With CUSTOM: { name } of the external authorizer to ask.'),
        rules: z
          .array(rule)
          .optional()
          .describe('When the action applies: a request matches when it matches any rule. No rules: ALLOW matches nothing, DENY nothing.'),
        targetRef: unsupported('targetRef: use targetRefs'),
        // FIDELITY-MORE H4: a policy with targetRefs attaches to a waypoint (kind Gateway) or to a
        // Service served by one; it is never sent to ztunnel, and sidecars do not enforce it.
        targetRefs: z
          .array(
            z.strictObject({
              group: z.enum(['gateway.networking.k8s.io', '']).optional().describe('gateway.networking.k8s.io for a Gateway, empty for a Service.'),
              kind: z.enum(['Gateway', 'Service']).describe('Gateway (a waypoint) or Service (a service served by a waypoint).'),
              name: k8sName.describe('The waypoint Gateway or the Service, in the policy namespace.'),
            }),
          )
          .min(1)
          .optional()
          .describe('Ambient mode: the waypoint (kind Gateway) or the Service behind one the policy applies at; instead of selector.'),
      })
      .superRefine((s, ctx) => {
        if (s.selector && s.targetRefs) ctx.addIssue({ code: 'custom', path: ['targetRefs'], message: 'cannot be set with selector: pick one' });
        // istio/api: provider "must be used only with CUSTOM action".
        if (s.action === 'CUSTOM' && !s.provider) ctx.addIssue({ code: 'custom', path: ['provider'], message: 'is required with action CUSTOM' });
        if (s.action !== 'CUSTOM' && s.provider) ctx.addIssue({ code: 'custom', path: ['provider'], message: 'is only used with action CUSTOM' });
      })
      .default({ action: 'ALLOW' })
      .describe('The policy: selector, action and rules.'),
  })
  .describe(
    'Istio AuthorizationPolicy: who may do what to the selected workloads — rules on the source (principals, namespaces, IPs), the operation (methods, paths, ports) and conditions; ALLOW, DENY or CUSTOM (an external authorizer).',
  );

/** An issuer as the simulated token carries it: no blanks or `;`, like a URL. */
const tokenText = z
  .string({ error: (iss) => `must be a string (got ${describe(iss.input)})` })
  .min(1)
  .regex(/^[^\s;]+$/, { message: 'must not contain blanks or ";" (an issuer is usually a URL)' });

const jwtRule = z.strictObject({
  issuer: tokenText.describe('The token issuer accepted (the iss claim), such as https://accounts.example.com.'),
  /** Where the keys come from. The simulated token says whether its signature verifies (traffic `jwt.valid`). */
  jwksUri: z.string().optional().describe("Where the issuer's public keys are (the simulated token says whether its signature verifies)."),
  jwks: z.string().optional().describe("The issuer's public keys inline (the simulated token says whether its signature verifies)."),
  audiences: unsupported('audiences: simulated tokens carry no aud claim'),
  fromHeaders: unsupported('fromHeaders: tokens travel in the default Authorization: Bearer header'),
  fromParams: unsupported('fromParams: tokens travel in the default Authorization: Bearer header'),
  fromCookies: unsupported('fromCookies: tokens travel in the default Authorization: Bearer header'),
  outputPayloadToHeader: unsupported('outputPayloadToHeader'),
  outputClaimToHeaders: unsupported('outputClaimToHeaders'),
  forwardOriginalToken: unsupported('forwardOriginalToken'),
  timeout: unsupported('timeout: JWKS fetching is not simulated'),
});

/** RequestAuthentication (security.istio.io): which JWT issuers the selected workloads validate (FIDELITY A5). */
export const requestAuthentication = z
  .strictObject({
    apiVersion,
    kind: kindField('RequestAuthentication'),
    metadata,
    spec: z
      .strictObject({
        selector: matchLabelsSelector.optional().describe('Which workloads validate tokens; without it, every workload in its namespace.'),
        jwtRules: z.array(jwtRule).min(1, { message: 'must list at least one jwtRule' }).describe('The issuers whose tokens are accepted.'),
        targetRef: unsupported('targetRef: gateways and waypoints are not simulated; use selector'),
        targetRefs: unsupported('targetRefs: gateways and waypoints are not simulated; use selector'),
      })
      .describe("Which workloads validate which issuers' tokens."),
  })
  .describe(
    'Istio RequestAuthentication: which JWT issuers the selected workloads accept; a request with an invalid token is refused with 401, one without a token passes unauthenticated (an AuthorizationPolicy can then require one).',
  );

/** A validated Istio AuthorizationPolicy. */
export type IstioAuthorizationPolicy = z.output<typeof authorizationPolicy>;
/** One rule of an AuthorizationPolicy, and its parts (from.source, to.operation, when). */
export type IstioAuthzRule = z.output<typeof rule>;
export type IstioAuthzSource = z.output<typeof source>;
export type IstioAuthzOperation = z.output<typeof operation>;
export type IstioAuthzCondition = z.output<typeof condition>;
/** A validated RequestAuthentication. */
export type RequestAuthentication = z.output<typeof requestAuthentication>;
