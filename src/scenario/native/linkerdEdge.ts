/**
 * Linkerd's edge (FIDELITY E2): `EgressNetwork` (policy.linkerd.io/v1alpha1 — Allow or Deny for
 * traffic leaving the cluster, 2.17+) and the `Ingress` of a meshed ingress-nginx, which Linkerd
 * needs configured with `nginx.ingress.kubernetes.io/service-upstream: "true"`.
 */
import { z } from '../zodSetup.ts';
import { k8sName, metadata, unsupported } from './common.ts';
import { ipv4CidrText } from './cidrSchema.ts';
import { portNumber } from '../units.ts';

export const egressNetwork = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('EgressNetwork'),
  metadata,
  spec: z.strictObject({
    /** FIDELITY E2: required, Allow or Deny. */
    trafficPolicy: z.enum(['Allow', 'Deny']),
    /** Defaults to every address outside the cluster networks. */
    networks: z.array(z.strictObject({ cidr: ipv4CidrText, except: z.array(ipv4CidrText).optional() })).optional(),
  }),
});

export const ingress = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('Ingress'),
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
  spec: z.strictObject({
    ingressClassName: z.literal('nginx').optional(),
    rules: z
      .array(
        z.strictObject({
          host: z.string(),
          http: z.strictObject({
            paths: z
              .array(
                z.strictObject({
                  path: z.string().startsWith('/'),
                  pathType: z.enum(['Prefix', 'Exact', 'ImplementationSpecific']).default('Prefix'),
                  backend: z.strictObject({ service: z.strictObject({ name: k8sName, port: z.strictObject({ number: portNumber }).optional() }) }),
                }),
              )
              .min(1),
          }),
        }),
      )
      .min(1),
    tls: unsupported('TLS at the ingress: mesh-sim serves plain HTTP at the edge'),
    defaultBackend: unsupported('defaultBackend'),
  }),
});

/** A TLSRoute under an EgressNetwork lets TLS to the listed hosts out (SNI), FIDELITY E2. */
export const tlsRoute = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('TLSRoute'),
  metadata,
  spec: z.strictObject({
    parentRefs: z
      .array(
        z.strictObject({
          name: k8sName,
          kind: z.literal('EgressNetwork'),
          group: z.literal('policy.linkerd.io').optional(),
          namespace: k8sName.optional(),
          port: portNumber.optional(),
        }),
      )
      .min(1),
    /** SNI names the route lets out; without them, every TLS connection the network captures. */
    hostnames: z.array(z.string()).min(1).optional(),
    rules: z
      .array(
        z.strictObject({
          // linkerd.io tasks/managing-egress-traffic: the EgressNetwork as backend sends the connection on to where it was going.
          backendRefs: z
            .array(
              z.strictObject({
                kind: z.literal('EgressNetwork', { message: 'mesh-sim sends TLS routes on to the original destination only: use kind EgressNetwork' }),
                group: z.literal('policy.linkerd.io').optional(),
                name: k8sName,
                namespace: k8sName.optional(),
                port: portNumber.optional(),
              }),
            )
            .optional(),
        }),
      )
      .default([{}] as never),
  }),
});

export type TlsRoute = z.output<typeof tlsRoute>;
export type EgressNetwork = z.output<typeof egressNetwork>;
export type LinkerdIngress = z.output<typeof ingress>;
