/**
 * Native Network Service Mesh objects a scenario may carry under `nsm:` (FIDELITY-MORE K2): the
 * client and endpoint Deployments of networkservicemesh/deployments-k8s (apps/nsc-kernel, the
 * cmd-nse-icmp-responder endpoint), reduced to the environment variables that say who asks for
 * which Network Service and who provides it. NSM has no HTTP routes, retries or timeouts
 * (FIDELITY-MORE K1), so there is nothing else to configure; any other variable is refused by name.
 */
import { z } from '../zodSetup.ts';
import { apiVersion, kindField, kindUnion, metadata } from './common.ts';

/** The variables mesh-sim reads, with what each means (cmd-nsc and cmd-nse-icmp-responder READMEs). */
export const NSM_ENV = {
  NSM_NETWORK_SERVICES: 'Client (cmd-nsc): the Network Services to request, as URLs kernel://<network-service>/<interface> (deployments-k8s apps/nsc-kernel).',
  NSM_MAX_TOKEN_LIFETIME:
    'Client (cmd-nsc): the lifetime of the tokens it signs, which sets when its connection path expires (FIDELITY-MORE K4: 10m by default). A duration such as 30s.',
  NSM_SERVICE_NAMES: 'Endpoint: the Network Services it registers and provides, comma-separated.',
  NSM_CIDR_PREFIX: 'Endpoint: the /31 (or larger) it hands out, its own address first (172.16.1.100/31: NSE .100, NSC .101).',
} as const;

const envVar = z
  .strictObject({
    name: z
      .string()
      .superRefine((v, ctx) => {
        if (!Object.hasOwn(NSM_ENV, v))
          ctx.addIssue({ code: 'custom', message: `is ${JSON.stringify(v)}, a variable mesh-sim does not read (it reads ${Object.keys(NSM_ENV).join(', ')})` });
      })
      .describe(`The variable's name: ${Object.keys(NSM_ENV).join(', ')}.`),
    value: z.string().describe('Its value, as a string.'),
  })
  .describe(
    `An environment variable: ${Object.entries(NSM_ENV)
      .map(([k, v]) => `${k} — ${v}`)
      .join(' ')}`,
  );

/** A Deployment (apps/v1) whose container runs an NSM client or endpoint: only its env is read. */
export const nsmDeployment = z
  .strictObject({
    apiVersion,
    kind: kindField('Deployment'),
    metadata: metadata.describe('Its name is the scenario service whose pods it runs.'),
    spec: z
      .strictObject({
        template: z
          .strictObject({
            spec: z
              .strictObject({
                containers: z
                  .array(
                    z
                      .strictObject({
                        name: z.string().min(1).describe('The container (nsc, nse).'),
                        image: z.string().optional().describe('Its image (ghcr.io/networkservicemesh/cmd-nsc:v1.15.0); shown, not simulated.'),
                        env: z.array(envVar).optional().describe('Its NSM environment variables.'),
                      })
                      .describe('A container.'),
                  )
                  .min(1)
                  .describe('The containers; their NSM variables say what the pods do.'),
              })
              .describe('The pod spec.'),
          })
          .describe('The pod template.'),
      })
      .describe('The Deployment spec: the pod template only.'),
  })
  .describe('A Deployment running an NSM client (NSM_NETWORK_SERVICES) or endpoint (NSM_SERVICE_NAMES) for the scenario service it names.');

export type NsmDeployment = z.output<typeof nsmDeployment>;
export type NsmResource = NsmDeployment;

/** One entry of the `nsm:` section, chosen by kind. */
export const nsmResource = kindUnion('NSM', {
  Deployment: { apiVersions: ['apps/v1'], schema: nsmDeployment },
}) as unknown as z.ZodType<NsmResource, unknown>;
