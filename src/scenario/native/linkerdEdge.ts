/**
 * Linkerd's edge (FIDELITY E2): `EgressNetwork` (policy.linkerd.io/v1alpha1 — Allow or Deny for
 * traffic leaving the cluster, 2.17+) and the `Ingress` of a meshed ingress-nginx, which Linkerd
 * needs configured with `nginx.ingress.kubernetes.io/service-upstream: "true"`.
 */
import { z } from '../zodSetup.ts';
import { apiVersion, kindField, k8sName, metadata, unsupported } from './common.ts';
import { ipv4CidrText } from './cidrSchema.ts';
import { portNumber } from '../units.ts';

export const egressNetwork = z
  .strictObject({
    apiVersion,
    kind: kindField('EgressNetwork'),
    metadata,
    spec: z
      .strictObject({
        /** FIDELITY E2: required, Allow or Deny. */
        trafficPolicy: z.enum(['Allow', 'Deny']).describe('Allow or Deny: what happens to traffic to the network that no route attached to it lets through.'),
        /** Defaults to every address outside the cluster networks. */
        networks: z
          .array(
            z.strictObject({
              cidr: ipv4CidrText.describe('An address range, such as 0.0.0.0/0.'),
              except: z.array(ipv4CidrText).optional().describe('Ranges inside it that it does not cover.'),
            }),
          )
          .optional()
          .describe("The address ranges it covers: { cidr, except }; by default every address outside the cluster's networks."),
      })
      .describe('The policy (Allow or Deny) and the networks it covers.'),
  })
  .describe(
    'A Linkerd EgressNetwork (2.17+): traffic leaving the cluster to its networks is caught and allowed or denied by its trafficPolicy; HTTPRoutes and TLSRoutes attached to it let chosen traffic through.',
  );

export const ingress = z
  .strictObject({
    apiVersion,
    kind: kindField('Ingress'),
    metadata: metadata.superRefine((m, ctx) => {
      for (const key of Object.keys(m.annotations ?? {})) {
        if (key !== 'nginx.ingress.kubernetes.io/service-upstream')
          ctx.addIssue({
            code: 'custom',
            path: ['annotations', key],
            message: `annotation "${key}" is not supported by mesh-sim (supported: nginx.ingress.kubernetes.io/service-upstream)`,
          });
      }
      if (m.annotations?.['nginx.ingress.kubernetes.io/service-upstream'] !== 'true')
        ctx.addIssue({
          code: 'custom',
          path: ['annotations'],
          message:
            'must set nginx.ingress.kubernetes.io/service-upstream: "true": Linkerd needs it (FIDELITY E2); without it nginx balances to pods itself, which mesh-sim does not simulate',
        });
    }),
    spec: z
      .strictObject({
        ingressClassName: z.literal('nginx').optional().describe('nginx.'),
        rules: z
          .array(
            z.strictObject({
              host: z.string().describe('The host the rule serves (bookinfo.example.com).'),
              http: z
                .strictObject({
                  paths: z
                    .array(
                      z.strictObject({
                        path: z.string().startsWith('/').describe('The path, starting with /.'),
                        pathType: z
                          .enum(['Prefix', 'Exact', 'ImplementationSpecific'])
                          .default('Prefix')
                          .describe('Prefix (the default), Exact or ImplementationSpecific.'),
                        backend: z
                          .strictObject({
                            service: z
                              .strictObject({
                                name: k8sName.describe("The Service's name."),
                                port: z
                                  .strictObject({ number: portNumber.describe('The port number.') })
                                  .optional()
                                  .describe('{ number }: its port.'),
                              })
                              .describe('The Service: { name, port }.'),
                          })
                          .describe('{ service: { name, port } }: the Service the path goes to.'),
                      }),
                    )
                    .min(1)
                    .describe('Paths and the Service each goes to.'),
                })
                .describe('{ paths }: the paths served for the host.'),
            }),
          )
          .min(1)
          .describe('Hosts and the paths served for each.'),
        tls: unsupported('TLS at the ingress: mesh-sim serves plain HTTP at the edge'),
        defaultBackend: unsupported('defaultBackend'),
      })
      .describe('The hosts and paths nginx serves, and the Services they go to.'),
  })
  .describe(
    'An Ingress served by a meshed ingress-nginx: Linkerd\'s way into the mesh. It needs the nginx.ingress.kubernetes.io/service-upstream: "true" annotation, so nginx sends to the Service and Linkerd\'s proxy balances.',
  );

/** A TLSRoute under an EgressNetwork lets TLS to the listed hosts out (SNI), FIDELITY E2. */
export const tlsRoute = z
  .strictObject({
    apiVersion,
    kind: kindField('TLSRoute'),
    metadata,
    spec: z
      .strictObject({
        parentRefs: z
          .array(
            z.strictObject({
              name: k8sName.describe("The EgressNetwork's name."),
              kind: z.literal('EgressNetwork').describe('EgressNetwork.'),
              group: z.literal('policy.linkerd.io').optional().describe('policy.linkerd.io.'),
              namespace: k8sName.optional().describe("Its namespace (default: the route's)."),
              port: portNumber.optional().describe('The port of the EgressNetwork the route applies to (default: every port).'),
            }),
          )
          .min(1)
          .describe('The EgressNetwork the route belongs to.'),
        /** SNI names the route lets out; without them, every TLS connection the network captures. */
        hostnames: z.array(z.string()).min(1).optional().describe('SNI names the route lets out; without them, every TLS connection the network catches.'),
        rules: z
          .array(
            z.strictObject({
              // linkerd.io tasks/managing-egress-traffic: the EgressNetwork as backend sends the connection on to where it was going.
              backendRefs: z
                .array(
                  z.strictObject({
                    kind: z
                      .literal('EgressNetwork', { message: 'mesh-sim sends TLS routes on to the original destination only: use kind EgressNetwork' })
                      .describe('EgressNetwork: the connection goes on to its original destination.'),
                    group: z.literal('policy.linkerd.io').optional().describe('policy.linkerd.io.'),
                    name: k8sName.describe("The EgressNetwork's name."),
                    namespace: k8sName.optional().describe("Its namespace (default: the route's)."),
                    port: portNumber.optional().describe('The port of the EgressNetwork the route applies to (default: every port).'),
                  }),
                )
                .optional()
                .describe('Where the connections go: the EgressNetwork itself (on to their original destination).'),
            }),
          )
          .default([{}] as never)
          .describe("The route's rules (default one rule sending on to the original destination)."),
      })
      .describe('The EgressNetwork it attaches to, the hostnames it lets out, its rules.'),
  })
  .describe('A TLSRoute attached to an EgressNetwork: lets TLS connections to the listed hosts (by SNI) out, on to where they were going.');

export type TlsRoute = z.output<typeof tlsRoute>;
export type EgressNetwork = z.output<typeof egressNetwork>;
export type LinkerdIngress = z.output<typeof ingress>;
