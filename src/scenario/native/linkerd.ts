/**
 * Native Linkerd resources a scenario may carry under `linkerd:`: Service and Namespace
 * annotations, HTTPRoute (Gateway API or policy.linkerd.io) and ServiceProfile. Annotation names
 * and value formats follow linkerd.io/2.16/reference/retries and 2-edge/reference/timeouts
 * (FIDELITY B3, B4) and the default inbound policy of server-policy (A7).
 */
import { z } from '../zodSetup.ts';
import { durationMs, parseDuration, portNumber, subMillisecondMessage, wholeNumber } from '../units.ts';
import { apiVersion, kindField, kindUnion, k8sName, metadata, regexProblem, unsupported } from './common.ts';
import { egressNetwork, ingress, tlsRoute, type EgressNetwork, type LinkerdIngress, type TlsRoute } from './linkerdEdge.ts';
import * as policy from './linkerdPolicy.ts';
import { serviceProfile, type ServiceProfile } from './linkerdProfile.ts';
import { linkerdHelmValues, type LinkerdHelmValues } from './linkerdInstall.ts';

type Check = (value: string) => string | undefined;

const httpRetryToken = /^(5xx|gateway-error|\d{3}|\d{3}-\d{3})$/;
const checkDuration: Check = (v) =>
  parseDuration(v) === undefined ? `must be a duration with a unit like 200ms or 2s (got "${v}")` : subMillisecondMessage(v);

/** Linkerd's failure accrual modes (FIDELITY C3). */
const ACCRUAL_MODES = ['consecutive', 'unified'];
/** The prefix of unified failure accrual's success-rate annotations (an alpha API in Linkerd 2.20). */
const SUCCESS_RATE = 'balancer.alpha.linkerd.io/failure-accrual-success-rate-';

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
    // linkerd2 policy-controller k8s/index/src/outbound/index.rs parse_accrual_config: "consecutive", and since
    // linkerd/linkerd2#15374 (edge-26.6.2, Linkerd 2.20; not in 2.19) "unified": consecutive failures plus an
    // alpha success-rate window (FIDELITY C3). Any other mode Linkerd refuses ("unsupported failure accrual mode").
    check: (v) => (ACCRUAL_MODES.includes(v) ? undefined : `must be "consecutive" or "unified" (got "${v}"; Linkerd refuses other modes)`),
  },
  'balancer.linkerd.io/failure-accrual-consecutive-max-failures': {
    on: ['Service'],
    // parse_consecutive_params reads a u32; 0 turns the consecutive count off (consecutive_failures.rs trips on
    // `failures == max_failures`; unified.rs skips the dimension at 0).
    check: (v) => (/^\d+$/.test(v.trim()) ? undefined : `must be a whole number, 0 to turn the count off (got "${v}")`),
  },
  // FIDELITY C3: the success-rate window of "unified" (parse_success_rate_params; Linkerd 2.20).
  [`${SUCCESS_RATE}threshold`]: {
    on: ['Service'],
    check: (v) => (/^\d+(\.\d+)?$/.test(v.trim()) && Number(v) <= 1 ? undefined : `must be a ratio from 0.0 to 1.0, 0 to turn the window off (got "${v}")`),
  },
  [`${SUCCESS_RATE}window`]: {
    on: ['Service'],
    // The proxy rejects a window under 10ms ("success-rate-window must be at least 10ms").
    check: (v) => checkDuration(v) ?? ((parseDuration(v) ?? 0) < 10 ? `must be at least 10ms, the proxy's smallest window (got "${v}")` : undefined),
  },
  [`${SUCCESS_RATE}min-requests`]: {
    on: ['Service'],
    check: (v) => (/^\d+$/.test(v.trim()) && Number(v) <= 1_000_000 ? undefined : `must be a whole number up to 1000000 (got "${v}")`),
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
  return metadata
    .superRefine((m, ctx) => {
      for (const [key, value] of Object.entries(m.annotations ?? {})) {
        const spec = LINKERD_ANNOTATIONS[key];
        // FIDELITY A7: refused with its own reason (policy.opaquePortsMessage), not as an unknown annotation.
        if (key === 'config.linkerd.io/opaque-ports' && kind !== 'HTTPRoute') {
          ctx.addIssue({ code: 'custom', path: ['annotations', key], message: policy.opaquePortsMessage(kind) });
          continue;
        }
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
        // Linkerd reads the success-rate annotations under "unified" only and otherwise ignores them with a
        // debug log (parse_accrual_config): said here rather than ignored.
        else if (key.startsWith(SUCCESS_RATE) && m.annotations?.['balancer.linkerd.io/failure-accrual'] !== 'unified')
          ctx.addIssue({
            code: 'custom',
            path: ['annotations', key],
            message: `has no effect unless balancer.linkerd.io/failure-accrual is "unified" (Linkerd ignores it otherwise)`,
          });
      }
    })
    .describe(
      `The ${kind}'s name, namespace, labels and annotations; the annotations Linkerd reads on a ${kind} here: ${Object.keys(LINKERD_ANNOTATIONS)
        .filter((k) => LINKERD_ANNOTATIONS[k]!.on.includes(kind))
        .join(', ')}.`,
    );
}

