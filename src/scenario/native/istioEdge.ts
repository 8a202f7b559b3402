/**
 * Istio resources of the cluster's edge (FIDELITY E1): `Gateway` (ports and hosts on an ingress
 * or egress gateway proxy; no routing — a VirtualService binds to it through `gateways:`) and
 * `ServiceEntry` (an external host added to the registry, so REGISTRY_ONLY lets it out and
 * routing rules can apply to it).
 */
import { z } from '../zodSetup.ts';
import { apiVersion, kindField, metadata, stringMap, unsupported } from './common.ts';
import { portNumber } from '../units.ts';

const port = z.strictObject({
  number: portNumber.describe('The port number.'),
  name: z.string().describe("The port's name."),
  protocol: z.enum(['HTTP', 'HTTPS', 'TLS', 'TCP']).describe('HTTP, HTTPS, TLS or TCP.'),
  targetPort: portNumber
    .optional()
    .describe("The port the host receives this port's traffic on (the Egress TLS Origination task: 80 → 443); default the port itself."),
});

export const gateway = z
  .strictObject({
    apiVersion,
    kind: kindField('Gateway'),
    metadata,
    spec: z
      .strictObject({
        /** `istio: ingressgateway` or `istio: egressgateway`. */
        selector: stringMap
          .superRefine((sel, ctx) => {
            if (sel.istio !== 'ingressgateway' && sel.istio !== 'egressgateway')
              ctx.addIssue({
                code: 'custom',
                path: ['istio'],
                message: 'must select istio: ingressgateway or istio: egressgateway, the gateways mesh-sim simulates',
              });
          })
          .describe("The gateway's pods: istio: ingressgateway or istio: egressgateway."),
        servers: z
          .array(
            z.strictObject({
              port: port.describe('The port the gateway listens on: number, name, protocol.'),
              hosts: z.array(z.string()).min(1).describe('The hosts this server accepts (bookinfo.example.com, or * for any).'),
              tls: unsupported('TLS on the gateway: mesh-sim serves plain HTTP at the edge'),
              name: z.string().optional().describe('A name for the server.'),
            }),
          )
          .min(1)
          .describe('What the gateway listens for: a port and the hosts served on it.'),
      })
      .describe("The gateway's pods (selector) and what they serve (servers)."),
  })
  .describe(
    "Istio Gateway: a load balancer at the mesh's edge (the ingress or egress gateway) and the ports and hosts it serves; a VirtualService bound to it routes what arrives.",
  );

export const serviceEntry = z
  .strictObject({
    apiVersion,
    kind: kindField('ServiceEntry'),
    metadata,
    spec: z
      .strictObject({
        hosts: z.array(z.string()).min(1).describe('The outside hosts added to the registry (api.example.com).'),
        ports: z.array(port).min(1).describe("The hosts' ports: number, name, protocol."),
        location: z
          .enum(['MESH_EXTERNAL', 'MESH_INTERNAL'])
          .default('MESH_EXTERNAL')
          .describe('MESH_EXTERNAL (the default: outside the mesh, no mTLS) or MESH_INTERNAL.'),
        resolution: z
          .enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN'])
          .default('NONE')
          .describe("How the host's addresses are found: NONE, STATIC, DNS or DNS_ROUND_ROBIN."),
        addresses: unsupported('addresses'),
        endpoints: unsupported('endpoints: the external host is the endpoint'),
        exportTo: unsupported('exportTo'),
        workloadSelector: unsupported('workloadSelector'),
      })
      .describe('The hosts and their ports.'),
  })
  .describe(
    'Istio ServiceEntry: adds a host outside the mesh to the service registry, so it is reachable under REGISTRY_ONLY and can be routed and given policies.',
  );

export type IstioGateway = z.output<typeof gateway>;
export type ServiceEntry = z.output<typeof serviceEntry>;
