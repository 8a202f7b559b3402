/**
 * Native Istio resources a scenario may carry under `istio:`, exactly as a user would
 * `kubectl apply` them. Only the fields mesh-sim simulates are accepted; any other field is an
 * error naming it, so a course author never believes a setting took effect when it did not.
 * Field names and enums follow istio/api (networking/v1, security/v1) — FIDELITY A1, A2, B1, B2.
 */
import { z } from '../zodSetup.ts';
import { describe, durationMs, percentNumber, portNumber, positiveDurationMs, wholeNumber } from '../units.ts';
import { apiVersion, kindField, kindUnion, metadata, matchLabelsSelector, regexText, stringMap, unsupported } from './common.ts';
import { authorizationPolicy, requestAuthentication, type IstioAuthorizationPolicy, type RequestAuthentication } from './istioSecurity.ts';
import { clientTls, connectionPool, outlierDetection, loadBalancer, portTrafficPolicy } from './istioTrafficPolicy.ts';
import { gateway, serviceEntry, type IstioGateway, type ServiceEntry } from './istioEdge.ts';
import {
  GATEWAY_API,
  namespaceLabels,
  serviceLabels,
  waypointGateway,
  type NamespaceLabels,
  type ServiceLabels,
  type WaypointGateway,
} from './istioAmbient.ts';

const NETWORKING = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'];
const SECURITY = ['security.istio.io/v1', 'security.istio.io/v1beta1'];

/** istio/api StringMatch: exactly one of exact, prefix, regex. */
export const stringMatch = z
  .strictObject({
    exact: z.string().optional().describe('Matches the whole value.'),
    prefix: z.string().optional().describe('Matches values that start with this.'),
    regex: regexText.optional().describe("Matches a regular expression (RE2 in Istio; JavaScript's RegExp here)."),
  })
  .superRefine((m, ctx) => {
    const n = [m.exact, m.prefix, m.regex].filter((v) => v !== undefined).length;
    if (n !== 1) ctx.addIssue({ code: 'custom', message: 'must set exactly one of exact, prefix or regex' });
  });
export type StringMatch = z.output<typeof stringMatch>;

const percentage = z
  .strictObject({ value: percentNumber.describe('The share of requests, 0 to 100.') })
  .describe('{ value }: the share of requests affected, in percent (default 100).');

// PeerAuthentication (security.istio.io) — modes per istio/api peer_authentication.proto (FIDELITY A1).
const mtlsMode = z.enum(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);
export const peerAuthentication = z
  .strictObject({
    apiVersion,
    kind: kindField('PeerAuthentication'),
    metadata,
    spec: z
      .strictObject({
        selector: matchLabelsSelector
          .optional()
          .describe('Which workloads the policy applies to; without it, every workload in its namespace (or the whole mesh from the root namespace).'),
        mtls: z
          .strictObject({ mode: mtlsMode.default('UNSET').describe('STRICT, PERMISSIVE, DISABLE or UNSET (inherit).') })
          .optional()
          .describe(
            '{ mode: STRICT | PERMISSIVE | DISABLE | UNSET }: STRICT accepts only mTLS, PERMISSIVE plaintext too, DISABLE turns it off, UNSET inherits from the parent policy.',
          ),
        // FIDELITY A1: per workload port, over the policy's own mode (istio policy_applier.go; UNSET inherits it).
        portLevelMtls: z
          .record(
            z.string().regex(/^\d{1,5}$/, { message: 'must be a port number like "8080"' }),
            z.strictObject({ mode: mtlsMode.default('UNSET').describe("STRICT, PERMISSIVE, DISABLE or UNSET (the policy's own mode).") }),
          )
          .optional()
          .describe("{ <port>: { mode } }: the mode on one port of the selected workloads, over the policy's mode (needs a selector)."),
      })
      .superRefine((spec, ctx) => {
        // istio pkg/config/validation/validation.go ValidatePeerAuthentication.
        if (spec.portLevelMtls === undefined) return;
        if (!spec.selector || Object.keys(spec.selector.matchLabels).length === 0)
          ctx.addIssue({
            code: 'custom',
            path: ['portLevelMtls'],
            message: 'needs a selector: a mesh or namespace PeerAuthentication cannot have port level mTLS (Istio validation)',
          });
        if (Object.keys(spec.portLevelMtls).length === 0)
          ctx.addIssue({ code: 'custom', path: ['portLevelMtls'], message: 'must have at least one port when set (Istio validation)' });
        for (const port of Object.keys(spec.portLevelMtls))
          if (Number(port) < 1 || Number(port) > 65535) ctx.addIssue({ code: 'custom', path: ['portLevelMtls', port], message: 'must be a port in 1..65535' });
      })
      .default({})
      .describe('What the policy says: its selector and mTLS mode.'),
  })
  .describe(
    'Istio PeerAuthentication: whether the selected workloads (or a namespace, or the whole mesh) accept plaintext, require mTLS (STRICT) or turn it off, for traffic they receive.',
  );

