/**
 * Istio ambient-mode resources (FIDELITY-MORE H6): a waypoint is a Kubernetes Gateway API
 * `Gateway` of class `istio-waypoint` with one HBONE listener on 15008; traffic uses it once a
 * Namespace or Service carries the label `istio.io/use-waypoint: <gateway name>`. Sidecar mode
 * reads none of these (sidecars never send through a waypoint, FIDELITY-MORE H2).
 */
import { z } from '../zodSetup.ts';
import { describe } from '../units.ts';
import { apiVersion, k8sName, kindField, stringMap, unsupported } from './common.ts';

/** The Gateway API versions that define Gateway (gateway.networking.k8s.io). */
export const GATEWAY_API = ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'];

/** The label that enrolls a namespace or a service to a waypoint (FIDELITY-MORE H6). */
export const USE_WAYPOINT = 'istio.io/use-waypoint';
/** The Gateway label saying which traffic a waypoint handles; `service` is the default (FIDELITY-MORE H6). */
export const WAYPOINT_FOR = 'istio.io/waypoint-for';

const waypointMetadata = z
  .strictObject({
    name: k8sName.describe("The waypoint's name: the value of istio.io/use-waypoint that enrolls traffic to it."),
    namespace: k8sName.optional().describe('The namespace the waypoint runs in (default: default).'),
    labels: stringMap
      .superRefine((labels, ctx) => {
        const forWhat = labels[WAYPOINT_FOR];
        if (forWhat !== undefined && forWhat !== 'service')
          ctx.addIssue({
            code: 'custom',
            path: [WAYPOINT_FOR],
            message: `is ${describe(forWhat)}: mesh-sim simulates waypoints for service traffic (the default, "service") only`,
          });
      })
      .optional()
      .describe('Labels; istio.io/waypoint-for: service (the default) is the only value mesh-sim simulates.'),
  })
  .describe("The waypoint's name, namespace and labels.");

/** Gateway API Gateway of class istio-waypoint: an ambient waypoint proxy (FIDELITY-MORE H6). */
export const waypointGateway = z
  .strictObject({
    apiVersion,
    kind: kindField('Gateway'),
    metadata: waypointMetadata,
    spec: z
      .strictObject({
        gatewayClassName: z
          .literal('istio-waypoint', {
            error: (iss) => `must be "istio-waypoint": mesh-sim simulates Gateway API Gateways only as ambient waypoints (got ${describe(iss.input)})`,
          })
          .describe('istio-waypoint: istiod deploys an Envoy waypoint for it.'),
        listeners: z
          .array(
            z.strictObject({
              name: z.string().describe('The listener name (mesh).'),
              port: z.literal(15008, { error: () => 'must be 15008, the HBONE port' }).describe('15008, the HBONE port.'),
              protocol: z.literal('HBONE', { error: () => 'must be HBONE' }).describe('HBONE.'),
              allowedRoutes: unsupported('allowedRoutes'),
            }),
          )
          .length(1, { message: 'must be one listener: { name: mesh, port: 15008, protocol: HBONE }' })
          .describe('One listener: { name: mesh, port: 15008, protocol: HBONE }.'),
        addresses: unsupported('addresses'),
        infrastructure: unsupported('infrastructure'),
      })
      .describe('gatewayClassName istio-waypoint and its HBONE listener.'),
  })
  .describe('Gateway API Gateway of class istio-waypoint: an Istio ambient waypoint, the L7 proxy for the services enrolled to it.');

const labelsOnly = (what: string) =>
  z
    .strictObject({
      name: k8sName.describe(`The ${what}'s name.`),
      namespace: k8sName.optional().describe(`The ${what}'s namespace (default: default).`),
      labels: stringMap
        .superRefine((labels, ctx) => {
          for (const k of Object.keys(labels))
            if (k !== USE_WAYPOINT)
              ctx.addIssue({ code: 'custom', path: [k], message: `is not read by mesh-sim (on a ${what} it reads ${USE_WAYPOINT} only)` });
        })
        .describe(`${USE_WAYPOINT}: <waypoint name> enrolls the ${what}'s traffic to that waypoint.`),
    })
    .describe(`The ${what}'s name and its labels.`);

/** A Namespace, for its istio.io/use-waypoint label (FIDELITY-MORE H6). */
export const namespaceLabels = z
  .strictObject({ apiVersion, kind: kindField('Namespace'), metadata: labelsOnly('namespace'), spec: unsupported('spec: only labels are read') })
  .describe('Kubernetes Namespace, for its labels: istio.io/use-waypoint enrolls the services of the namespace to a waypoint (ambient mode).');

/** A Service, for its istio.io/use-waypoint label (FIDELITY-MORE H6); the service itself is the scenario's. */
export const serviceLabels = z
  .strictObject({ apiVersion, kind: kindField('Service'), metadata: labelsOnly('service'), spec: unsupported('spec: the service is declared under services') })
  .describe(
    'Kubernetes Service, for its labels: istio.io/use-waypoint enrolls this service to a waypoint (ambient mode); a service label beats a namespace label.',
  );

export type WaypointGateway = z.output<typeof waypointGateway>;
export type NamespaceLabels = z.output<typeof namespaceLabels>;
export type ServiceLabels = z.output<typeof serviceLabels>;
