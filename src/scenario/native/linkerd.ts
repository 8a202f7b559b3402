/**
 * Native Linkerd resources a scenario may carry under `linkerd:`: Service and Namespace
 * annotations, HTTPRoute (Gateway API or policy.linkerd.io) and ServiceProfile. Annotation names
 * and value formats follow linkerd.io/2.16/reference/retries and 2-edge/reference/timeouts
 * (FIDELITY B3, B4) and the default inbound policy of server-policy (A7).
 */
import { z } from '../zodSetup.ts';
import { durationMs, parseDuration, describe, portNumber, wholeNumber } from '../units.ts';
import { kindUnion, k8sName, metadata, regexProblem, regexText, unsupported } from './common.ts';
import { egressNetwork, ingress, tlsRoute, type EgressNetwork, type LinkerdIngress, type TlsRoute } from './linkerdEdge.ts';
import * as policy from './linkerdPolicy.ts';

type Check = (value: string) => string | undefined;

const httpRetryToken = /^(5xx|gateway-error|\d{3}|\d{3}-\d{3})$/;
const checkDuration: Check = (v) => (parseDuration(v) === undefined ? `must be a duration with a unit like 200ms or 2s (got "${v}")` : undefined);

/** Every annotation mesh-sim reads, with the value check; others are reported, not ignored. */
const LINKERD_ANNOTATIONS: Record<string, { on: string[]; check: Check }> = {
  // FIDELITY B3: comma list of xxx, xxx-yyy, gateway-error, 5xx.
  'retry.linkerd.io/http': {
    on: ['Service', 'HTTPRoute'],
    check: (v) => {
      const bad = v
        .split(',')
        .map((s) => s.trim())
        .find((s) => !httpRetryToken.test(s));
      return bad === undefined ? undefined : `must be a comma list of 5xx, gateway-error, a status like 503 or a range like 500-504 (got "${bad}")`;
    },
  },
  'retry.linkerd.io/limit': {
    on: ['Service', 'HTTPRoute'],
    check: (v) => (/^\d+$/.test(v.trim()) ? undefined : `must be a whole number of retries (got "${v}")`),
  },
  'retry.linkerd.io/timeout': { on: ['Service', 'HTTPRoute'], check: checkDuration },
  // FIDELITY C3: failure accrual (circuit breaking) on a Service; "consecutive" is the only policy.
  'balancer.linkerd.io/failure-accrual': {
    on: ['Service'],
    check: (v) => (v === 'consecutive' ? undefined : `must be "consecutive", the only failure accrual policy (got "${v}")`),
  },
  'balancer.linkerd.io/failure-accrual-consecutive-max-failures': {
    on: ['Service'],
    check: (v) => (/^[1-9]\d*$/.test(v.trim()) ? undefined : `must be a whole number ≥ 1 (got "${v}")`),
  },
  'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': { on: ['Service'], check: checkDuration },
  'balancer.linkerd.io/failure-accrual-consecutive-max-penalty': { on: ['Service'], check: checkDuration },
  'balancer.linkerd.io/failure-accrual-consecutive-jitter-ratio': {
    on: ['Service'],
    check: (v) => (/^\d+(\.\d+)?$/.test(v.trim()) && Number(v) <= 100 ? undefined : `must be a ratio from 0.0 to 100.0 (got "${v}")`),
  },
  // FIDELITY B4: request, response and idle timeouts.
  'timeout.linkerd.io/request': { on: ['Service', 'HTTPRoute'], check: checkDuration },
  'timeout.linkerd.io/response': { on: ['Service', 'HTTPRoute'], check: checkDuration },
  'timeout.linkerd.io/idle': { on: ['Service', 'HTTPRoute'], check: checkDuration },
  // FIDELITY A7: default inbound policy, on a Namespace (or at install).
  'config.linkerd.io/default-inbound-policy': {
    on: ['Namespace'],
    check: (v) =>
      (policy.DEFAULT_INBOUND_POLICIES as readonly string[]).includes(v) ? undefined : `must be ${policy.DEFAULT_INBOUND_POLICIES.join(', ')} (got "${v}")`,
  },
  // FIDELITY F2: the proxy injector acts on pods in namespaces annotated for injection.
  'linkerd.io/inject': {
    on: ['Namespace'],
    check: (v) => (['enabled', 'disabled'].includes(v) ? undefined : `must be enabled or disabled (got "${v}")`),
  },
};