export const linkerdService = z
  .strictObject({
    apiVersion,
    kind: kindField('Service'),
    metadata: annotatedMetadata('Service'),
    spec: unsupported('a Service spec: declare the service under services: and annotate it here'),
  })
  .describe(
    'A Kubernetes Service as Linkerd reads it: its annotations set retries, timeouts and failure accrual (circuit breaking) for calls to the service. Declare the service itself under services:.',
  );

export const linkerdNamespace = z
  .strictObject({
    apiVersion,
    kind: kindField('Namespace'),
    metadata: annotatedMetadata('Namespace'),
  })
  .describe('A Kubernetes Namespace as Linkerd reads it: its annotations set the default inbound policy of its workloads and whether the proxy is injected.');

// Gateway API HTTPRoute as Linkerd reads it (FIDELITY B3, B4; linkerd.io/2.16/reference/retries).
/** A `value` that is a regular expression when `type` is RegularExpression, checked as one. */
const checkRegexValue = (m: { type: string; value: string }, ctx: z.RefinementCtx): void => {
  const problem = m.type === 'RegularExpression' ? regexProblem(m.value) : undefined;
  if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
};
const pathMatch = z
  .strictObject({
    type: z
      .enum(['PathPrefix', 'Exact', 'RegularExpression'])
      .default('PathPrefix')
      .describe('PathPrefix (the default; whole path segments), Exact or RegularExpression.'),
    value: z.string().describe('The path, prefix or expression.'),
  })
  .superRefine(checkRegexValue);
const routeMatch = z.strictObject({
  path: pathMatch.optional().describe('Matches the request path: { type, value }.'),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']).optional().describe('Matches the HTTP method.'),
  headers: z
    .array(
      z
        .strictObject({
          name: z.string().describe("The header's name."),
          value: z.string().describe('The value, or the expression.'),
          type: z.enum(['Exact', 'RegularExpression']).default('Exact').describe('Exact (the default) or RegularExpression.'),
        })
        .superRefine(checkRegexValue),
    )
    .optional()
    .describe('Matches request headers: { name, value, type: Exact | RegularExpression }, all must match.'),
  queryParams: unsupported('query parameter matches'),
});
const parentRef = z.strictObject({
  name: k8sName.describe("The Service's (or EgressNetwork's) name."),
  /** A Service, or an EgressNetwork (routes that let specific hosts or paths out, FIDELITY E2). */
  kind: z.enum(['Service', 'EgressNetwork']).default('Service').describe('Service (the default) or EgressNetwork.'),
  group: z.enum(['core', '', 'policy.linkerd.io']).optional().describe('The API group: core (or empty) for a Service, policy.linkerd.io for an EgressNetwork.'),
  namespace: k8sName.optional().describe("Its namespace (default: the route's)."),
  port: portNumber
    .optional()
    .describe('The port: under an EgressNetwork, the route applies to that port only; on a Service, accepted (mesh-sim models one port per service).'),
});
const backendRef = z.strictObject({
  name: k8sName.describe('The Service to send to.'),
  port: portNumber.optional().describe('Its port (accepted; mesh-sim models one port per service).'),
  weight: wholeNumber(0).default(1).describe("This backend's share, relative to the others' weights (default 1)."),
  kind: z
    .enum(['Service', 'EgressNetwork'])
    .optional()
    .describe('Service (the default), or under an EgressNetwork parent the EgressNetwork itself (let the request out to its host).'),
  group: z.enum(['core', '', 'policy.linkerd.io']).optional().describe('The API group: core (or empty) for a Service, policy.linkerd.io for an EgressNetwork.'),
  namespace: k8sName.optional().describe("Its namespace (default: the route's)."),
});
const routeRule = z.strictObject({
  matches: z.array(routeMatch).optional().describe('Conditions a request must meet for this rule (any one of them); without them, every request.'),
  backendRefs: z.array(backendRef).optional().describe('Where matching requests go, split by weight (default: the parent Service).'),
  timeouts: z
    .strictObject({
      request: durationMs.optional().describe('A deadline for the whole request, retries included.'),
      backendRequest: durationMs.optional().describe('A deadline for each try.'),
    })
    .optional()
    .describe('{ request, backendRequest }: a deadline for the whole request, and for each try.'),
  filters: unsupported('HTTPRoute filters'),
});
/** policy.linkerd.io HTTPRoute versions older than v1beta3, the same but for rule timeouts; Linkerd's docs and tasks apply v1beta2 verbatim. */
const TIMEOUTLESS_HTTPROUTE: readonly string[] = ['policy.linkerd.io/v1beta2', 'policy.linkerd.io/v1beta1'];
export const linkerdHttpRoute = z
  .strictObject({
    apiVersion,
    kind: kindField('HTTPRoute'),
    metadata: annotatedMetadata('HTTPRoute'),
    spec: z
      .strictObject({
        parentRefs: z
          .array(parentRef)
          .min(1, { message: 'must name the Service the route attaches to' })
          .describe('What the route attaches to: a Service (its outbound traffic) or an EgressNetwork.'),
        /** For routes under an EgressNetwork: the external hosts they apply to. */
        hostnames: z.array(z.string()).optional().describe('For routes under an EgressNetwork: the outside hosts they apply to.'),
        rules: z
          .array(routeRule)
          .min(1)
          .describe('Rules, each with its matches, backends and timeouts; a request takes the most specific match (unmatched requests get 404).'),
      })
      .describe('The route: the Service (or EgressNetwork) it attaches to, hostnames and rules.'),
  })
  .superRefine((route, ctx) => {
    // policy.linkerd.io v1beta1 and v1beta2 have no rule timeouts: v1beta3 added them
    // (linkerd2 charts/linkerd-crds/templates/policy/httproute.yaml), so kubectl's strict field
    // validation refuses them there.
    if (!TIMEOUTLESS_HTTPROUTE.includes(route.apiVersion)) return;
    route.spec.rules.forEach((rule, i) => {
      if (rule.timeouts)
        ctx.addIssue({
          code: 'custom',
          path: ['spec', 'rules', i, 'timeouts'],
          params: { atKey: true },
          message: `is not a field of ${route.apiVersion} HTTPRoute (timeouts came with policy.linkerd.io/v1beta3): use that apiVersion, or the timeout.linkerd.io annotations`,
        });
    });
  })
  .describe(
    'An HTTPRoute attached to a Service (Gateway API or policy.linkerd.io): matches, weighted backends and timeouts per rule, with retry and timeout annotations; attached to an EgressNetwork, it lets chosen outside traffic through.',
  );