const trafficPolicy = z.strictObject({
  tls: clientTls.optional().describe("TLS the client's sidecar originates: ISTIO_MUTUAL (mTLS with mesh certificates) or DISABLE (plaintext)."),
  connectionPool: connectionPool.optional().describe('Limits on connections and requests to each upstream cluster; past them, requests overflow with 503 UO.'),
  outlierDetection: outlierDetection
    .optional()
    .describe('Ejects endpoints that keep failing from the load-balancing pool for a while (Envoy outlier detection).'),
  loadBalancer: loadBalancer
    .optional()
    .describe("How the client's sidecar picks an endpoint: simple (LEAST_REQUEST, the default; ROUND_ROBIN; RANDOM) or consistentHash."),
  /**
   * Envoy's retry budget on the cluster (Istio 1.27+; FIDELITY B1): retries in flight may be at
   * most `percent` of the active and pending requests, and never fewer than `minRetryConcurrency`.
   */
  retryBudget: z
    .strictObject({
      percent: percentNumber.optional().describe('Retries in flight, as a share of active and pending requests, in percent.'),
      minRetryConcurrency: wholeNumber(0).optional().describe('Retries in flight always allowed, whatever the share.'),
    })
    .optional()
    .describe(
      'Istio 1.27+: a retry budget on the cluster — retries in flight at most percent of the active and pending requests, never fewer than minRetryConcurrency.',
    ),
  /** Per-port overrides of connectionPool, outlierDetection, loadBalancer and tls (istio/api destination_rule.proto PortTrafficPolicy). */
  portLevelSettings: z
    .array(portTrafficPolicy)
    .optional()
    .describe(
      "Settings for one port of the host, replacing the rule's connectionPool, outlierDetection, loadBalancer and tls for that port (fields it omits take their defaults, not the rule's).",
    ),
});
export const destinationRule = z
  .strictObject({
    apiVersion,
    kind: kindField('DestinationRule'),
    metadata,
    spec: z
      .strictObject({
        host: z.string().describe('The service the rule is for (reviews, or reviews.default.svc.cluster.local).'),
        subsets: z
          .array(
            z.strictObject({
              name: z.string().describe("The subset's name, which routes use (v1)."),
              // istio/api destination_rule.proto Subset.labels: "Labels apply a filter over the endpoints of a service"; without them, every endpoint (the Egress Gateways task's subset cnn).
              labels: stringMap
                .optional()
                .describe(
                  "Labels that pick the subset's endpoints (version: v1); without labels the subset is every endpoint of the host, with its own trafficPolicy.",
                ),
              trafficPolicy: trafficPolicy.optional().describe("Settings for this subset's traffic, over the rule's own."),
            }),
          )
          .optional()
          .describe(
            "Named groups of the host's endpoints by label (name: v1, labels: { version: v1 }), which routes can target, each with its own trafficPolicy.",
          ),
        trafficPolicy: trafficPolicy.optional().describe('Settings for all traffic to the host: tls, connectionPool, outlierDetection, loadBalancer.'),
        exportTo: unsupported('exportTo: the simulated mesh has one visibility scope'),
      })
      .describe('The rule: the host it is for, its traffic policy and its subsets.'),
  })
  .describe(
    "Istio DestinationRule: what a client's sidecar does with traffic to one host after routing — subsets by label, TLS origination, connection-pool limits, outlier detection, load balancing.",
  );

