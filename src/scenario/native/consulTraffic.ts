/**
 * Consul's discovery-chain entries as consul-k8s v2.0.3 CRDs: `ServiceRouter` (HTTP matches, retry
 * and timeout settings per destination), `ServiceSplitter` (weighted splits) and `ServiceResolver`
 * (subsets, redirect, failover, timeouts, load balancer) — FIDELITY-MORE I5, I6, I8. Field names
 * follow control-plane/api/v1alpha1/service{router,splitter,resolver}_types.go.
 */
import { z } from '../zodSetup.ts';
import { describe, positiveDurationMs, wholeNumber } from '../units.ts';
import { apiVersion, kindField, k8sName, metadata, regexText, unsupported } from './common.ts';
import { ceNamespace } from './consulDefaults.ts';
import { SUBSET_FILTER } from './consulFilter.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const;

/** At most one of the path matchers (service-router and service-intentions docs). */
const onePath = (m: { pathExact?: string | undefined; pathPrefix?: string | undefined; pathRegex?: string | undefined }, ctx: z.RefinementCtx): void => {
  const set = (['pathExact', 'pathPrefix', 'pathRegex'] as const).filter((k) => m[k] !== undefined);
  if (set.length > 1) ctx.addIssue({ code: 'custom', message: `must set at most one of pathExact, pathPrefix or pathRegex (got ${set.join(' and ')})` });
};

/** A header match of a route: exactly one way to match it. */
const routeHeader = z
  .strictObject({
    name: z.string().min(1).describe("The header's name."),
    present: z.boolean().optional().describe('true: the header is there, whatever its value.'),
    exact: z.string().optional().describe('The value is exactly this.'),
    prefix: z.string().optional().describe('The value starts with this.'),
    suffix: z.string().optional().describe('The value ends with this.'),
    regex: regexText.optional().describe('The value matches this regular expression.'),
    invert: unsupported('inverted header matches on routes'),
  })
  .superRefine((h, ctx) => {
    const set = (['present', 'exact', 'prefix', 'suffix', 'regex'] as const).filter((k) => h[k] !== undefined);
    if (set.length !== 1) ctx.addIssue({ code: 'custom', message: 'must set exactly one of present, exact, prefix, suffix or regex' });
  })
  .describe('A header the request must carry: its name and one of present, exact, prefix, suffix or regex.');

/** FIDELITY-MORE I6: the retryOn words Consul accepts (service-router.mdx). */
export const CONSUL_RETRY_ON = [
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'envoy-ratelimited',
  'retriable-4xx',
  'refused-stream',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
] as const;

const routeDestination = z.strictObject({
  service: k8sName.optional().describe("The service the route sends to (default: the router's own)."),
  serviceSubset: k8sName.optional().describe('A subset of it, as its ServiceResolver defines.'),
  namespace: ceNamespace.optional().describe('default, the only namespace in Consul CE.'),
  requestTimeout: positiveDurationMs.optional().describe("The whole request's timeout, retries included (default: Envoy's 15s)."),
  numRetries: wholeNumber(0).optional().describe('How many times to retry (1 when unset and a retry condition is set); Consul retries nothing by default.'),
  retryOnConnectFailure: z.boolean().optional().describe('Retry when the connection to the endpoint fails.'),
  retryOn: z.array(z.enum(CONSUL_RETRY_ON)).optional().describe('Envoy retry conditions: 5xx, gateway-error, reset, connect-failure, …'),
  retryOnStatusCodes: z.array(wholeNumber(100, 599)).optional().describe('Retry these status codes (503).'),
  partition: unsupported('admin partitions (Consul Enterprise)'),
  prefixRewrite: unsupported('prefixRewrite'),
  idleTimeout: unsupported('idleTimeout: requests send no body while they wait'),
  requestHeaders: unsupported('header manipulation'),
  responseHeaders: unsupported('header manipulation'),
});