export type LinkerdService = z.output<typeof linkerdService>;
export type LinkerdNamespace = z.output<typeof linkerdNamespace>;
export type LinkerdHttpRoute = z.output<typeof linkerdHttpRoute>;
export type LinkerdResource =
  LinkerdService | LinkerdNamespace | LinkerdHttpRoute | ServiceProfile | EgressNetwork | LinkerdIngress | TlsRoute | LinkerdPolicyResource | LinkerdHelmValues;
export type * from './linkerdPolicy.ts';
type LinkerdPolicyResource =
  | policy.LinkerdServer
  | policy.LinkerdAuthorizationPolicy
  | policy.MeshTLSAuthentication
  | policy.NetworkAuthentication
  | policy.LinkerdDeployment
  | policy.ServerAuthorization;

/** The `linkerd:` list entry: one of the supported kinds, chosen by `kind`. */
export const linkerdResource = kindUnion('Linkerd', {
  Service: { apiVersions: ['v1'], schema: linkerdService },
  Namespace: { apiVersions: ['v1'], schema: linkerdNamespace },
  HTTPRoute: {
    apiVersions: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1', 'policy.linkerd.io/v1beta3', ...TIMEOUTLESS_HTTPROUTE],
    schema: linkerdHttpRoute,
  },
  ServiceProfile: { apiVersions: ['linkerd.io/v1alpha2'], schema: serviceProfile },
  EgressNetwork: { apiVersions: ['policy.linkerd.io/v1alpha1'], schema: egressNetwork },
  Ingress: { apiVersions: ['networking.k8s.io/v1'], schema: ingress },
  TLSRoute: { apiVersions: ['gateway.networking.k8s.io/v1alpha2'], schema: tlsRoute },
  Server: { apiVersions: ['policy.linkerd.io/v1beta3', 'policy.linkerd.io/v1beta2', 'policy.linkerd.io/v1beta1'], schema: policy.linkerdServer },
  AuthorizationPolicy: { apiVersions: ['policy.linkerd.io/v1alpha1'], schema: policy.linkerdAuthorizationPolicy },
  MeshTLSAuthentication: { apiVersions: ['policy.linkerd.io/v1alpha1'], schema: policy.meshTlsAuthentication },
  NetworkAuthentication: { apiVersions: ['policy.linkerd.io/v1alpha1'], schema: policy.networkAuthentication },
  ServerAuthorization: { apiVersions: ['policy.linkerd.io/v1beta1'], schema: policy.serverAuthorization },
  Deployment: { apiVersions: ['apps/v1'], schema: policy.linkerdDeployment },
  HelmValues: { apiVersions: ['mesh-sim/v1'], schema: linkerdHelmValues },
}) as unknown as z.ZodType<LinkerdResource, unknown>;

export type { EgressNetwork, LinkerdIngress, TlsRoute } from './linkerdEdge.ts';
export type { ServiceProfile, ProfileRequestMatch, ProfileResponseMatch } from './linkerdProfile.ts';
export type { LinkerdHelmValues } from './linkerdInstall.ts';
