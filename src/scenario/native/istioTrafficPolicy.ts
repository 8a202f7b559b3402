/**
 * DestinationRule `trafficPolicy` resilience settings (istio/api destination_rule.proto,
 * FIDELITY C1, C2, D1): connection pool limits, outlier detection and the load balancer. Fields
 * mesh-sim does not simulate are reported by name.
 */
import { z } from '../zodSetup.ts';
import { percentNumber, portNumber, positiveDurationMs, wholeNumber } from '../units.ts';
import { unsupported } from './common.ts';

export const connectionPool = z.strictObject({
  tcp: z
    .strictObject({
      maxConnections: wholeNumber(1).optional().describe("The most TCP connections to the upstream cluster (Envoy's circuit breaker)."),
      connectTimeout: positiveDurationMs.optional().describe('How long opening a TCP connection may take.'),
      tcpKeepalive: unsupported('TCP keepalive'),
      maxConnectionDuration: unsupported('maxConnectionDuration'),
      idleTimeout: unsupported('TCP idle timeout'),
    })
    .optional()
    .describe('TCP connection limits.'),
  http: z
    .strictObject({
      http1MaxPendingRequests: wholeNumber(1).optional().describe('The most requests waiting for a connection; more overflow with 503 UO.'),
      http2MaxRequests: wholeNumber(1).optional().describe('The most requests in flight to the upstream cluster; more overflow with 503 UO.'),
      maxRequestsPerConnection: wholeNumber(0).optional().describe('Requests per connection before it is closed (0: no limit).'),
      maxRetries: wholeNumber(0).optional().describe("The most retries in flight to the upstream cluster at once (Envoy's retry budget circuit breaker)."),
      idleTimeout: unsupported('HTTP idle timeout'),
      h2UpgradePolicy: unsupported('h2UpgradePolicy: sidecars keep HTTP/1.1'),
      useClientProtocol: unsupported('useClientProtocol'),
      maxConcurrentStreams: unsupported('maxConcurrentStreams'),
    })
    .optional()
    .describe('HTTP request limits.'),
});

export const outlierDetection = z.strictObject({
  consecutive5xxErrors: wholeNumber(0).optional().describe('5xx answers (or connection failures) in a row that eject an endpoint (0 turns it off).'),
  consecutiveGatewayErrors: wholeNumber(0).optional().describe('502, 503 and 504 answers in a row that eject an endpoint.'),
  interval: positiveDurationMs.optional().describe('How often ejections are swept: ejected endpoints whose time is up come back (default 10s).'),
  baseEjectionTime: positiveDurationMs.optional().describe('How long an endpoint stays ejected, times the number of times it was ejected (default 30s).'),
  maxEjectionPercent: percentNumber.optional().describe('The most endpoints that may be ejected at once, in percent (default 10; at least one).'),
  minHealthPercent: percentNumber.optional().describe('Outlier detection stops while fewer than this share of endpoints are healthy.'),
  splitExternalLocalOriginErrors: unsupported('splitExternalLocalOriginErrors: local errors count as 5xx'),
  consecutiveLocalOriginFailures: unsupported('consecutiveLocalOriginFailures'),
  consecutiveErrors: unsupported('consecutiveErrors (deprecated): use consecutive5xxErrors'),
});

/** A locality as a rule names it: `region`, `region/zone` or `region/zone/subzone`, `*` for any. */
const localityName = z.string().regex(/^(\*|[A-Za-z0-9][-A-Za-z0-9_.]*)(\/(\*|[A-Za-z0-9][-A-Za-z0-9_.]*)){0,2}$/, {
  message: 'must be a locality like us-east, us-east/us-east-1a or us-east/*',
});

/**
 * DestinationRule `loadBalancer.localityLbSetting` (istio/api destination_rule.proto
 * LocalityLoadBalancerSetting; FIDELITY D1). Istio's own validation (pkg/config/validation/agent
 * ValidateLocalityLbSetting, read at 1.31.0-alpha 86c9f01): not both distribute and failover; each
 * distribute weight 1–100 and adding up to 100; failover names regions only, from ≠ to, no `*`;
 * failover with failoverPriority may not list the region, zone or subzone labels.
 */