// VirtualService (networking.istio.io) — HTTPRoute, HTTPRetry, HTTPFaultInjection (FIDELITY B1, B2).
const destination = z.strictObject({
  host: z.string().describe('The service to send to.'),
  subset: z.string().optional().describe('A subset of the host, named in its DestinationRule.'),
  port: z
    .strictObject({ number: portNumber.describe('The port number.') })
    .optional()
    .describe("{ number }: the port on the host — an external host's port (external[].port); a service has one port (services[].port)."),
});
const httpMatch = z.strictObject({
  name: z.string().optional().describe('A name for the match, for logs.'),
  /** Only for requests arriving through these gateways (`mesh` = the sidecars). */
  gateways: z.array(z.string()).optional().describe('Only for requests arriving through these gateways (mesh means the sidecars).'),
  uri: stringMatch.optional().describe('Matches the request path: exact, prefix or regex.'),
  method: stringMatch.optional().describe('Matches the HTTP method: exact, prefix or regex.'),
  headers: z.record(z.string(), stringMatch).optional().describe('Matches request headers by name: exact, prefix or regex each.'),
  port: portNumber
    .optional()
    .describe(
      "Matches the port the request is addressed to: the service's port (services[].port) or the outside host's (external[].port); at a gateway, the Gateway's listener port.",
    ),
});
/** Envoy retry_on policies (router_filter.rst) plus status codes, as Istio's retryOn accepts them. */
const RETRY_ON_POLICIES = [
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
];
const httpRetry = z.strictObject({
  attempts: wholeNumber(0).describe("Retries after the first try (Istio's default policy retries twice)."),
  perTryTimeout: positiveDurationMs.optional().describe('How long each try may take before it is abandoned (and retried, when attempts remain).'),
  retryOn: z
    .string()
    .superRefine((v, ctx) => {
      for (const token of v.split(',').map((t) => t.trim())) {
        if (!RETRY_ON_POLICIES.includes(token) && !/^[1-5]\d\d$/.test(token))
          ctx.addIssue({ code: 'custom', message: `"${token}" is not a retryOn policy (expected ${RETRY_ON_POLICIES.join(', ')} or a status code)` });
      }
    })
    .optional()
    .describe(
      'Comma-separated conditions that are retried: 5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, cancelled, unavailable, … or status codes.',
    ),
  retryRemoteLocalities: z.boolean().optional().describe('Whether retries may go to other localities (the simulated cluster has one).'),
});
const httpFault = z.strictObject({
  delay: z
    .strictObject({ fixedDelay: durationMs.describe('How long each delayed request waits.'), percentage: percentage.optional() })
    .optional()
    .describe('Delays a share of requests by fixedDelay before they are forwarded.'),
  abort: z
    .strictObject({ httpStatus: wholeNumber(200, 599).describe('The status the aborted requests get.'), percentage: percentage.optional() })
    .optional()
    .describe('Answers a share of requests with httpStatus at once, without forwarding them.'),
});
const httpRoute = z.strictObject({
  name: z.string().optional().describe('A name for the route, for logs.'),
  match: z
    .array(httpMatch)
    .optional()
    .describe('Conditions a request must meet for this route (any one of them); without it, every request. Routes are tried in order.'),
  route: z
    .array(
      z.strictObject({
        destination: destination.describe('The service (and subset) the requests go to.'),
        weight: wholeNumber(0, 100).optional().describe('The share of matching requests sent to this destination, in percent.'),
      }),
    )
    .min(1, { message: 'must list at least one destination' })
    .describe('Where matching requests go: destinations with weights that add up to 100.'),
  retries: httpRetry.optional().describe("The route's retry policy: attempts, perTryTimeout, retryOn. It replaces Istio's default (2 retries)."),
  timeout: durationMs
    .optional()
    .describe("A deadline for the whole request, retries included; past it the client's sidecar answers 504 (no timeout by default)."),
  fault: httpFault.optional().describe("Fault injection by the client's sidecar: delay or abort a share of requests."),
  // FIDELITY B5: a copy of each request, fire and forget (istio/api HTTPRoute mirror, mirrorPercentage, mirrors).
  mirror: destination
    .optional()
    .describe("A copy of each request goes to this destination too; its answer is ignored and it is never retried (the original's answer is the route's)."),
  mirrorPercentage: percentage.optional().describe('{ value }: the share of requests mirror copies (default 100; 0 copies none).'),
  mirrors: z
    .array(
      z.strictObject({
        destination: destination.describe('Where the copies go.'),
        percentage: percentage.optional().describe('{ value }: the share of requests copied there (default 100).'),
      }),
    )
    .min(1, { message: 'must list at least one mirror' })
    .optional()
    .describe('Several mirrors, each with its own share: a copy goes to each; the answers are ignored.'),
  rewrite: unsupported('URI rewrite'),
  redirect: unsupported('redirects'),
  headers: unsupported('header manipulation'),
  corsPolicy: unsupported('CORS'),
});
export const virtualService = z
  .strictObject({
    apiVersion,
    kind: kindField('VirtualService'),
    metadata,
    spec: z
      .strictObject({
        hosts: z.array(z.string()).min(1).describe('The hosts the routes apply to (reviews, or an external or ingress host).'),
        /** Gateways this VirtualService binds to; `mesh` means the sidecars (the default). */
        gateways: z.array(z.string()).optional().describe('The gateways the routes apply at (namespace/name); mesh means the sidecars, the default.'),
        http: z.array(httpRoute).min(1).describe('HTTP routes, tried in order: the first whose match fits takes the request.'),
        tcp: unsupported('TCP routes'),
        tls: unsupported('TLS routes'),
        exportTo: unsupported('exportTo'),
      })
      .describe('The routing: hosts, gateways and HTTP routes.'),
  })
  .describe(
    'Istio VirtualService: how requests to its hosts are routed — matches, weighted destinations and subsets — with retries, timeouts and fault injection per route.',
  );

