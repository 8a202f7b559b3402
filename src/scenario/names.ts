/** Names the mesh derives from a scenario: pod names, and the service a host names. Plain functions (no schema), for the simulation too. */

/** Pod names of a service, as the mesh creates them: `<name>-<i>` or `<name>-<version>-<i>`. */
export function podNames(name: string, replicas: number, versions: readonly string[] | undefined): string[] {
  if (!versions || versions.length === 0) return Array.from({ length: replicas }, (_, i) => `${name}-${i}`);
  return versions.flatMap((v) => Array.from({ length: replicas }, (_, i) => `${name}-${v}-${i}`));
}

/** The service a host names: `reviews`, `reviews.default`, `reviews.default.svc.cluster.local`. */
export function serviceOfHost(host: string, services: readonly { name: string; namespace?: string }[]): string | undefined {
  const [name, ns, svc] = host.split('.');
  const s = services.find((x) => x.name === name);
  if (!s) return undefined;
  if (ns !== undefined && ns !== (s.namespace ?? 'default')) return undefined;
  if (svc !== undefined && !host.endsWith('.svc.cluster.local')) return undefined;
  return s.name;
}