export const localityLbSetting = z
  .strictObject({
    enabled: z.boolean().optional().describe('false turns locality load balancing off for this destination (it is on by default).'),
    distribute: z
      .array(
        z.strictObject({
          from: localityName.describe("The clients' locality this applies to (us-east/us-east-1a/*)."),
          to: z
            .record(localityName, wholeNumber(1, 100))
            .describe('Weights per destination locality, adding up to 100; endpoints in a locality not listed get no traffic from these clients.'),
        }),
      )
      .optional()
      .describe("Weights: from a client's locality, the share of traffic each destination locality gets."),
    failover: z
      .array(
        z.strictObject({
          from: z.string().describe('The region clients are in.'),
          to: z.string().describe('The region their traffic fails over to when their own region has too few healthy endpoints.'),
        }),
      )
      .optional()
      .describe('Region to region failover: other regions come after it.'),
    failoverPriority: z
      .array(z.string())
      .optional()
      .describe(
        'Labels in order (topology.kubernetes.io/region, topology.kubernetes.io/zone, or a pod label, label=value to fix the value): endpoints matching the client on more of the first labels come first.',
      ),
  })
  .superRefine((l, ctx) => {
    if (l.distribute?.length && l.failover?.length) ctx.addIssue({ code: 'custom', message: "can not simultaneously specify 'distribute' and 'failover'" });
    for (const [i, d] of (l.distribute ?? []).entries()) {
      const total = Object.values(d.to).reduce((a, b) => a + b, 0);
      if (total !== 100) ctx.addIssue({ code: 'custom', path: ['distribute', i, 'to'], message: `total locality weight ${total} != 100` });
    }
    for (const [i, f] of (l.failover ?? []).entries()) {
      if (f.from === f.to) ctx.addIssue({ code: 'custom', path: ['failover', i], message: 'locality lb failover settings must specify different regions' });
      if (f.from.includes('/') || f.to.includes('/'))
        ctx.addIssue({ code: 'custom', path: ['failover', i], message: 'locality lb failover only specify region' });
      if (f.from.includes('*') || f.to.includes('*'))
        ctx.addIssue({ code: 'custom', path: ['failover', i], message: "locality lb failover region should not contain '*' wildcard" });
    }
    if (l.failover?.length)
      for (const [i, label] of (l.failoverPriority ?? []).entries())
        if (['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'].includes(label))
          ctx.addIssue({
            code: 'custom',
            path: ['failoverPriority', i],
            message: `can not simultaneously set 'failover' and topology label '${label}' in 'failover_priority'`,
          });
  });

