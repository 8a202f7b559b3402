/**
 * DestinationRule `trafficPolicy` resilience settings (istio/api destination_rule.proto,
 * FIDELITY C1, C2, D1): connection pool limits, outlier detection and the load balancer. Fields
 * mesh-sim does not simulate are reported by name.
 */
import { z } from '../zodSetup.ts';
import { percentNumber, positiveDurationMs, wholeNumber } from '../units.ts';
import { unsupported } from './common.ts';

export const connectionPool = z.strictObject({
  tcp: z
    .strictObject({
      maxConnections: wholeNumber(1).optional(),
      connectTimeout: positiveDurationMs.optional(),
      tcpKeepalive: unsupported('TCP keepalive'),
      maxConnectionDuration: unsupported('maxConnectionDuration'),
      idleTimeout: unsupported('TCP idle timeout'),
    })
    .optional(),
  http: z
    .strictObject({
      http1MaxPendingRequests: wholeNumber(1).optional(),
      http2MaxRequests: wholeNumber(1).optional(),
      maxRequestsPerConnection: wholeNumber(0).optional(),
      maxRetries: wholeNumber(0).optional(),
      idleTimeout: unsupported('HTTP idle timeout'),
      h2UpgradePolicy: unsupported('h2UpgradePolicy: sidecars keep HTTP/1.1'),
      useClientProtocol: unsupported('useClientProtocol'),
      maxConcurrentStreams: unsupported('maxConcurrentStreams'),
    })
    .optional(),
});

export const outlierDetection = z.strictObject({
  consecutive5xxErrors: wholeNumber(0).optional(),
  consecutiveGatewayErrors: wholeNumber(0).optional(),
  interval: positiveDurationMs.optional(),
  baseEjectionTime: positiveDurationMs.optional(),
  maxEjectionPercent: percentNumber.optional(),
  minHealthPercent: percentNumber.optional(),
  splitExternalLocalOriginErrors: unsupported('splitExternalLocalOriginErrors: local errors count as 5xx'),
  consecutiveLocalOriginFailures: unsupported('consecutiveLocalOriginFailures'),
  consecutiveErrors: unsupported('consecutiveErrors (deprecated): use consecutive5xxErrors'),
});

export const loadBalancer = z
  .strictObject({
    simple: z.enum(['LEAST_REQUEST', 'ROUND_ROBIN', 'RANDOM', 'LEAST_CONN', 'PASSTHROUGH', 'UNSPECIFIED']).optional(),
    consistentHash: z
      .strictObject({
        httpHeaderName: z.string().optional(),
        useSourceIp: z.boolean().optional(),
        httpQueryParameterName: z.string().optional(),
        ringHash: z.strictObject({ minimumRingSize: wholeNumber(1).optional() }).optional(),
        minimumRingSize: wholeNumber(1).optional(),
        httpCookie: unsupported('cookie-based hashing'),
        maglev: unsupported('Maglev hashing'),
      })
      .superRefine((h, ctx) => {
        const keys = [h.httpHeaderName, h.useSourceIp, h.httpQueryParameterName].filter((v) => v !== undefined).length;
        if (keys !== 1) ctx.addIssue({ code: 'custom', message: 'must set exactly one of httpHeaderName, useSourceIp or httpQueryParameterName' });
      })
      .optional(),
    localityLbSetting: unsupported('locality load balancing: the simulated cluster has one zone'),
    warmupDurationSecs: unsupported('warmup'),
    warmup: unsupported('warmup'),
  })
  .superRefine((lb, ctx) => {
    if ((lb.simple === undefined) === (lb.consistentHash === undefined))
      ctx.addIssue({ code: 'custom', message: 'must set exactly one of simple or consistentHash' });
    if (lb.simple === 'PASSTHROUGH') ctx.addIssue({ code: 'custom', path: ['simple'], message: 'PASSTHROUGH (original destination) is not simulated' });
  });
