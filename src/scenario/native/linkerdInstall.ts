/**
 * The Helm values Linkerd was installed with (`helm install linkerd-control-plane -f values.yaml`,
 * or `linkerd install --set …`): not a Kubernetes object, so its apiVersion is mesh-sim/v1. mesh-sim
 * reads the values that change what a learner sees — the cluster-wide default inbound policy and
 * the cluster networks (linkerd2 charts/linkerd-control-plane/values.yaml; FIDELITY A7). Any other
 * value is reported by name.
 */
import { z } from '../zodSetup.ts';
import { describe } from '../units.ts';
import { kindField, metadata, unsupported } from './common.ts';
import { parseCidr } from './cidr.ts';
import { DEFAULT_INBOUND_POLICIES } from './linkerdPolicy.ts';

/** The chart's default `clusterNetworks` (linkerd2 charts/linkerd-control-plane/values.yaml). */
export const DEFAULT_CLUSTER_NETWORKS = '10.0.0.0/8,100.64.0.0/10,172.16.0.0/12,192.168.0.0/16';

export const linkerdHelmValues = z
  .strictObject({
    apiVersion: z.string().describe('mesh-sim/v1: not a Kubernetes API, the chart values are not a Kubernetes object.'),
    kind: kindField('HelmValues'),
    metadata,
    values: z
      .strictObject({
        proxy: z
          .strictObject({
            // FIDELITY A7: the install default for pods no annotation overrides (chart default all-unauthenticated).
            defaultInboundPolicy: z
              .enum(DEFAULT_INBOUND_POLICIES, { error: (iss) => `must be ${DEFAULT_INBOUND_POLICIES.join(', ')} (got ${describe(iss.input)})` })
              .optional()
              .describe(
                'The default inbound policy of every proxy whose namespace and workload say nothing (config.linkerd.io/default-inbound-policy); chart default all-unauthenticated.',
              ),
            opaquePorts: unsupported('proxy.opaquePorts: opaque ports are set on a Server (proxyProtocol: opaque)'),
          })
          .optional()
          .describe('proxy: the injected proxies’ settings.'),
        clusterNetworks: z
          .string()
          .superRefine((v, ctx) => {
            const bad = v
              .split(',')
              .map((s) => s.trim())
              .find((s) => !parseCidr(s));
            if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `must be a comma list of CIDRs like 10.0.0.0/8 (got ${describe(bad)})` });
          })
          .optional()
          .describe(
            `The cluster's networks, a comma list of CIDRs (chart default ${DEFAULT_CLUSTER_NETWORKS}): cluster-* default policies, and authorizations without networks, admit clients from them only. Simulated pods are in 10.244.0.0/16.`,
          ),
        identity: unsupported('identity settings: certificates last 24 h (FIDELITY A6)'),
        policyController: unsupported('policyController settings'),
      })
      .default({})
      .describe('The values file, as helm install -f takes it; mesh-sim reads the values listed here.'),
  })
  .describe("The Helm chart values Linkerd was installed with (not a Kubernetes object): the cluster-wide default inbound policy and the cluster's networks.");

export type LinkerdHelmValues = z.output<typeof linkerdHelmValues>;
