/**
 * Istio resources of the cluster's edge (FIDELITY E1): `Gateway` (ports and hosts on an ingress
 * or egress gateway proxy; no routing — a VirtualService binds to it through `gateways:`) and
 * `ServiceEntry` (an external host added to the registry, so REGISTRY_ONLY lets it out and
 * routing rules can apply to it).
 */
import { z } from '../zodSetup.ts';
import { metadata, stringMap, unsupported } from './common.ts';
import { portNumber } from '../units.ts';

const port = z.strictObject({
  number: portNumber,
  name: z.string(),
  protocol: z.enum(['HTTP', 'HTTPS', 'TLS', 'TCP']),
  targetPort: unsupported('targetPort'),
});

export const gateway = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('Gateway'),
  metadata,
  spec: z.strictObject({
    /** `istio: ingressgateway` or `istio: egressgateway`. */
    selector: stringMap.superRefine((sel, ctx) => {
      if (sel.istio !== 'ingressgateway' && sel.istio !== 'egressgateway')
        ctx.addIssue({
          code: 'custom',
          path: ['istio'],
          message: 'must select istio: ingressgateway or istio: egressgateway, the gateways mesh-sim simulates',
        });
    }),
    servers: z
      .array(
        z.strictObject({
          port,
          hosts: z.array(z.string()).min(1),
          tls: unsupported('TLS on the gateway: mesh-sim serves plain HTTP at the edge'),
          name: z.string().optional(),
        }),
      )
      .min(1),
  }),
});

export const serviceEntry = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('ServiceEntry'),
  metadata,
  spec: z.strictObject({
    hosts: z.array(z.string()).min(1),
    ports: z.array(port).min(1),
    location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).default('MESH_EXTERNAL'),
    resolution: z.enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN']).default('NONE'),
    addresses: unsupported('addresses'),
    endpoints: unsupported('endpoints: the external host is the endpoint'),
    exportTo: unsupported('exportTo'),
    workloadSelector: unsupported('workloadSelector'),
  }),
});

export type IstioGateway = z.output<typeof gateway>;
export type ServiceEntry = z.output<typeof serviceEntry>;
