/**
 * Consul subset filters, in the one form mesh-sim evaluates. Plain functions (the simulation
 * selects subsets with them); the schema that accepts the form is in consulTraffic.ts.
 */

/**
 * A subset filter, in the form mesh-sim evaluates: `Service.Meta.version == <value>`.
 * A pod of a versioned service carries its version as service meta, as the pod annotation
 * consul.hashicorp.com/service-meta-version sets it on Kubernetes (FIDELITY-MORE I5).
 */
export const SUBSET_FILTER = /^\s*Service\.Meta\.(version)\s*(==)\s*(?:"([^"]*)"|([^\s"]+))\s*$/;

/**
 * Whether a service instance whose meta is `meta` passes a subset filter (FIDELITY-MORE I5).
 * Only the form {@link SUBSET_FILTER} describes is accepted by the schema.
 */
export function subsetFilterMatches(filter: string, meta: Readonly<Record<string, string>>): boolean {
  const m = SUBSET_FILTER.exec(filter);
  if (!m) return false;
  const [, key, op, quoted, bare] = m;
  const equal = meta[key!] === (quoted ?? bare);
  return op === '==' ? equal : !equal;
}

/** The version a filter selects (`Service.Meta.version == v1` → v1), if it is in the evaluated form. */
export function filterVersion(filter: string): string | undefined {
  const m = SUBSET_FILTER.exec(filter);
  return m ? (m[3] ?? m[4]) : undefined;
}
