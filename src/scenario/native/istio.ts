/**
 * Native Istio resources a scenario may carry under `istio:`, exactly as a user would
 * `kubectl apply` them. Only the fields mesh-sim simulates are accepted; any other field is an
 * error naming it, so a course author never believes a setting took effect when it did not.
 * Field names and enums follow istio/api (networking/v1, security/v1) — FIDELITY A1, A2, B1, B2.
 */
import { z } from '../zodSetup.ts';
import { describe, durationMs, percentNumber, portNumber, positiveDurationMs, wholeNumber } from '../units.ts';
import { kindUnion, metadata, matchLabelsSelector, regexText, stringMap, unsupported } from './common.ts';
import { authorizationPolicy, requestAuthentication, type IstioAuthorizationPolicy, type RequestAuthentication } from './istioSecurity.ts';
import { connectionPool, outlierDetection, loadBalancer } from './istioTrafficPolicy.ts';
import { gateway, serviceEntry, type IstioGateway, type ServiceEntry } from './istioEdge.ts';

const NETWORKING = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'];
const SECURITY = ['security.istio.io/v1', 'security.istio.io/v1beta1'];

/** istio/api StringMatch: exactly one of exact, prefix, regex. */
export const stringMatch = z
  .strictObject({ exact: z.string().optional(), prefix: z.string().optional(), regex: regexText.optional() })
  .superRefine((m, ctx) => {
    const n = [m.exact, m.prefix, m.regex].filter((v) => v !== undefined).length;
    if (n !== 1) ctx.addIssue({ code: 'custom', message: 'must set exactly one of exact, prefix or regex' });
  });
export type StringMatch = z.output<typeof stringMatch>;

const percentage = z.strictObject({ value: percentNumber });

// PeerAuthentication (security.istio.io) — modes per istio/api peer_authentication.proto (FIDELITY A1).
const mtlsMode = z.enum(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);
export const peerAuthentication = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('PeerAuthentication'),
  metadata,
  spec: z
    .strictObject({
      selector: matchLabelsSelector.optional(),
      mtls: z.strictObject({ mode: mtlsMode.default('UNSET') }).optional(),
      portLevelMtls: unsupported('portLevelMtls: every simulated service has one port'),
    })
    .default({}),
});

// DestinationRule (networking.istio.io) — ClientTLSSettings per destination_rule.proto (FIDELITY A2).
const clientTls = z.strictObject({
  mode: z.enum(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']).superRefine((m, ctx) => {
    if (m === 'SIMPLE' || m === 'MUTUAL')
      ctx.addIssue({ code: 'custom', message: `${m} (TLS with your own certificates) is not simulated; use ISTIO_MUTUAL or DISABLE` });
  }),
  /** Identities the client accepts from the server instead of the secure-naming list. */
  subjectAltNames: z.array(z.string()).optional(),
  sni: unsupported('sni'),
  insecureSkipVerify: unsupported('insecureSkipVerify'),
});
const trafficPolicy = z.strictObject({
  tls: clientTls.optional(),
  connectionPool: connectionPool.optional(),
  outlierDetection: outlierDetection.optional(),
  loadBalancer: loadBalancer.optional(),
  /**
   * Envoy's retry budget on the cluster (Istio 1.27+; FIDELITY B1): retries in flight may be at
   * most `percent` of the active and pending requests, and never fewer than `minRetryConcurrency`.
   */
  retryBudget: z.strictObject({ percent: percentNumber.optional(), minRetryConcurrency: wholeNumber(0).optional() }).optional(),
  portLevelSettings: unsupported('portLevelSettings: every simulated service has one port'),
});
export const destinationRule = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('DestinationRule'),
  metadata,
  spec: z.strictObject({
    host: z.string(),
    subsets: z.array(z.strictObject({ name: z.string(), labels: stringMap, trafficPolicy: trafficPolicy.optional() })).optional(),
    trafficPolicy: trafficPolicy.optional(),
    exportTo: unsupported('exportTo: the simulated mesh has one visibility scope'),
  }),
});

