/**
 * Names the mesh derives from a scenario: pod names, the key of each service, and the service a
 * host names. Plain functions (no schema), for the simulation too.
 *
 * A service is known by its name — or, when the same name runs in several namespaces (Istio's
 * `httpbin.foo`, `httpbin.bar`, `httpbin.legacy`), by `name.namespace`. A name that is used once
 * keeps its plain key, so files without repeats read (and run) exactly as before.
 */

/** The keys of `services`, in order: `name`, or `name.namespace` for a name declared in several namespaces. */
export function serviceKeys(services: readonly { name: string; namespace?: string | undefined }[]): string[] {
  const count = new Map<string, number>();
  for (const s of services) count.set(s.name, (count.get(s.name) ?? 0) + 1);
  return services.map((s) => ((count.get(s.name) ?? 0) > 1 ? `${s.name}.${s.namespace ?? 'default'}` : s.name));
}

/** The Kubernetes name of a service from its key: `httpbin` for `httpbin.foo`. */
export function shortName(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key : key.slice(0, dot);
}

/**
 * Pod names of a service, as the mesh creates them: `<name>-<i>` or `<name>-<version>-<i>`; a
 * service keyed `name.namespace` gets `<name>-<i>.<namespace>` (pods of the same name live in
 * each namespace, as in Kubernetes, and the suffix tells them apart).
 */
export function podNames(key: string, replicas: number, versions: readonly string[] | undefined): string[] {
  const name = shortName(key);
  const suffix = key.length > name.length ? key.slice(name.length) : '';
  if (!versions || versions.length === 0) return Array.from({ length: replicas }, (_, i) => `${name}-${i}${suffix}`);
  return versions.flatMap((v) => Array.from({ length: replicas }, (_, i) => `${name}-${v}-${i}${suffix}`));
}

/**
 * The key of the service a host names: `reviews`, `reviews.default`,
 * `reviews.default.svc.cluster.local`. A short name that several namespaces declare resolves, as
 * Kubernetes DNS does, in `namespace` (the caller's, or the resource's) — and to nothing without it.
 * A short name declared in one namespace only resolves from anywhere.
 */
export function serviceOfHost(host: string, services: readonly { name: string; namespace?: string | undefined }[], namespace?: string): string | undefined {
  const [name, ns, svc] = host.split('.');
  if (svc !== undefined && !host.endsWith('.svc.cluster.local')) return undefined;
  const named = services.filter((x) => shortName(x.name) === name);
  if (named.length === 0) return undefined;
  if (named.length === 1 && !named[0]!.name.includes('.')) {
    const s = named[0]!;
    return ns !== undefined && ns !== (s.namespace ?? 'default') ? undefined : s.name;
  }
  const within = ns ?? namespace;
  return named.find((x) => (x.namespace ?? 'default') === within)?.name;
}