/** metadata whose annotations are checked against {@link LINKERD_ANNOTATIONS} for `kind`. */
function annotatedMetadata(kind: string) {
  return metadata.superRefine((m, ctx) => {
    for (const [key, value] of Object.entries(m.annotations ?? {})) {
      const spec = LINKERD_ANNOTATIONS[key];
      if (!spec || !spec.on.includes(kind)) {
        const known = Object.keys(LINKERD_ANNOTATIONS).filter((k) => LINKERD_ANNOTATIONS[k]!.on.includes(kind));
        ctx.addIssue({
          code: 'custom',
          path: ['annotations', key],
          message: `annotation "${key}" is not supported on a ${kind} by mesh-sim (supported: ${known.join(', ')})`,
        });
        continue;
      }
      const problem = spec.check(value);
      if (problem) ctx.addIssue({ code: 'custom', path: ['annotations', key], message: problem });
    }
  });
}

export const linkerdService = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('Service'),
  metadata: annotatedMetadata('Service'),
  spec: unsupported('a Service spec: declare the service under services: and annotate it here'),
});

export const linkerdNamespace = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('Namespace'),
  metadata: annotatedMetadata('Namespace'),
});

// Gateway API HTTPRoute as Linkerd reads it (FIDELITY B3, B4; linkerd.io/2.16/reference/retries).
/** A `value` that is a regular expression when `type` is RegularExpression, checked as one. */
const checkRegexValue = (m: { type: string; value: string }, ctx: z.RefinementCtx): void => {
  const problem = m.type === 'RegularExpression' ? regexProblem(m.value) : undefined;
  if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
};
const pathMatch = z
  .strictObject({
    type: z.enum(['PathPrefix', 'Exact', 'RegularExpression']).default('PathPrefix'),
    value: z.string(),
  })
  .superRefine(checkRegexValue);
const routeMatch = z.strictObject({
  path: pathMatch.optional(),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']).optional(),
  headers: z
    .array(z.strictObject({ name: z.string(), value: z.string(), type: z.enum(['Exact', 'RegularExpression']).default('Exact') }).superRefine(checkRegexValue))
    .optional(),
  queryParams: unsupported('query parameter matches'),
});
const parentRef = z.strictObject({
  name: k8sName,
  /** A Service, or an EgressNetwork (routes that let specific hosts or paths out, FIDELITY E2). */
  kind: z.enum(['Service', 'EgressNetwork']).default('Service'),
  group: z.enum(['core', '', 'policy.linkerd.io']).optional(),
  namespace: k8sName.optional(),
  port: portNumber.optional(),
});
const backendRef = z.strictObject({
  name: k8sName,
  port: portNumber.optional(),
  weight: wholeNumber(0).default(1),
  kind: z.enum(['Service']).optional(),
  namespace: k8sName.optional(),
});
const routeRule = z.strictObject({
  matches: z.array(routeMatch).optional(),
  backendRefs: z.array(backendRef).optional(),
  timeouts: z.strictObject({ request: durationMs.optional(), backendRequest: durationMs.optional() }).optional(),
  filters: unsupported('HTTPRoute filters'),
});
export const linkerdHttpRoute = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('HTTPRoute'),
  metadata: annotatedMetadata('HTTPRoute'),
  spec: z.strictObject({
    parentRefs: z.array(parentRef).min(1, { message: 'must name the Service the route attaches to' }),
    /** For routes under an EgressNetwork: the external hosts they apply to. */
    hostnames: z.array(z.string()).optional(),
    rules: z.array(routeRule).min(1),
  }),
});

