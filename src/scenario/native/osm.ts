/**
 * Native Open Service Mesh resources a scenario may carry under `osm:`, as `kubectl apply` takes
 * them for OSM v1.2.4 (FIDELITY-MORE J1; the CRDs of openservicemesh/osm
 * cmd/osm-bootstrap/crds at v1.2.4): the MeshConfig (traffic policy mode, egress, feature
 * flags), the SMI resources OSM reads (TrafficSplit v1alpha2, TrafficTarget v1alpha3,
 * HTTPRouteGroup v1alpha4 — FIDELITY-MORE J4) and OSM's policy CRDs (Retry, UpstreamTrafficSetting,
 * Egress, IngressBackend — FIDELITY-MORE J5, J6). Fields OSM has that mesh-sim does not simulate
 * are refused by name.
 */
import { z } from '../zodSetup.ts';
import { durationMs, positiveDurationMs, portNumber, wholeNumber } from '../units.ts';
import { apiVersion, kindField, kindUnion, k8sName, metadata, regexText, stringMap, unsupported } from './common.ts';

const flag = (what: string) => z.boolean().optional().describe(what);

/** MeshConfig `osm-mesh-config` (config.openservicemesh.io/v1alpha2). */
export const osmMeshConfig = z
  .strictObject({
    apiVersion,
    kind: kindField('MeshConfig'),
    metadata,
    spec: z
      .strictObject({
        traffic: z
          .strictObject({
            enablePermissiveTrafficPolicyMode: flag(
              'true: every meshed service may call every other and SMI TrafficTargets are ignored; false: SMI mode, denied unless a TrafficTarget allows (FIDELITY-MORE J3). The v1.2 chart sets true.',
            ),
            enableEgress: flag('true: traffic to outside hosts passes through to its original destination (FIDELITY-MORE J6). The v1.2 chart sets true.'),
            outboundIPRangeExclusionList: unsupported('traffic interception exclusions'),
            inboundPortExclusionList: unsupported('traffic interception exclusions'),
            outboundPortExclusionList: unsupported('traffic interception exclusions'),
          })
          .optional()
          .describe('Mesh-wide traffic settings: the traffic policy mode and egress.'),
        featureFlags: z
          .strictObject({
            enableRetryPolicy: flag('Turns on the Retry policy CRD; false by default in v1.2.4, so Retry resources do nothing (FIDELITY-MORE J5).'),
            enableEgressPolicy: flag('Turns on the Egress policy CRD (default true in v1.2.4).'),
            enableEnvoyActiveHealthChecks: unsupported('active health checks'),
          })
          .optional()
          .describe('Feature flags of the controller.'),
        certificate: unsupported('certificate settings: mesh-sim models the 24h default validity'),
        sidecar: unsupported('sidecar settings'),
        observability: unsupported('observability settings'),
      })
      .describe('The mesh-wide configuration the OSM controller reads.'),
  })
  .describe('OSM MeshConfig: the traffic policy mode, egress, feature flags, certificate validity.');

/** SMI TrafficSplit (split.smi-spec.io/v1alpha2): a root service's traffic weighted across backend services. */
export const osmTrafficSplit = z
  .strictObject({
    apiVersion,
    kind: kindField('TrafficSplit'),
    metadata,
    spec: z
      .strictObject({
        service: z.string().min(1).describe('The root service clients call (its name or FQDN).'),
        backends: z
          .array(
            z
              .strictObject({
                service: k8sName.describe('A backend service receiving part of the traffic.'),
                weight: wholeNumber(0).describe('Its weight, relative to the others.'),
              })
              .describe('One backend service and its weight.'),
          )
          .min(1)
          .describe('The services the root service is split across, with weights.'),
        matches: unsupported('TrafficSplit matches'),
      })
      .describe('The root service and its weighted backends.'),
  })
  .describe('SMI TrafficSplit: weighted backends for a root service (canary).');

const smiIdentity = z
  .strictObject({
    kind: z.literal('ServiceAccount').describe('Always ServiceAccount: SMI access control is by service account.'),
    name: k8sName.describe('The service account.'),
    namespace: k8sName.optional().describe('Its namespace (default: the TrafficTarget’s).'),
  })
  .describe('A service account.');

/** SMI TrafficTarget (access.smi-spec.io/v1alpha3). */
export const osmTrafficTarget = z
  .strictObject({
    apiVersion,
    kind: kindField('TrafficTarget'),
    metadata,
    spec: z
      .strictObject({
        destination: smiIdentity.describe('The service account whose pods receive the traffic.'),
        sources: z.array(smiIdentity).min(1).describe('The service accounts allowed to call the destination.'),
        rules: z
          .array(
            z
              .strictObject({
                kind: z.enum(['HTTPRouteGroup', 'TCPRoute']).describe('HTTPRouteGroup (HTTP matches) or TCPRoute (ports).'),
                name: k8sName.describe('The HTTPRouteGroup or TCPRoute.'),
                matches: z.array(z.string()).optional().describe('Names of the HTTPRouteGroup matches allowed (default: all of them).'),
              })
              .describe('Traffic the sources may send: an HTTPRouteGroup (optionally some of its matches) or a TCPRoute.'),
          )
          .min(1)
          .describe('What the sources may send.'),
      })
      .describe('Who (sources) may send what (rules) to whom (destination).'),
  })
  .describe('SMI TrafficTarget: an allow rule, in SMI traffic policy mode (permissive mode ignores it).');