export const serviceRouter = z
  .strictObject({
    apiVersion,
    kind: kindField('ServiceRouter'),
    metadata,
    spec: z
      .strictObject({
        routes: z
          .array(
            z.strictObject({
              match: z
                .strictObject({
                  http: z
                    .strictObject({
                      pathExact: z.string().startsWith('/', { message: 'must start with /' }).optional().describe('The path is exactly this.'),
                      pathPrefix: z.string().startsWith('/', { message: 'must start with /' }).optional().describe('The path starts with this.'),
                      pathRegex: regexText.optional().describe('The path matches this regular expression.'),
                      header: z.array(routeHeader).optional().describe('Headers the request must carry, all of them.'),
                      methods: z.array(z.enum(METHODS)).optional().describe("The request's method is one of these."),
                      queryParam: unsupported('query parameter matches'),
                      caseInsensitive: unsupported('case-insensitive path matches'),
                    })
                    .superRefine(onePath)
                    .optional()
                    .describe('What an HTTP request must look like: one path matcher, headers, methods.'),
                })
                .optional()
                .describe('Which requests the route takes; without it, every request.'),
              destination: routeDestination.optional().describe('Where matching requests go, with their retries and timeout.'),
            }),
          )
          .default([])
          .describe('Routes in order: the first whose match fits takes the request; the rest go to the service as usual.'),
      })
      .describe('The service-router config entry: HTTP routes toward the service named by metadata.name.'),
  })
  .describe('Consul ServiceRouter: routes requests to a service by path, header and method, with retries and timeouts. Needs protocol http.');

export const serviceSplitter = z
  .strictObject({
    apiVersion,
    kind: kindField('ServiceSplitter'),
    metadata,
    spec: z
      .strictObject({
        splits: z
          .array(
            z.strictObject({
              // FIDELITY-MORE I5: weights from 0.01 to 100.
              weight: z
                .number({ error: (iss) => `must be a number from 0.01 to 100 (got ${describe(iss.input)})` })
                .min(0.01, { message: 'must be a number from 0.01 to 100' })
                .max(100, { message: 'must be a number from 0.01 to 100' })
                .describe('The share of requests, in % (0.01 to 100; the splits add up to 100).'),
              service: k8sName.optional().describe("The service this share goes to (default: the splitter's own)."),
              serviceSubset: k8sName.optional().describe('A subset of it, as its ServiceResolver defines.'),
              namespace: ceNamespace.optional().describe('default, the only namespace in Consul CE.'),
              partition: unsupported('admin partitions (Consul Enterprise)'),
              requestHeaders: unsupported('header manipulation'),
              responseHeaders: unsupported('header manipulation'),
            }),
          )
          .min(1, { message: 'must list at least one split' })
          .superRefine((splits, ctx) => {
            // FIDELITY-MORE I5: the weights must add up to 100 (Consul rounds to 0.01).
            const total = Math.round(splits.reduce((s, x) => s + x.weight, 0) * 100) / 100;
            if (total !== 100) ctx.addIssue({ code: 'custom', message: `weights must add up to 100 (they add up to ${total})` });
          })
          .describe('The shares, each with its weight and target.'),
      })
      .describe('The service-splitter config entry.'),
  })
  .describe('Consul ServiceSplitter: splits requests to a service by weight over services or subsets (a canary). Needs protocol http.');

const subsetFilter = z.string().superRefine((f, ctx) => {
  if (!SUBSET_FILTER.test(f))
    ctx.addIssue({
      code: 'custom',
      message: `must be a filter mesh-sim can evaluate: Service.Meta.version == a version, like "Service.Meta.version == v1" (got ${describe(f)})`,
    });
});

const failoverTarget = z.strictObject({
  service: k8sName.optional().describe('The service to fail over to.'),
  serviceSubset: k8sName.optional().describe('A subset of it.'),
  namespace: ceNamespace.optional().describe('default, the only namespace in Consul CE.'),
  datacenter: unsupported('failover to other datacenters: the simulated cluster is one datacenter'),
  peer: unsupported('cluster peering'),
  partition: unsupported('admin partitions (Consul Enterprise)'),
});

const loadBalancerPolicy = z.enum(['random', 'round_robin', 'least_request', 'ring_hash', 'maglev']);