// ServiceProfile (linkerd.io/v1alpha2): retryable routes, route timeouts and the retry budget (FIDELITY B3, B4).
export const serviceProfile = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('ServiceProfile'),
  metadata: metadata.superRefine((m, ctx) => {
    if (!/^[a-z0-9-]+\.[a-z0-9-]+\.svc\.cluster\.local$/.test(m.name))
      ctx.addIssue({ code: 'custom', path: ['name'], message: `must be the service's FQDN like reviews.default.svc.cluster.local (got "${m.name}")` });
  }),
  spec: z.strictObject({
    routes: z
      .array(
        z.strictObject({
          name: z.string(),
          condition: z.strictObject({
            method: z.string().optional(),
            pathRegex: regexText.optional(),
          }),
          isRetryable: z.boolean().optional(),
          timeout: durationMs.optional(),
          responseClasses: unsupported('responseClasses: 5xx responses count as failures'),
        }),
      )
      .default([]),
    retryBudget: z
      .strictObject({
        retryRatio: z.number({ error: (iss) => `must be a number (got ${describe(iss.input)})` }).min(0),
        minRetriesPerSecond: wholeNumber(0),
        ttl: durationMs,
      })
      .optional(),
  }),
});

export type LinkerdService = z.output<typeof linkerdService>;
export type LinkerdNamespace = z.output<typeof linkerdNamespace>;
export type LinkerdHttpRoute = z.output<typeof linkerdHttpRoute>;
export type ServiceProfile = z.output<typeof serviceProfile>;
export type LinkerdResource =
  LinkerdService | LinkerdNamespace | LinkerdHttpRoute | ServiceProfile | EgressNetwork | LinkerdIngress | TlsRoute | LinkerdPolicyResource;
export type * from './linkerdPolicy.ts';
type LinkerdPolicyResource =
  policy.LinkerdServer | policy.LinkerdAuthorizationPolicy | policy.MeshTLSAuthentication | policy.NetworkAuthentication | policy.LinkerdDeployment;

/** The `linkerd:` list entry: one of the supported kinds, chosen by `kind`. */
export const linkerdResource = kindUnion('Linkerd', {
  Service: { apiVersions: ['v1'], schema: linkerdService },
  Namespace: { apiVersions: ['v1'], schema: linkerdNamespace },
  HTTPRoute: { apiVersions: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1', 'policy.linkerd.io/v1beta3'], schema: linkerdHttpRoute },
  ServiceProfile: { apiVersions: ['linkerd.io/v1alpha2'], schema: serviceProfile },
  EgressNetwork: { apiVersions: ['policy.linkerd.io/v1alpha1'], schema: egressNetwork },
  Ingress: { apiVersions: ['networking.k8s.io/v1'], schema: ingress },
  TLSRoute: { apiVersions: ['gateway.networking.k8s.io/v1alpha2'], schema: tlsRoute },
  Server: { apiVersions: ['policy.linkerd.io/v1beta3', 'policy.linkerd.io/v1beta2', 'policy.linkerd.io/v1beta1'], schema: policy.linkerdServer },
  AuthorizationPolicy: { apiVersions: ['policy.linkerd.io/v1alpha1'], schema: policy.linkerdAuthorizationPolicy },
  MeshTLSAuthentication: { apiVersions: ['policy.linkerd.io/v1alpha1'], schema: policy.meshTlsAuthentication },
  NetworkAuthentication: { apiVersions: ['policy.linkerd.io/v1alpha1'], schema: policy.networkAuthentication },
  Deployment: { apiVersions: ['apps/v1'], schema: policy.linkerdDeployment },
}) as unknown as z.ZodType<LinkerdResource, unknown>;

export type { EgressNetwork, LinkerdIngress, TlsRoute } from './linkerdEdge.ts';