/** SMI HTTPRouteGroup (specs.smi-spec.io/v1alpha4). */
export const osmHttpRouteGroup = z
  .strictObject({
    apiVersion,
    kind: kindField('HTTPRouteGroup'),
    metadata,
    spec: z
      .strictObject({
        matches: z
          .array(
            z
              .strictObject({
                name: k8sName.describe('The match’s name, which a TrafficTarget rule may pick.'),
                pathRegex: regexText.optional().describe('A regular expression the whole path must match (default: any path).'),
                methods: z.array(z.string()).optional().describe('Methods allowed (* for any; default any).'),
                headers: stringMap.optional().describe('Headers the request must carry (name: value regex).'),
              })
              .describe('One HTTP match.'),
          )
          .min(1)
          .describe('Named HTTP matches.'),
      })
      .describe('The HTTP matches.'),
  })
  .describe('SMI HTTPRouteGroup: named HTTP matches that TrafficTargets allow.');

/** SMI TCPRoute (specs.smi-spec.io/v1alpha4). */
export const osmTcpRoute = z
  .strictObject({
    apiVersion,
    kind: kindField('TCPRoute'),
    metadata,
    spec: z
      .strictObject({
        matches: z
          .strictObject({ ports: z.array(portNumber).optional().describe('Ports allowed (default any).') })
          .optional()
          .describe('The ports the route covers.'),
      })
      .describe('The TCP route.'),
  })
  .describe('SMI TCPRoute: ports a TrafficTarget allows (any request on them).');

const serviceRef = z
  .strictObject({
    kind: z.literal('Service').describe('Always Service.'),
    name: k8sName.describe('The service.'),
    namespace: k8sName.optional().describe('Its namespace (default: the resource’s).'),
  })
  .describe('A service.');

/** OSM Retry (policy.openservicemesh.io/v1alpha1); all four retryPolicy fields are required by the CRD. */
export const osmRetry = z
  .strictObject({
    apiVersion,
    kind: kindField('Retry'),
    metadata,
    spec: z
      .strictObject({
        source: smiIdentity.describe('The service account whose requests are retried.'),
        destinations: z.array(serviceRef).min(1).describe('The services its retries apply to.'),
        retryPolicy: z
          .strictObject({
            retryOn: z
              .string()
              .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, { message: 'must be a comma list of Envoy retry_on values like 5xx,connect-failure' })
              .describe('Envoy retry_on values, comma separated: 5xx, gateway-error, reset, connect-failure, retriable-4xx.'),
            perTryTimeout: durationMs.describe('How long each try may take (0s: no per-try timeout, as Envoy reads 0).'),
            numRetries: wholeNumber(0, 100).describe('Retries after the first try.'),
            retryBackoffBaseInterval: positiveDurationMs.describe('Base of the exponential backoff between tries (at most 10 times it).'),
          })
          .describe('The Envoy retry policy written onto the route.'),
      })
      .describe('Retries from a source service account to destination services; only with featureFlags.enableRetryPolicy.'),
  })
  .describe('OSM Retry policy: retries from a source to services, behind the enableRetryPolicy feature flag (off by default).');

/** OSM UpstreamTrafficSetting (policy.openservicemesh.io/v1alpha1). */
export const osmUpstreamTrafficSetting = z
  .strictObject({
    apiVersion,
    kind: kindField('UpstreamTrafficSetting'),
    metadata,
    spec: z
      .strictObject({
        host: z.string().min(1).describe('The upstream service’s FQDN (reviews.default.svc.cluster.local).'),
        connectionSettings: z
          .strictObject({
            tcp: z
              .strictObject({
                maxConnections: wholeNumber(0).optional().describe('The most connections to the service’s endpoints (default 4294967295).'),
                connectTimeout: positiveDurationMs.optional().describe('TCP connect timeout (default Envoy’s 5s).'),
              })
              .optional()
              .describe('TCP limits.'),
            http: z
              .strictObject({
                maxRequests: wholeNumber(0).optional().describe('The most requests in flight (default 4294967295).'),
                maxPendingRequests: wholeNumber(0).optional().describe('The most requests waiting for a connection (default 4294967295).'),
                maxRequestsPerConnection: wholeNumber(0).optional().describe('Requests per connection before it is closed (default unlimited).'),
                maxRetries: wholeNumber(0).optional().describe('The most retries in flight (default 4294967295).'),
              })
              .optional()
              .describe('HTTP limits.'),
          })
          .optional()
          .describe('Envoy circuit-breaker thresholds toward the host, in each calling sidecar.'),
        rateLimit: unsupported('local rate limiting'),
        httpRoutes: unsupported('per-route rate limits'),
      })
      .describe('Limits toward one upstream host.'),
  })
  .describe('OSM UpstreamTrafficSetting: connection limits and circuit breaking toward a service (FIDELITY-MORE J5).');

