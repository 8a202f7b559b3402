/**
 * Consul's defaults entries as consul-k8s v2.0.3 CRDs (consul.hashicorp.com/v1alpha1):
 * `ServiceDefaults` (protocol, mTLS mode, the caller's upstream limits and passive health checks,
 * a transparent-proxy destination outside the mesh), `ProxyDefaults` (the mesh-wide protocol and
 * mTLS mode) and `Mesh` (egress to mesh destinations only, permissive mTLS allowed) — FIDELITY-MORE
 * I3, I5, I7, I9. Plus `HelmValues`: the chart values Consul was installed with, which decide the
 * intentions' default (FIDELITY-MORE I4). Fields mesh-sim does not simulate are refused by name.
 */
import { z } from '../zodSetup.ts';
import { describe, portNumber, positiveDurationMs, wholeNumber } from '../units.ts';
import { apiVersion, kindField, k8sName, metadata, unsupported } from './common.ts';

/** FIDELITY-MORE I5: tcp is the default; http, http2 and grpc unlock L7 features. */
export const CONSUL_PROTOCOLS = ['tcp', 'http', 'http2', 'grpc'] as const;
export const consulProtocol = z.enum(CONSUL_PROTOCOLS);
export type ConsulProtocol = z.output<typeof consulProtocol>;

/** FIDELITY-MORE I3: "" inherits, strict is the default, permissive accepts plaintext on the service port. */
const mutualTlsMode = z.enum(['', 'strict', 'permissive']);

/** A Consul CE namespace: only `default` exists (FIDELITY-MORE I2). */
export const ceNamespace = z.literal('default', {
  error: (iss) => `must be "default": Consul CE has one namespace; Kubernetes namespaces are not Consul namespaces (got ${describe(iss.input)})`,
});

const tproxyOnly =
  'cannot be set in a ServiceDefaults on Kubernetes (consul-k8s sets it from pod annotations); mesh-sim runs every pod in transparent proxy mode';
const tproxyMessage = z
  .unknown()
  .optional()
  .superRefine((v, ctx) => {
    if (v !== undefined) ctx.addIssue({ code: 'custom', message: `is not supported by mesh-sim: ${tproxyOnly}` });
  })
  .describe(`Transparent proxy settings: mesh-sim does not take them here (${tproxyOnly}).`);

/** `upstreamConfig.defaults` / `.overrides[]` of the calling service (FIDELITY-MORE I7). */
const upstream = z.strictObject({
  /** Only in overrides: the upstream service these settings are for. */
  name: k8sName.optional().describe('In an override: the upstream service these settings are for (empty in defaults).'),
  namespace: ceNamespace.optional().describe("The upstream's Consul namespace: default, the only one in Consul CE."),
  connectTimeoutMs: wholeNumber(1).optional().describe('How long the calling proxy waits to connect to the upstream, in ms (default 5000).'),
  limits: z
    .strictObject({
      maxConnections: wholeNumber(1).optional().describe("Connections to the upstream at once (Envoy's circuit breaker; default 1024)."),
      maxPendingRequests: wholeNumber(1).optional().describe('Requests waiting for a connection (default 1024); more are refused with 503 UO.'),
      maxConcurrentRequests: wholeNumber(1).optional().describe('Requests in flight to the upstream at once (default 1024); more are refused with 503 UO.'),
    })
    .optional()
    .describe("Circuit-breaker limits toward the upstream; unset ones keep Envoy's defaults (1024 each, 3 retries in flight)."),
  passiveHealthCheck: z
    .strictObject({
      interval: positiveDurationMs.optional().describe('How often ejections are reviewed (default 10s).'),
      maxFailures: wholeNumber(1).optional().describe('Consecutive 5xx answers that eject an endpoint (default 5).'),
      enforcingConsecutive5xx: z
        .union([z.literal(0), z.literal(100)], {
          error: () => 'must be 0 (detect, never eject) or 100 (always eject): mesh-sim does not simulate partial enforcement',
        })
        .optional()
        .describe('The chance, in %, that a detected endpoint is ejected: 100 (the default) or 0.'),
      maxEjectionPercent: wholeNumber(0, 100).optional().describe('At most this share of the endpoints is ejected at once (default 10).'),
      baseEjectionTime: positiveDurationMs.optional().describe('How long a first ejection lasts; each further one lasts longer (default 30s).'),
    })
    .optional()
    .describe("Outlier detection toward the upstream. It is always on: unset fields keep Envoy's defaults."),
  protocol: unsupported("an upstream's protocol override; set the protocol in the upstream's own ServiceDefaults"),
  partition: unsupported('admin partitions (Consul Enterprise)'),
  peer: unsupported('cluster peering'),
  meshGateway: unsupported('mesh gateways'),
  envoyListenerJSON: unsupported('Envoy escape hatches'),
  envoyClusterJSON: unsupported('Envoy escape hatches'),
  balanceOutboundConnections: unsupported('balanceOutboundConnections'),
});