// VirtualService (networking.istio.io) — HTTPRoute, HTTPRetry, HTTPFaultInjection (FIDELITY B1, B2).
const destination = z.strictObject({
  host: z.string(),
  subset: z.string().optional(),
  port: z.strictObject({ number: portNumber }).optional(),
});
const httpMatch = z.strictObject({
  name: z.string().optional(),
  /** Only for requests arriving through these gateways (`mesh` = the sidecars). */
  gateways: z.array(z.string()).optional(),
  uri: stringMatch.optional(),
  method: stringMatch.optional(),
  headers: z.record(z.string(), stringMatch).optional(),
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
  attempts: wholeNumber(0),
  perTryTimeout: positiveDurationMs.optional(),
  retryOn: z
    .string()
    .superRefine((v, ctx) => {
      for (const token of v.split(',').map((t) => t.trim())) {
        if (!RETRY_ON_POLICIES.includes(token) && !/^[1-5]\d\d$/.test(token))
          ctx.addIssue({ code: 'custom', message: `"${token}" is not a retryOn policy (expected ${RETRY_ON_POLICIES.join(', ')} or a status code)` });
      }
    })
    .optional(),
  retryRemoteLocalities: z.boolean().optional(),
});
const httpFault = z.strictObject({
  delay: z.strictObject({ fixedDelay: durationMs, percentage: percentage.optional() }).optional(),
  abort: z.strictObject({ httpStatus: wholeNumber(200, 599), percentage: percentage.optional() }).optional(),
});
const httpRoute = z.strictObject({
  name: z.string().optional(),
  match: z.array(httpMatch).optional(),
  route: z.array(z.strictObject({ destination, weight: wholeNumber(0, 100).optional() })).min(1, { message: 'must list at least one destination' }),
  retries: httpRetry.optional(),
  timeout: durationMs.optional(),
  fault: httpFault.optional(),
  mirror: unsupported('traffic mirroring'),
  rewrite: unsupported('URI rewrite'),
  redirect: unsupported('redirects'),
  headers: unsupported('header manipulation'),
  corsPolicy: unsupported('CORS'),
});
export const virtualService = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('VirtualService'),
  metadata,
  spec: z.strictObject({
    hosts: z.array(z.string()).min(1),
    /** Gateways this VirtualService binds to; `mesh` means the sidecars (the default). */
    gateways: z.array(z.string()).optional(),
    http: z.array(httpRoute).min(1),
    tcp: unsupported('TCP routes'),
    tls: unsupported('TLS routes'),
    exportTo: unsupported('exportTo'),
  }),
});

// IstioOperator: mesh-wide settings (meshConfig) — FIDELITY A2 (auto mTLS), A3 (trust domain).
export const istioOperator = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('IstioOperator'),
  metadata,
  spec: z.strictObject({
    /**
     * Behave like an older release where defaults changed (`"1.23"`: the pre-1.24 retry
     * behaviour); which values a release accepts is checked against the release (meshReleases.ts).
     */
    compatibilityVersion: z.string({ error: (iss) => `must be a quoted major.minor version like "1.23" (got ${describe(iss.input)})` }).optional(),
    meshConfig: z
      .strictObject({
        enableAutoMtls: z.boolean().optional(),
        // FIDELITY E1: ALLOW_ANY (default) or REGISTRY_ONLY.
        outboundTrafficPolicy: z.strictObject({ mode: z.enum(['ALLOW_ANY', 'REGISTRY_ONLY']) }).optional(),
        trustDomain: unsupported('trustDomain: mesh-sim keeps the default cluster.local'),
        rootNamespace: z.string().optional(),
      })
      .optional(),
  }),
});

export type PeerAuthentication = z.output<typeof peerAuthentication>;
export type DestinationRule = z.output<typeof destinationRule>;
export type VirtualService = z.output<typeof virtualService>;
export type IstioOperator = z.output<typeof istioOperator>;
export type IstioResource =
  PeerAuthentication | DestinationRule | VirtualService | IstioOperator | IstioGateway | ServiceEntry | IstioAuthorizationPolicy | RequestAuthentication;
export type * from './istioSecurity.ts';
export type { IstioGateway, ServiceEntry } from './istioEdge.ts';

/** The `istio:` list entry: one of the supported kinds, chosen by `kind`. */
export const istioResource = kindUnion('Istio', {
  PeerAuthentication: { apiVersions: SECURITY, schema: peerAuthentication },
  DestinationRule: { apiVersions: NETWORKING, schema: destinationRule },
  VirtualService: { apiVersions: NETWORKING, schema: virtualService },
  IstioOperator: { apiVersions: ['install.istio.io/v1alpha1'], schema: istioOperator },
  Gateway: { apiVersions: NETWORKING, schema: gateway },
  ServiceEntry: { apiVersions: NETWORKING, schema: serviceEntry },
  AuthorizationPolicy: { apiVersions: SECURITY, schema: authorizationPolicy },
  RequestAuthentication: { apiVersions: SECURITY, schema: requestAuthentication },
}) as unknown as z.ZodType<IstioResource, unknown>;
