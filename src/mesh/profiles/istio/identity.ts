/** Istio workload identity: a SPIFFE URI (FIDELITY A3, istio/istio pkg/spiffe/spiffe.go). */
export function identityOfIstio(serviceAccount: string, namespace: string, trustDomain = 'cluster.local'): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}