/** OSM Egress (policy.openservicemesh.io/v1alpha1). */
export const osmEgress = z
  .strictObject({
    apiVersion,
    kind: kindField('Egress'),
    metadata,
    spec: z
      .strictObject({
        sources: z.array(smiIdentity).min(1).describe('The service accounts allowed out.'),
        hosts: z.array(z.string().min(1)).min(1).describe('The outside hosts they may reach.'),
        ports: z
          .array(
            z
              .strictObject({
                number: portNumber.describe('The port.'),
                protocol: z.enum(['http', 'tcp', 'https', 'tcp-server-first']).describe('Its protocol.'),
              })
              .describe('A port and protocol.'),
          )
          .min(1)
          .describe('The ports allowed.'),
        ipAddresses: unsupported('egress by IP range'),
        matches: unsupported('egress HTTP route matches'),
      })
      .describe('Who may reach which outside hosts.'),
  })
  .describe('OSM Egress policy: outside hosts some service accounts may reach (FIDELITY-MORE J6).');

/** OSM IngressBackend (policy.openservicemesh.io/v1alpha1). */
export const osmIngressBackend = z
  .strictObject({
    apiVersion,
    kind: kindField('IngressBackend'),
    metadata,
    spec: z
      .strictObject({
        backends: z
          .array(
            z
              .strictObject({
                name: k8sName.describe('The backend service.'),
                port: z
                  .strictObject({
                    number: portNumber.describe('Its port.'),
                    protocol: z.enum(['http', 'https']).describe('http (plaintext from the ingress) or https (mTLS from it).'),
                  })
                  .describe('The backend’s port.'),
                tls: unsupported('backend TLS settings'),
              })
              .describe('A backend that accepts ingress traffic.'),
          )
          .min(1)
          .describe('The backends.'),
        sources: z
          .array(
            z
              .strictObject({
                kind: z.enum(['Service', 'IPRange', 'AuthenticatedPrincipal']).describe('Service, IPRange or AuthenticatedPrincipal.'),
                name: z.string().min(1).describe('The service, CIDR or principal.'),
                namespace: k8sName.optional().describe('A Service source’s namespace.'),
              })
              .describe('An ingress source.'),
          )
          .min(1)
          .describe('Who may send ingress traffic to the backends.'),
      })
      .describe('Backends and the ingress sources they accept.'),
  })
  .describe('OSM IngressBackend: required for a mesh backend to accept traffic from an ingress (FIDELITY-MORE J6).');

export type OsmMeshConfig = z.output<typeof osmMeshConfig>;
export type OsmTrafficSplit = z.output<typeof osmTrafficSplit>;
export type OsmTrafficTarget = z.output<typeof osmTrafficTarget>;
export type OsmHttpRouteGroup = z.output<typeof osmHttpRouteGroup>;
export type OsmTcpRoute = z.output<typeof osmTcpRoute>;
export type OsmRetry = z.output<typeof osmRetry>;
export type OsmUpstreamTrafficSetting = z.output<typeof osmUpstreamTrafficSetting>;
export type OsmEgress = z.output<typeof osmEgress>;
export type OsmIngressBackend = z.output<typeof osmIngressBackend>;
export type OsmResource =
  OsmMeshConfig | OsmTrafficSplit | OsmTrafficTarget | OsmHttpRouteGroup | OsmTcpRoute | OsmRetry | OsmUpstreamTrafficSetting | OsmEgress | OsmIngressBackend;

const policyApi = ['policy.openservicemesh.io/v1alpha1'] as const;

/** One entry of the `osm:` section, chosen by kind. */
export const osmResource = kindUnion('OSM', {
  MeshConfig: { apiVersions: ['config.openservicemesh.io/v1alpha2', 'config.openservicemesh.io/v1alpha1'], schema: osmMeshConfig },
  TrafficSplit: { apiVersions: ['split.smi-spec.io/v1alpha2'], schema: osmTrafficSplit },
  TrafficTarget: { apiVersions: ['access.smi-spec.io/v1alpha3'], schema: osmTrafficTarget },
  HTTPRouteGroup: { apiVersions: ['specs.smi-spec.io/v1alpha4'], schema: osmHttpRouteGroup },
  TCPRoute: { apiVersions: ['specs.smi-spec.io/v1alpha4'], schema: osmTcpRoute },
  Retry: { apiVersions: policyApi, schema: osmRetry },
  UpstreamTrafficSetting: { apiVersions: policyApi, schema: osmUpstreamTrafficSetting },
  Egress: { apiVersions: policyApi, schema: osmEgress },
  IngressBackend: { apiVersions: policyApi, schema: osmIngressBackend },
}) as unknown as z.ZodType<OsmResource, unknown>;
