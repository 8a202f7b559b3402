/**
 * Ambient's compiled config: Istio's (routes, DestinationRules, PeerAuthentication — the same
 * istio: section, FIDELITY-MORE H1) with what ambient does differently: HBONE mTLS toward every
 * ambient destination (H2, H5: DISABLE cannot be expressed), the authorization split between
 * ztunnel and waypoints (H4), the waypoint each service is enrolled to (H6) and the waypoint's
 * default route before 1.30.3 (H6).
 */
import type { Cause } from '../../../sim/index.ts';
import { compareReleases, type LoadedScenario } from '../../../scenario/index.ts';
import type { AuthzRequest, AuthzVerdict, RouteRule, ServiceRoutes } from '../../config.ts';
import type { ExternalHost, Workload } from '../../types.ts';
import type { CompiledMesh, MeshRelease } from '../types.ts';
import type { ProxyView } from '../../proxy/Proxy.ts';
import { defaultCause } from '../../cause.ts';
import { compileIstio } from '../istio/compile.ts';
import { compileWaypoints } from './waypoints.ts';
import { compileWaypointAuthz, compileZtunnelAuthz } from './authorization.ts';
import { hasSidecar } from './dataPlane.ts';

/** Ambient's config: a CompiledMesh, and the waypoint's L7 authorization for a destination. */
export interface AmbientMesh extends CompiledMesh {
  waypointAuthorize(waypoint: string, target: Workload, req: AuthzRequest): AuthzVerdict;
}

// FIDELITY-MORE H2: HBONE is mTLS; every ambient (or sidecar) destination is reached through it.
const HBONE_MTLS = defaultCause('ambient: HBONE (mTLS HTTP/2 CONNECT to port 15008) toward every destination in the mesh', 'FIDELITY-MORE H2: HBONE');
// FIDELITY-MORE H2 step 3: "otherwise it forwards plain TCP".
const PLAIN = defaultCause('ambient: plain TCP toward a destination outside the mesh', 'FIDELITY-MORE H2: outbound.rs build_request');

export function compileAmbient(scenario: LoadedScenario, release: MeshRelease): AmbientMesh {
  const istio = compileIstio(scenario, release);
  const operator = scenario.istio.find((r) => r.kind === 'IstioOperator');
  const rootNamespace = (operator && 'meshConfig' in operator.spec ? operator.spec.meshConfig?.rootNamespace : undefined) ?? 'istio-system';
  const waypointFor = compileWaypoints(scenario);
  const ztunnelAuthz = compileZtunnelAuthz(scenario, rootNamespace);
  const waypointAuthz = compileWaypointAuthz(scenario, rootNamespace);
  // FIDELITY-MORE H6: before 1.30.3 a waypoint with no route for a service used the sidecar
  // *inbound* default route: no timeout, retries on reset-before-request only (1.24+); 1.30.3
  // (istio/istio#60683) gives it the mesh default retry policy like a sidecar's outbound route.
  const inboundDefault = compareReleases(release.version, '1.30') < 0;
  const defaultRoutes = new Map<string, ServiceRoutes | undefined>();

  return {
    ...istio,
    routesFor: (from: ProxyView, host: string, external?: ExternalHost) => {
      const routes = istio.routesFor(from, host, external);
      if (from.kind !== 'waypoint' || !inboundDefault || !routes || !isDefault(routes)) return routes;
      if (!defaultRoutes.has(host)) defaultRoutes.set(host, { ...routes, rules: routes.rules.map((r) => waypointInboundDefault(r, release)) });
      return defaultRoutes.get(host);
    },
    // FIDELITY-MORE H5: DISABLE cannot be expressed (HBONE implies mTLS): such a policy is ignored.
    serverTls: (pod) => {
      const tls = istio.serverTls(pod);
      if (tls.mode !== 'disable') return tls;
      return {
        mode: 'permissive',
        cause: {
          ...tls.cause,
          config: `${tls.cause.config} — ignored in ambient mode`,
          source: 'FIDELITY-MORE H5: PeerAuthentication DISABLE is ignored by ztunnel',
        },
      };
    },
    clientTls: (_client, server) =>
      server.meshed
        ? { mtls: true, expectedIdentities: server.identity ? [server.identity] : [], cause: HBONE_MTLS }
        : { mtls: false, expectedIdentities: [], cause: PLAIN },
    authorize: (workload, req, proxy, atStart) => {
      if (proxy?.kind === 'node') return ztunnelAuthz(workload, req);
      return istio.authorize(workload, req, proxy, atStart);
    },
    waypointAuthorize: waypointAuthz,
    // ztunnel does not retry into the pod; a waypoint forwards (FIDELITY-MORE H7). A sidecar pod's Envoy does, as in sidecar mode (H8, FIDELITY B1).
    inboundRetry: (pod) => (hasSidecar(pod) ? istio.inboundRetry(pod) : null),
    waypointFor,
  };
}

/** The default table Istio makes for a service no VirtualService routes (one rule named default). */
const isDefault = (routes: ServiceRoutes): boolean => routes.rules.length === 1 && routes.rules[0]!.name === 'default' && routes.rules[0]!.cause.isDefault;

function waypointInboundDefault(rule: RouteRule, release: MeshRelease): RouteRule {
  const cause: Cause = defaultCause(
    `${release.label} waypoint default route (no route for the service): the sidecar inbound default — no timeout, 2 retries on reset-before-request`,
    'FIDELITY-MORE H6: istio/istio httproute.go / route.go BuildDefaultHTTPInboundRoute before 1.30.3 (istio/istio#60683)',
  );
  // Before 1.24 the inbound default route had no retry policy at all (FIDELITY B1).
  if (compareReleases(release.version, '1.24') < 0) return { ...rule, cause, retry: null, noRetryCause: cause };
  return {
    ...rule,
    cause,
    retry: {
      ...rule.retry!,
      // [inference] reset-before-request: the request never reached the server — modelled as a failed connection.
      conditions: [{ kind: 'connect-failure' }],
      conditionsText: 'retryOn reset-before-request',
      cause,
    },
  };
}
