/**
 * The same service name in several namespaces (Istio's `httpbin.foo`, `httpbin.bar`,
 * `httpbin.legacy`): after the schema, such services are known by `name.namespace` (names.ts), and
 * the hosts traffic and calls address by their short name are resolved the way Kubernetes DNS does
 * it — in the sender's namespace. A file where no name repeats comes out unchanged.
 */
import type { Scenario } from './schema.ts';
import { podNames, serviceKeys, serviceOfHost } from './names.ts';

/** `scenario` with repeated service names keyed `name.namespace`, and short hosts resolved in their sender's namespace. */
export function keyServices<S extends Scenario>(scenario: S): S {
  const keys = serviceKeys(scenario.services);
  if (keys.every((k, i) => k === scenario.services[i]!.name)) return scenario;
  const keyed = scenario.services.map((s, i) => ({ name: keys[i]!, namespace: s.namespace }));
  // A keyed service keeps its Kubernetes name for its ServiceAccount (its mTLS identity).
  const services = scenario.services.map((s, i) =>
    keys[i] === s.name
      ? s
      : { ...s, name: keys[i]!, serviceAccount: s.serviceAccount ?? s.name, calls: s.calls.map((c) => ({ ...c, to: resolved(c.to, s.namespace) })) },
  );
  const namespaceOf = new Map<string, string>();
  for (const s of services) {
    namespaceOf.set(s.name, s.namespace);
    for (const p of podNames(s.name, s.replicas, s.versions)) namespaceOf.set(p, s.namespace);
  }
  function resolved(host: string, namespace: string | undefined): string {
    // Only a short name several namespaces declare changes; `httpbin.foo` and FQDNs already say which.
    if (host.includes('.') || !scenario.services.some((s, i) => s.name === host && keys[i] !== host)) return host;
    return serviceOfHost(host, keyed, namespace) ?? host;
  }
  const traffic = scenario.traffic.map((t) => {
    const to = resolved(t.to, namespaceOf.get(t.from));
    return to === t.to ? t : { ...t, to };
  });
  return { ...scenario, services, traffic };
}