export const serviceDefaults = z
  .strictObject({
    apiVersion,
    kind: kindField('ServiceDefaults'),
    metadata,
    spec: z
      .strictObject({
        protocol: consulProtocol
          .optional()
          .describe("The service's protocol: tcp (the default: bytes only, no L7 routing, retries or per-request intentions), http, http2 or grpc."),
        mutualTLSMode: mutualTlsMode
          .optional()
          .describe('strict (the default: mTLS only) or permissive (plaintext accepted too); empty inherits ProxyDefaults.'),
        upstreamConfig: z
          .strictObject({
            defaults: upstream
              .superRefine((u, ctx) => {
                if (u.name !== undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'must be empty in defaults: they apply to every upstream' });
              })
              .optional()
              .describe('Settings toward every upstream this service calls.'),
            overrides: z
              .array(
                upstream.superRefine((u, ctx) => {
                  if (u.name === undefined)
                    ctx.addIssue({ code: 'custom', path: ['name'], message: 'is required in an override: it names the upstream service' });
                }),
              )
              .optional()
              .describe('Settings toward one upstream each, named by name; they win over defaults.'),
          })
          .optional()
          .describe('How this service, as a caller, treats its upstreams: connect timeout, limits, passive health checks.'),
        /** A transparent-proxy destination outside the mesh, reached through a terminating gateway (FIDELITY-MORE I9). */
        destination: z
          .strictObject({
            addresses: z.array(z.string().min(1)).min(1).describe('The outside hosts or addresses that make up the destination (api.partner.com).'),
            port: portNumber.describe('The port the destination listens on.'),
          })
          .optional()
          .describe('Makes the service a destination outside the mesh, reached through a terminating gateway that links it.'),
        mode: tproxyMessage,
        transparentProxy: tproxyMessage,
        meshGateway: unsupported('mesh gateways'),
        expose: unsupported('expose paths'),
        externalSNI: unsupported('externalSNI'),
        maxInboundConnections: unsupported('maxInboundConnections'),
        localConnectTimeoutMs: unsupported('the timeout to the local app'),
        localRequestTimeoutMs: unsupported('the server-side route timeout to the local app; the client side times requests out first'),
        balanceInboundConnections: unsupported('balanceInboundConnections'),
        rateLimits: unsupported('rate limiting (Consul Enterprise)'),
        envoyExtensions: unsupported('Envoy extensions'),
      })
      .default({})
      .describe('The service-defaults config entry: protocol, mTLS mode, upstream settings, an outside destination.'),
  })
  .describe('Consul ServiceDefaults: per-service defaults — the protocol (tcp unless set), mTLS mode, and how the service treats its upstreams.');

/**
 * ProxyDefaults `config`: the opaque proxy config map. mesh-sim reads `protocol` (the mesh-wide
 * default, FIDELITY-MORE I5); other keys are refused so a typo is never taken for a setting.
 */
const proxyConfig = z.strictObject({
  protocol: consulProtocol.optional().describe('The protocol of every service that does not set its own (default tcp).'),
  local_connect_timeout_ms: unsupported('local_connect_timeout_ms'),
  local_request_timeout_ms: unsupported('local_request_timeout_ms'),
  handshake_timeout_ms: unsupported('handshake_timeout_ms'),
  envoy_prometheus_bind_addr: unsupported('metrics listeners'),
  envoy_stats_bind_addr: unsupported('metrics listeners'),
});

export const proxyDefaults = z
  .strictObject({
    apiVersion,
    kind: kindField('ProxyDefaults'),
    metadata: metadata.superRefine((m, ctx) => {
      // consul-k8s webhook: the one proxy-defaults entry is named global.
      if (m.name !== 'global')
        ctx.addIssue({ code: 'custom', path: ['name'], message: `must be "global": Consul has one proxy-defaults entry (got "${m.name}")` });
    }),
    spec: z
      .strictObject({
        config: proxyConfig.optional().describe('The proxy config map; mesh-sim reads protocol.'),
        mutualTLSMode: mutualTlsMode.optional().describe('The mesh-wide mTLS mode: strict (the default) or permissive.'),
        mode: tproxyMessage,
        transparentProxy: tproxyMessage,
        meshGateway: unsupported('mesh gateways'),
        expose: unsupported('expose paths'),
        accessLogs: unsupported('access logs'),
        envoyExtensions: unsupported('Envoy extensions'),
        failoverPolicy: unsupported('failover policies across localities'),
        prioritizeByLocality: unsupported('locality: prioritizeByLocality is not simulated (zones from services[].zones are used by Istio only)'),
      })
      .default({})
      .describe('The proxy-defaults config entry: the mesh-wide protocol and mTLS mode.'),
  })
  .describe('Consul ProxyDefaults (named global): defaults for every proxy in the mesh.');