export const loadBalancer = z
  .strictObject({
    simple: z
      .enum(['LEAST_REQUEST', 'ROUND_ROBIN', 'RANDOM', 'LEAST_CONN', 'PASSTHROUGH', 'UNSPECIFIED'])
      .optional()
      .describe('LEAST_REQUEST (the default: the less busy of two random endpoints), ROUND_ROBIN or RANDOM.'),
    consistentHash: z
      .strictObject({
        httpHeaderName: z.string().optional().describe('Hash on this request header: the same value goes to the same endpoint.'),
        useSourceIp: z.boolean().optional().describe("Hash on the client's IP address."),
        httpQueryParameterName: z.string().optional().describe('Hash on this query parameter.'),
        ringHash: z
          .strictObject({ minimumRingSize: wholeNumber(1).optional().describe("The hash ring's smallest number of entries.") })
          .optional()
          .describe('Ring-hash settings: { minimumRingSize }.'),
        minimumRingSize: wholeNumber(1)
          .optional()
          .describe("The hash ring's smallest number of entries (the older place for it; ringHash.minimumRingSize is current)."),
        httpCookie: unsupported('cookie-based hashing'),
        maglev: unsupported('Maglev hashing'),
      })
      .superRefine((h, ctx) => {
        const keys = [h.httpHeaderName, h.useSourceIp, h.httpQueryParameterName].filter((v) => v !== undefined).length;
        if (keys !== 1) ctx.addIssue({ code: 'custom', message: 'must set exactly one of httpHeaderName, useSourceIp or httpQueryParameterName' });
      })
      .optional()
      .describe('Sticky sessions: requests with the same hash key go to the same endpoint (a ring hash).'),
    localityLbSetting: localityLbSetting
      .optional()
      .describe(
        "Locality load balancing (zones from services[].zones): distribute (weights from a client's locality to others), failover (region to region) or failoverPriority (labels in order). Failover needs outlierDetection.",
      ),
    warmupDurationSecs: unsupported('warmup'),
    warmup: unsupported('warmup'),
  })
  .superRefine((lb, ctx) => {
    // lb_policy is a oneof, optional beside localityLbSetting (the Locality failover task sets localityLbSetting alone).
    if (lb.simple !== undefined && lb.consistentHash !== undefined)
      ctx.addIssue({ code: 'custom', message: 'must set exactly one of simple or consistentHash' });
    if (lb.simple === undefined && lb.consistentHash === undefined && lb.localityLbSetting === undefined)
      ctx.addIssue({ code: 'custom', message: 'must set exactly one of simple or consistentHash (or localityLbSetting)' });
    if (lb.simple === 'PASSTHROUGH') ctx.addIssue({ code: 'custom', path: ['simple'], message: 'PASSTHROUGH (original destination) is not simulated' });
  });

// DestinationRule (networking.istio.io) — ClientTLSSettings per destination_rule.proto (FIDELITY A2).
export const clientTls = z.strictObject({
  mode: z
    .enum(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'])
    .superRefine((m, ctx) => {
      if (m === 'MUTUAL')
        ctx.addIssue({ code: 'custom', message: 'MUTUAL (TLS with your own client certificate) is not simulated; use ISTIO_MUTUAL, SIMPLE or DISABLE' });
    })
    .describe(
      "ISTIO_MUTUAL: mTLS with the mesh's certificates; DISABLE: plaintext; SIMPLE: TLS the sidecar originates toward an external host (TLS origination). MUTUAL is not simulated.",
    ),
  /** Identities the client accepts from the server instead of the secure-naming list. */
  subjectAltNames: z
    .array(z.string())
    .optional()
    .describe("Identities the client accepts from the server, instead of the identities of the service's workloads (secure naming)."),
  sni: unsupported('sni'),
  insecureSkipVerify: unsupported('insecureSkipVerify'),
});
/**
 * One entry of `portLevelSettings`: for traffic to `port`, these four settings replace the
 * destination-level ones wholesale — a field left out takes its default, not the rule's
 * (istio/istio pilot/pkg/networking/util/util.go GetPortLevelTrafficPolicy). Istio's validation
 * wants the port and at least one setting (pkg/config/validation validatePortTrafficPolicies).
 */
export const portTrafficPolicy = z
  .strictObject({
    port: z.strictObject({ number: portNumber.describe('The port number.') }).describe('{ number }: the port these settings are for.'),
    connectionPool: connectionPool.optional().describe('Limits on connections and requests to this port.'),
    outlierDetection: outlierDetection.optional().describe("Ejection of failing endpoints, for this port's traffic."),
    loadBalancer: loadBalancer.optional().describe("How this port's traffic picks an endpoint."),
    tls: clientTls.optional().describe("TLS the client's sidecar originates on this port."),
  })
  .superRefine((p, ctx) => {
    if (!p.connectionPool && !p.outlierDetection && !p.loadBalancer && !p.tls)
      ctx.addIssue({ code: 'custom', message: 'must set at least one of connectionPool, outlierDetection, loadBalancer or tls (Istio validation)' });
  });
