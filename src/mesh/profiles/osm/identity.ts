/**
 * OSM workload identity: the service account as a DNS-like name, `<sa>.<namespace>.cluster.local`,
 * written into the certificate's CN and SAN — not a SPIFFE URI (FIDELITY-MORE J2;
 * openservicemesh/osm pkg/identity/types.go at v1.2.4).
 */
export function identityOfOsm(serviceAccount: string, namespace: string, trustDomain = 'cluster.local'): string {
  return `${serviceAccount}.${namespace}.${trustDomain}`;
}