export const serviceResolver = z
  .strictObject({
    apiVersion,
    kind: kindField('ServiceResolver'),
    metadata,
    spec: z
      .strictObject({
        defaultSubset: k8sName.optional().describe('The subset requests go to when they name none.'),
        subsets: z
          .record(
            k8sName,
            z.strictObject({
              filter: subsetFilter.optional().describe("Which instances belong: Service.Meta.version == v1 (a pod's version is its service meta)."),
              onlyPassing: unsupported('onlyPassing: simulated endpoints are passing or gone, never in warning'),
            }),
          )
          .optional()
          .describe("Named subsets of the service's instances, each with its filter."),
        redirect: z
          .strictObject({
            service: k8sName.optional().describe('The service to send to instead.'),
            serviceSubset: k8sName.optional().describe('A subset of it.'),
            namespace: ceNamespace.optional().describe('default, the only namespace in Consul CE.'),
            datacenter: unsupported('redirects to other datacenters: the simulated cluster is one datacenter'),
            peer: unsupported('cluster peering'),
            partition: unsupported('admin partitions (Consul Enterprise)'),
            samenessGroup: unsupported('sameness groups (Consul Enterprise)'),
          })
          .optional()
          .describe('Sends every request for this service to another service or subset instead.'),
        failover: z
          .record(
            z.string(),
            z
              .strictObject({
                service: k8sName.optional().describe('The service to fail over to.'),
                serviceSubset: k8sName.optional().describe('A subset to fail over to.'),
                namespace: ceNamespace.optional().describe('default, the only namespace in Consul CE.'),
                targets: z.array(failoverTarget).optional().describe('Targets tried in order, each a service or subset.'),
                datacenters: unsupported('failover to other datacenters: the simulated cluster is one datacenter'),
                policy: unsupported('failover policies across localities'),
                samenessGroup: unsupported('sameness groups (Consul Enterprise)'),
              })
              .superRefine((f, ctx) => {
                // service-resolver.mdx: service, serviceSubset, namespace, targets and datacenters cannot all be empty.
                if (f.service === undefined && f.serviceSubset === undefined && !f.targets?.length)
                  ctx.addIssue({ code: 'custom', message: 'must set service, serviceSubset or targets' });
              })
              .describe('Where requests go when this subset has no healthy instance.'),
          )
          .optional()
          .describe('Failover per subset (* for any): where requests go when no instance is healthy.'),
        connectTimeout: positiveDurationMs.optional().describe('How long a proxy waits to connect to an instance (default 5s).'),
        requestTimeout: positiveDurationMs.optional().describe("The request timeout when no router sets one (default: Envoy's 15s)."),
        loadBalancer: z
          .strictObject({
            policy: loadBalancerPolicy.optional().describe("random, round_robin (Envoy's default), least_request, ring_hash or maglev."),
            leastRequestConfig: z
              .strictObject({
                choiceCount: z
                  .literal(2, { error: () => 'must be 2: mesh-sim’s least_request draws two endpoints (Envoy’s default)' })
                  .optional()
                  .describe('How many instances least_request draws: 2.'),
              })
              .optional()
              .describe('Settings of least_request.'),
            ringHashConfig: z
              .strictObject({
                minimumRingSize: wholeNumber(1).optional().describe('The smallest ring.'),
                maximumRingSize: wholeNumber(1).optional().describe('The largest ring.'),
              })
              .optional()
              .describe('Settings of ring_hash.'),
            hashPolicies: z
              .array(
                z
                  .strictObject({
                    field: z.enum(['header', 'cookie', 'query_parameter']).optional().describe('What to hash: header or query_parameter.'),
                    fieldValue: z.string().optional().describe("The header or query parameter's name."),
                    sourceIP: z.boolean().optional().describe("true: hash the caller's address."),
                    terminal: z.boolean().optional().describe('true: stop at this policy when it yields a hash.'),
                    cookieConfig: unsupported('cookie hashing'),
                  })
                  .superRefine((h, ctx) => {
                    if (h.field === 'cookie')
                      ctx.addIssue({ code: 'custom', path: ['field'], message: 'cookie hashing is not simulated (use header, query_parameter or sourceIP)' });
                    if ((h.field === undefined) === (h.sourceIP !== true))
                      ctx.addIssue({ code: 'custom', message: 'must set either field (with fieldValue) or sourceIP: true' });
                    if (h.field !== undefined && !h.fieldValue)
                      ctx.addIssue({ code: 'custom', path: ['fieldValue'], message: `is required with field ${h.field}` });
                  }),
              )
              .optional()
              .describe('What ring_hash and maglev hash, in order.'),
          })
          .superRefine((lb, ctx) => {
            if (lb.hashPolicies?.length && lb.policy !== 'ring_hash' && lb.policy !== 'maglev')
              ctx.addIssue({ code: 'custom', path: ['hashPolicies'], message: 'only apply with policy ring_hash or maglev' });
          })
          .optional()
          .describe('How the calling proxies pick an instance.'),
        prioritizeByLocality: unsupported('locality: prioritizeByLocality is not simulated (zones from services[].zones are used by Istio only)'),
      })
      .default({})
      .describe('The service-resolver config entry.'),
  })
  .describe('Consul ServiceResolver: subsets, redirect, failover, timeouts and load balancing of a service.');

export type ServiceRouter = z.output<typeof serviceRouter>;
export type ServiceRouteDestination = z.output<typeof routeDestination>;
export type ServiceSplitter = z.output<typeof serviceSplitter>;
export type ServiceResolver = z.output<typeof serviceResolver>;
