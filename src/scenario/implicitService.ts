/**
 * The service spec of a workload a scenario does not declare as a service: a gateway, an outside
 * client. It is `serviceSchema`'s output for those few fields, written out so that a run needs no
 * schema (the simulation then loads without zod); test/scenario/implicitService.test.ts checks
 * that both agree.
 */
import type { ServiceSpec } from './schema.ts';

/** What the simulation says about such a workload. */
export interface ImplicitServiceFields {
  name: string;
  namespace: string;
  serviceAccount?: string | undefined;
  meshed?: boolean;
  latencyMs: number;
}

/** `serviceSchema.parse({ name, namespace, serviceAccount, meshed, latency: '<latencyMs>ms' })`, without zod. */
export function implicitService(f: ImplicitServiceFields): ServiceSpec {
  return {
    name: f.name,
    namespace: f.namespace,
    // As zod does: a key given as undefined stays, a key not given stays out.
    ...('serviceAccount' in f ? { serviceAccount: f.serviceAccount } : {}),
    port: 80,
    meshed: f.meshed ?? true,
    replicas: 1,
    latency: f.latencyMs,
    calls: [],
  };
}
