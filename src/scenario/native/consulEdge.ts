/**
 * Consul at the cluster's edge (FIDELITY-MORE I9): a `TerminatingGateway` (consul-k8s v2.0.3) that
 * links services outside the mesh, and the API gateway as Kubernetes Gateway API objects — a
 * `Gateway` of class `consul` with HTTP listeners and the `HTTPRoute`s attached to it.
 */
import { z } from '../zodSetup.ts';
import { portNumber, wholeNumber } from '../units.ts';
import { apiVersion, kindField, k8sName, metadata, unsupported } from './common.ts';
import { ceNamespace } from './consulDefaults.ts';

export const terminatingGateway = z
  .strictObject({
    apiVersion,
    kind: kindField('TerminatingGateway'),
    metadata,
    spec: z
      .strictObject({
        services: z
          .array(
            z.strictObject({
              name: k8sName.describe('A service outside the mesh (a ServiceDefaults destination) the gateway reaches for mesh services.'),
              namespace: ceNamespace.optional().describe('default, the only namespace in Consul CE.'),
              caFile: unsupported('TLS origination at the gateway: the app’s own TLS passes through'),
              certFile: unsupported('TLS origination at the gateway: the app’s own TLS passes through'),
              keyFile: unsupported('TLS origination at the gateway: the app’s own TLS passes through'),
              sni: unsupported('sni'),
              disableAutoHostRewrite: unsupported('disableAutoHostRewrite'),
              secretRef: unsupported('TLS origination at the gateway'),
            }),
          )
          .min(1, { message: 'must link at least one service' })
          .describe('The outside services the gateway links.'),
        deployment: unsupported('the gateway’s Deployment settings'),
      })
      .describe('The terminating-gateway config entry: the services it links.'),
  })
  .describe('Consul TerminatingGateway (named after the gateway): the way out of the mesh to services outside it.');

export const apiGateway = z
  .strictObject({
    apiVersion,
    kind: kindField('Gateway'),
    metadata,
    spec: z
      .strictObject({
        // FIDELITY-MORE I9: Consul's API gateway is the Gateway API implementation of class consul.
        gatewayClassName: z.literal('consul', { error: () => 'must be "consul": the GatewayClass of Consul’s API gateway' }).describe('consul.'),
        listeners: z
          .array(
            z.strictObject({
              name: z.string().min(1).describe("The listener's name."),
              port: portNumber.describe('The port it listens on.'),
              protocol: z.literal('HTTP', { error: () => 'must be HTTP: mesh-sim simulates plain HTTP listeners' }).describe('HTTP.'),
              hostname: z.string().optional().describe('The host it serves; every host when unset.'),
              allowedRoutes: unsupported('allowedRoutes: routes from any namespace may attach'),
              tls: unsupported('TLS listeners'),
            }),
          )
          .min(1, { message: 'must list at least one listener' })
          .describe('The ports and hosts the gateway listens on.'),
        addresses: unsupported('addresses'),
      })
      .describe('The gateway: its class and listeners.'),
  })
  .describe("Consul's API gateway, as a Gateway API Gateway of class consul: the front door of the mesh.");

const pathMatch = z
  .strictObject({
    type: z.enum(['PathPrefix', 'Exact']).default('PathPrefix').describe('PathPrefix (the default) or Exact.'),
    value: z.string().startsWith('/', { message: 'must start with /' }).describe('The path, starting with /.'),
  })
  .describe('The path to match: { type, value }.');

export const apiHttpRoute = z
  .strictObject({
    apiVersion,
    kind: kindField('HTTPRoute'),
    metadata,
    spec: z
      .strictObject({
        parentRefs: z
          .array(
            z.strictObject({
              name: k8sName.describe("The Gateway's name."),
              kind: z
                .literal('Gateway', { error: () => 'must be Gateway: under consul, HTTPRoutes attach to the API gateway' })
                .default('Gateway')
                .describe('Gateway (the default).'),
              group: z.literal('gateway.networking.k8s.io').optional().describe('gateway.networking.k8s.io.'),
              namespace: k8sName.optional().describe("The Gateway's namespace."),
              sectionName: z.string().optional().describe('The listener it attaches to.'),
              port: unsupported('parentRefs[].port'),
            }),
          )
          .min(1, { message: 'must name the Gateway the route attaches to' })
          .describe('The API gateway the route attaches to.'),
        hostnames: z.array(z.string()).optional().describe('The hosts the route serves; every host of the gateway when unset.'),
        rules: z
          .array(
            z.strictObject({
              matches: z
                .array(
                  z.strictObject({
                    path: pathMatch.optional(),
                    method: z
                      .enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'])
                      .optional()
                      .describe("The request's method."),
                    headers: unsupported('header matches on API gateway routes'),
                    queryParams: unsupported('query parameter matches'),
                  }),
                )
                .optional()
                .describe('Which requests the rule takes: a path and a method; without it, every request.'),
              backendRefs: z
                .array(
                  z.strictObject({
                    name: k8sName.describe("The Service's name."),
                    port: portNumber.optional().describe("The Service's port."),
                    weight: wholeNumber(0).default(1).describe('Its share of the requests (default 1).'),
                    kind: z.literal('Service').optional().describe('Service.'),
                    namespace: k8sName.optional().describe("The Service's namespace."),
                  }),
                )
                .min(1, { message: 'must name at least one backend Service' })
                .describe('The Services requests go to, by weight.'),
              filters: unsupported('HTTPRoute filters'),
              timeouts: unsupported('timeouts on API gateway routes (consul-k8s uses RouteTimeoutFilter)'),
            }),
          )
          .min(1)
          .describe('Rules: matches and the backends they go to.'),
      })
      .describe('The route: the gateway it attaches to, its hosts and rules.'),
  })
  .describe('A Gateway API HTTPRoute attached to the Consul API gateway: which requests go to which Services.');

export type TerminatingGateway = z.output<typeof terminatingGateway>;
export type ConsulApiGateway = z.output<typeof apiGateway>;
export type ConsulHttpRoute = z.output<typeof apiHttpRoute>;
