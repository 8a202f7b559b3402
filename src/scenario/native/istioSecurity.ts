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
import { matchLabelsSelector, metadata, unsupported } from './common.ts';
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
  'request.auth.claims[iss]',
  'request.auth.claims[sub]',
  'destination.ip',
  'destination.port',
] as const;

const conditionKey = z.string().superRefine((key, ctx) => {
  if (/^request\.headers\[[^\]]+\]$/.test(key)) return;
  if (/^request\.auth\.claims\[(iss|sub)\]$/.test(key)) return;
  if ((CONDITION_KEYS as readonly string[]).includes(key)) return;
  const why = key.startsWith('request.auth.claims[') ? 'mesh-sim tokens carry only the iss and sub claims' : `supported keys: ${CONDITION_KEYS.join(', ')}`;
  ctx.addIssue({ code: 'custom', message: `"${key}" is not supported by mesh-sim (${why})` });
});

const values = z.array(z.string()).min(1, { message: 'must list at least one value' });
const portText = z
  .string({ error: (iss) => `must be a port number as a string, like "8080" (got ${describe(iss.input)})` })
  .regex(/^\d{1,5}$/, { message: 'must be a port number as a string, like "8080"' })
  .refine((p) => Number(p) >= 1 && Number(p) <= 65535, { message: 'must be a port 1–65535' });

const source = z.strictObject({
  principals: values.optional(),
  notPrincipals: values.optional(),
  requestPrincipals: values.optional(),
  notRequestPrincipals: values.optional(),
  namespaces: values.optional(),
  notNamespaces: values.optional(),
  ipBlocks: z.array(cidrText).min(1).optional(),
  notIpBlocks: z.array(cidrText).min(1).optional(),
  remoteIpBlocks: unsupported('remoteIpBlocks: no gateway sets X-Forwarded-For in the simulation; use ipBlocks'),
  notRemoteIpBlocks: unsupported('notRemoteIpBlocks: no gateway sets X-Forwarded-For in the simulation'),
});

const operation = z.strictObject({
  methods: values.optional(),
  notMethods: values.optional(),
  paths: values.optional(),
  notPaths: values.optional(),
  ports: z.array(portText).min(1).optional(),
  notPorts: z.array(portText).min(1).optional(),
  hosts: unsupported('hosts: requests are matched by workload, not by Host header'),
  notHosts: unsupported('notHosts: requests are matched by workload, not by Host header'),
});

const condition = z.strictObject({ key: conditionKey, values: values.optional(), notValues: values.optional() }).superRefine((c, ctx) => {
  if (c.values === undefined && c.notValues === undefined) ctx.addIssue({ code: 'custom', message: 'must set values or notValues (or both)' });
});

const rule = z.strictObject({
  from: z.array(z.strictObject({ source })).optional(),
  to: z.array(z.strictObject({ operation })).optional(),
  when: z.array(condition).optional(),
});

/** AuthorizationPolicy (security.istio.io): who may do what to the selected workloads (FIDELITY A5). */
export const authorizationPolicy = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('AuthorizationPolicy'),
  metadata,
  spec: z
    .strictObject({
      selector: matchLabelsSelector.optional(),
      // istio/api: "The default action is ALLOW".
      action: z
        .enum(['ALLOW', 'DENY', 'CUSTOM', 'AUDIT'])
        .default('ALLOW')
        .superRefine((a, ctx) => {
          if (a === 'AUDIT') ctx.addIssue({ code: 'custom', message: 'AUDIT is not supported by mesh-sim (it only marks requests for a logging plugin)' });
        }),
      provider: z
        .strictObject({
          name: z.enum(EXT_AUTHZ_PROVIDERS, {
            error: (iss) => `must be ${EXT_AUTHZ_PROVIDERS.join(' or ')}: mesh-sim simulates Istio's sample ext-authz server only (got ${describe(iss.input)})`,
          }),
        })
        .optional(),
      rules: z.array(rule).optional(),
      targetRef: unsupported('targetRef: gateways and waypoints are not simulated; use selector'),
      targetRefs: unsupported('targetRefs: gateways and waypoints are not simulated; use selector'),
    })
    .superRefine((s, ctx) => {
      // istio/api: provider "must be used only with CUSTOM action".
      if (s.action === 'CUSTOM' && !s.provider) ctx.addIssue({ code: 'custom', path: ['provider'], message: 'is required with action CUSTOM' });
      if (s.action !== 'CUSTOM' && s.provider) ctx.addIssue({ code: 'custom', path: ['provider'], message: 'is only used with action CUSTOM' });
    })
    .default({ action: 'ALLOW' }),
});

/** An issuer as the simulated token carries it: no blanks or `;`, like a URL. */
const tokenText = z
  .string({ error: (iss) => `must be a string (got ${describe(iss.input)})` })
  .min(1)
  .regex(/^[^\s;]+$/, { message: 'must not contain blanks or ";" (an issuer is usually a URL)' });

const jwtRule = z.strictObject({
  issuer: tokenText,
  /** Where the keys come from. The simulated token says whether its signature verifies (traffic `jwt.valid`). */
  jwksUri: z.string().optional(),
  jwks: z.string().optional(),
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
export const requestAuthentication = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('RequestAuthentication'),
  metadata,
  spec: z.strictObject({
    selector: matchLabelsSelector.optional(),
    jwtRules: z.array(jwtRule).min(1, { message: 'must list at least one jwtRule' }),
    targetRef: unsupported('targetRef: gateways and waypoints are not simulated; use selector'),
    targetRefs: unsupported('targetRefs: gateways and waypoints are not simulated; use selector'),
  }),
});

/** A validated Istio AuthorizationPolicy. */
export type IstioAuthorizationPolicy = z.output<typeof authorizationPolicy>;
/** One rule of an AuthorizationPolicy, and its parts (from.source, to.operation, when). */
export type IstioAuthzRule = z.output<typeof rule>;
export type IstioAuthzSource = z.output<typeof source>;
export type IstioAuthzOperation = z.output<typeof operation>;
export type IstioAuthzCondition = z.output<typeof condition>;
/** A validated RequestAuthentication. */
export type RequestAuthentication = z.output<typeof requestAuthentication>;
