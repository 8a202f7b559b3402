/**
 * Pictures too big to show whole at 11 px in the page at 1280×800 (they open readable, framed
 * from their top left, a pan away from the rest): twenty services; ingress-gateway under Linkerd
 * (three control-plane boxes, an outside client and two namespaces of full height: 0.93);
 * ambient-mixed-data-planes (four services alternating over two Kubernetes nodes, and a waypoint
 * column: 0.96).
 */
export const TOO_BIG: ReadonlySet<string> = new Set([
  'sidecar-vs-ambient-footprint:istio',
  'sidecar-vs-ambient-footprint:linkerd',
  'sidecar-vs-ambient-footprint:ambient',
  'ingress-gateway:linkerd',
  'ambient-mixed-data-planes:ambient',
]);