// IstioOperator: mesh-wide settings (meshConfig) — FIDELITY A2 (auto mTLS), A3 (trust domain).
export const istioOperator = z
  .strictObject({
    apiVersion,
    kind: kindField('IstioOperator'),
    metadata,
    spec: z
      .strictObject({
        /**
         * Behave like an older release where defaults changed (`"1.23"`: the pre-1.24 retry
         * behaviour); which values a release accepts is checked against the release (meshReleases.ts).
         */
        compatibilityVersion: z
          .string({ error: (iss) => `must be a quoted major.minor version like "1.23" (got ${describe(iss.input)})` })
          .optional()
          .describe('Behave like an older Istio release where defaults changed ("1.23": retries before 1.24), quoted major.minor.'),
        meshConfig: z
          .strictObject({
            enableAutoMtls: z.boolean().optional().describe('Whether client sidecars use mTLS on their own toward servers that accept it (default true).'),
            // FIDELITY E1: ALLOW_ANY (default) or REGISTRY_ONLY.
            outboundTrafficPolicy: z
              .strictObject({ mode: z.enum(['ALLOW_ANY', 'REGISTRY_ONLY']).describe('ALLOW_ANY (the default) or REGISTRY_ONLY.') })
              .optional()
              .describe('{ mode }: ALLOW_ANY lets sidecars reach any outside host (the default); REGISTRY_ONLY only hosts in the registry (ServiceEntry).'),
            trustDomain: unsupported('trustDomain: mesh-sim keeps the default cluster.local'),
            rootNamespace: z.string().optional().describe('The namespace whose policies apply mesh-wide (default istio-system).'),
          })
          .optional()
          .describe('Mesh-wide configuration read by istiod.'),
      })
      .describe("The installation's settings; mesh-sim reads meshConfig."),
  })
  .describe('Istio IstioOperator: mesh-wide settings from its meshConfig, such as auto mTLS and the outbound traffic policy (ALLOW_ANY or REGISTRY_ONLY).');

export type PeerAuthentication = z.output<typeof peerAuthentication>;
export type DestinationRule = z.output<typeof destinationRule>;
export type VirtualService = z.output<typeof virtualService>;
export type IstioOperator = z.output<typeof istioOperator>;
export type IstioResource =
  | PeerAuthentication
  | DestinationRule
  | VirtualService
  | IstioOperator
  | IstioGateway
  | ServiceEntry
  | IstioAuthorizationPolicy
  | RequestAuthentication
  | WaypointGateway
  | NamespaceLabels
  | ServiceLabels;
export type * from './istioSecurity.ts';
export type { WaypointGateway, NamespaceLabels, ServiceLabels } from './istioAmbient.ts';

export type { IstioGateway, ServiceEntry } from './istioEdge.ts';

/** The `istio:` list entry: one of the supported kinds, chosen by `kind`. */
export const istioResource = kindUnion('Istio', {
  PeerAuthentication: { apiVersions: SECURITY, schema: peerAuthentication },
  DestinationRule: { apiVersions: NETWORKING, schema: destinationRule },
  VirtualService: { apiVersions: NETWORKING, schema: virtualService },
  IstioOperator: { apiVersions: ['install.istio.io/v1alpha1'], schema: istioOperator },
  Gateway: { apiVersions: NETWORKING, schema: gateway },
  // FIDELITY-MORE H6: a Gateway API Gateway of class istio-waypoint is an ambient waypoint.
  WaypointGateway: { kind: 'Gateway', apiVersions: GATEWAY_API, schema: waypointGateway },
  ServiceEntry: { apiVersions: NETWORKING, schema: serviceEntry },
  AuthorizationPolicy: { apiVersions: SECURITY, schema: authorizationPolicy },
  RequestAuthentication: { apiVersions: SECURITY, schema: requestAuthentication },
  Namespace: { apiVersions: ['v1'], schema: namespaceLabels },
  Service: { apiVersions: ['v1'], schema: serviceLabels },
}) as unknown as z.ZodType<IstioResource, unknown>;