export const consulMesh = z
  .strictObject({
    apiVersion,
    kind: kindField('Mesh'),
    metadata: metadata.superRefine((m, ctx) => {
      if (m.name !== 'mesh') ctx.addIssue({ code: 'custom', path: ['name'], message: `must be "mesh": Consul has one mesh entry (got "${m.name}")` });
    }),
    spec: z
      .strictObject({
        transparentProxy: z
          .strictObject({
            meshDestinationsOnly: z
              .boolean()
              .optional()
              .describe('true: traffic to addresses Consul does not know is closed instead of passed through (default false).'),
          })
          .optional()
          .describe('How transparent proxies treat traffic to addresses outside the mesh.'),
        allowEnablingPermissiveMutualTLS: z
          .boolean()
          .optional()
          .describe('Lets a ServiceDefaults or ProxyDefaults set mutualTLSMode permissive (default false).'),
        tls: unsupported('mesh TLS versions: sidecars negotiate Envoy’s client default, TLS 1.2 (FIDELITY-MORE I3)'),
        http: unsupported('HTTP request normalization'),
        peering: unsupported('cluster peering'),
        validateClusters: unsupported('validateClusters'),
      })
      .default({})
      .describe('The mesh config entry: egress to mesh destinations only, permissive mTLS allowed.'),
  })
  .describe('Consul Mesh (named mesh): mesh-wide settings.');

/**
 * The Helm values Consul was installed with (`helm install consul hashicorp/consul -f values.yaml`),
 * not a Kubernetes object: `kubectl apply` would not take it. mesh-sim reads the few values that
 * change what a learner sees (consul-k8s v2.0.3 defaults, FIDELITY-MORE I1, I2, I4).
 */
export const helmValues = z
  .strictObject({
    apiVersion: z.string().describe('mesh-sim/v1: not a Kubernetes API, the chart values are not a Kubernetes object.'),
    kind: kindField('HelmValues'),
    metadata,
    values: z
      .strictObject({
        global: z
          .strictObject({
            /** FIDELITY-MORE I4: true writes acl.default_policy = "deny" — intentions become deny-by-default. */
            acls: z
              .strictObject({
                manageSystemACLs: z
                  .boolean()
                  .optional()
                  .describe('true: Consul runs with ACLs whose default policy is deny, so intentions deny by default (chart default false: allow).'),
              })
              .optional()
              .describe('ACL settings.'),
            /** FIDELITY-MORE I2: the datacenter in every SPIFFE ID (default dc1). */
            datacenter: k8sName.optional().describe('The datacenter, named in every SPIFFE ID (default dc1).'),
            enableConsulNamespaces: unsupported('Consul Enterprise namespaces'),
            tls: unsupported('TLS for the servers’ own APIs'),
          })
          .optional()
          .describe('global: ACLs and the datacenter.'),
        connectInject: z
          .strictObject({
            transparentProxy: z
              .strictObject({
                defaultEnabled: z
                  .literal(true, { error: () => 'must be true: mesh-sim runs every pod in transparent proxy mode (the chart’s default)' })
                  .optional()
                  .describe('true, the chart default: every injected pod runs in transparent proxy mode.'),
              })
              .optional()
              .describe('Transparent proxy settings.'),
            default: unsupported('connectInject.default: use services[].meshed'),
          })
          .optional()
          .describe('connectInject: the sidecar injector.'),
        server: unsupported('server settings'),
        terminatingGateways: unsupported('terminatingGateways: mesh-sim deploys the gateway a TerminatingGateway resource names'),
        apiGateway: unsupported('apiGateway: mesh-sim deploys the gateway a Gateway resource names'),
      })
      .default({})
      .describe('The values file, as helm install -f takes it; mesh-sim reads the values listed here.'),
  })
  .describe("The Helm chart values Consul was installed with (not a Kubernetes object): managed ACLs decide the intentions' default.");

export type ServiceDefaults = z.output<typeof serviceDefaults>;
export type ProxyDefaults = z.output<typeof proxyDefaults>;
export type ConsulMesh = z.output<typeof consulMesh>;
export type HelmValues = z.output<typeof helmValues>;
export type ConsulUpstreamConfig = z.output<typeof upstream>;
