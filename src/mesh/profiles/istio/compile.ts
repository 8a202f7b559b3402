/**
 * Compiles Istio resources into the mesh-neutral proxy config: PeerAuthentication precedence,
 * DestinationRule TLS and subsets, auto mTLS, VirtualService routes with their retries, timeouts
 * and fault injection, and Istio's defaults where nothing is configured. Each rule cites its
 * source (FIDELITY section, istio/api or istio/istio file).
 */
import type { Cause } from '../../../sim/index.ts';
import { serviceOfHost, type LoadedScenario, type DestinationRule, type IstioResource, type PeerAuthentication } from '../../../scenario/index.ts';
import type { ServerTls, ServiceRoutes } from '../../config.ts';
import type { ClientTlsChoice, CompiledMesh, MeshRelease } from '../types.ts';
import type { InboundRetryPolicy } from '../../config.ts';
import { istioBehaviour, type IstioBehaviour } from './release.ts';
import type { ExternalHost, Workload } from '../../types.ts';
import type { ProxyView } from '../../proxy/Proxy.ts';
import { defaultCause } from '../../cause.ts';
import { authoredResources, nsOf, ofKind, podLabels, resourceCause, selects, type SourcedResource } from '../resources.ts';
import { generateIstio } from './generate.ts';
import { identityOfIstio } from './identity.ts';
import { compileIstioAuthz } from './authorization.ts';
import { compileIstioResilience } from './resilience.ts';
import { effectivePolicy } from './trafficPolicy.ts';
import { IstioRoutes } from './routes.ts';
import { compileIstioEgress, gatewayNamesOf, istioEdgeWorkloads, listenerPortsOf } from './edge.ts';

/** Compiles `scenario` for the Istio release `release` (FIDELITY B1: defaults that changed between releases). */
export function compileIstio(scenario: LoadedScenario, release: MeshRelease): CompiledMesh {
  const authored = authoredResources(scenario, 'istio');
  const generated = generateIstio(scenario);
  // Authored resources come first: "oldest wins" among duplicates (FIDELITY A1), and the file is older than the knobs.
  const all = [...authored, ...generated];
  const of = <K extends IstioResource['kind']>(kind: K) => ofKind(all, kind);

  const operator = of('IstioOperator')[0];
  const meshConfig = operator?.resource.spec.meshConfig ?? {};
  // FIDELITY B1: an IstioOperator compatibilityVersion asks the release for an older line's defaults.
  const compatOperator = of('IstioOperator').find((r) => r.resource.spec.compatibilityVersion !== undefined);
  const behaviour = istioBehaviour(
    release,
    compatOperator && {
      version: compatOperator.resource.spec.compatibilityVersion!,
      cause: resourceCause(
        scenario,
        compatOperator,
        `.spec.compatibilityVersion "${compatOperator.resource.spec.compatibilityVersion!}"`,
        '.spec.compatibilityVersion',
        'FIDELITY B1: Istio compatibility versions (setup/additional-setup/compatibility-versions)',
      ),
    },
  );
  // FIDELITY A1: the root namespace defaults to istio-system.
  const rootNamespace = meshConfig.rootNamespace ?? 'istio-system';
  // FIDELITY A2: auto mTLS on by default since Istio 1.5 (meshConfig.enableAutoMtls).
  const autoMtls = meshConfig.enableAutoMtls ?? true;
  const autoMtlsCause: Cause =
    meshConfig.enableAutoMtls === undefined
      ? defaultCause('Istio default: auto mTLS (meshConfig.enableAutoMtls: true)', 'FIDELITY A2: auto mTLS on by default since 1.5')
      : resourceCause(scenario, operator!, '.spec.meshConfig.enableAutoMtls', '.spec.meshConfig.enableAutoMtls', 'FIDELITY A2');

  // In-cluster hosts: the scenario's services and the gateways' own Services.
  const services = new Set([...scenario.services.map((s) => s.name), ...istioEdgeWorkloads(scenario).map((e) => e.service)]);
  // A name several namespaces declare is keyed name.namespace; a short host resolves in the resource's namespace (names.ts).
  const keyed = scenario.services.filter((s) => s.name.includes('.'));
  const hostService = (host: string, namespace?: string): string | undefined => {
    const name = host.split('.')[0]!;
    if (keyed.length > 0 && !services.has(name)) return serviceOfHost(host, keyed, namespace);
    return services.has(name) && (host === name || host.includes('.svc') || host.split('.').length === 2) ? name : undefined;
  };

  // --- PeerAuthentication: workload > namespace > mesh; oldest wins; UNSET inherits (FIDELITY A1).
  const peerAuths = of('PeerAuthentication');
  const paNamespace = (r: SourcedResource<PeerAuthentication>): string => nsOf(r.resource);
  const meshPa = peerAuths.find((r) => paNamespace(r) === rootNamespace && !r.resource.spec.selector);
  const serverTlsCache = new Map<string, ServerTls>();
  const serverTls = (pod: Workload): ServerTls => {
    let hit = serverTlsCache.get(pod.name);
    if (hit) return hit;
    const labels = podLabels(pod.service.spec, pod.version);
    const workload = peerAuths.find(
      (r) => paNamespace(r) === pod.namespace && r.resource.spec.selector && selects(r.resource.spec.selector.matchLabels, labels),
    );
    const namespace = peerAuths.find((r) => paNamespace(r) === pod.namespace && !r.resource.spec.selector && paNamespace(r) !== rootNamespace);
    for (const [r, scope] of [
      [workload, 'workload'],
      [namespace, 'namespace'],
      [meshPa, 'mesh'],
    ] as const) {
      const mode = r?.resource.spec.mtls?.mode;
      if (r && mode && mode !== 'UNSET') {
        hit = {
          mode: mode === 'STRICT' ? 'strict' : mode === 'DISABLE' ? 'disable' : 'permissive',
          cause: resourceCause(
            scenario,
            r,
            `.spec.mtls.mode ${mode} (${scope}-wide)`,
            '.spec.mtls.mode',
            'FIDELITY A1: PeerAuthentication precedence workload > namespace > mesh',
          ),
        };
        break;
      }
    }
    // FIDELITY A1: the workload policy's portLevelMtls for the pod's port wins; UNSET there keeps
    // the mode resolved above (istio pilot/pkg/security/authn/policy_applier.go, PerPort).
    const port = String(pod.service.spec.port);
    const portMode = workload?.resource.spec.portLevelMtls?.[port]?.mode;
    if (workload && portMode && portMode !== 'UNSET')
      hit = {
        mode: portMode === 'STRICT' ? 'strict' : portMode === 'DISABLE' ? 'disable' : 'permissive',
        cause: resourceCause(
          scenario,
          workload,
          `.spec.portLevelMtls[${port}].mode ${portMode} (port ${port})`,
          `.spec.portLevelMtls.${port}.mode`,
          'FIDELITY A1: portLevelMtls overrides the workload policy on its port',
        ),
      };
    hit ??= {
      mode: 'permissive',
      cause: defaultCause('Istio default: PERMISSIVE (no PeerAuthentication sets a mode)', 'FIDELITY A1: unset mesh-wide mode behaves as PERMISSIVE'),
    };
    serverTlsCache.set(pod.name, hit);
    return hit;
  };

  // --- DestinationRules by service.
  const drs = new Map<string, SourcedResource<DestinationRule>>();
  for (const r of of('DestinationRule')) {
    const svc = hostService(r.resource.spec.host, nsOf(r.resource));
    if (svc && !drs.has(svc)) drs.set(svc, r);
  }
  const resilience = compileIstioResilience(scenario, drs, behaviour);
  // DestinationRules for outside hosts: their TLS origination (edge.ts).
  const externalDrs = new Map<string, SourcedResource<DestinationRule>>();
  for (const r of of('DestinationRule'))
    if (scenario.external.some((e) => e.host === r.resource.spec.host) && !externalDrs.has(r.resource.spec.host)) externalDrs.set(r.resource.spec.host, r);
  const subsetVersion = (service: string, subset: string): string | undefined =>
    drs.get(service)?.resource.spec.subsets?.find((s) => s.name === subset)?.labels?.version;

  // --- Secure naming: the identities allowed to serve a service are its pods' service accounts (FIDELITY A3).
  // Worked out once per service (read, never changed): per server pod it was quadratic in replicas.
  const identitiesOf = new Map<Workload['service'], string[]>();
  const serviceIdentities = (server: Workload): string[] => {
    let ids = identitiesOf.get(server.service);
    if (!ids) identitiesOf.set(server.service, (ids = [...new Set(server.service.pods.map((p) => identityOfIstio(p.serviceAccount, p.namespace)))]));
    return ids;
  };

  // --- VirtualServices → routes, for the sidecars ('mesh') or for a gateway (by the Gateway resources that select it).
  const gateways = of('Gateway');
  const routeTables = new IstioRoutes(scenario, of('VirtualService'), hostService, subsetVersion, behaviour, (context, host) =>
    listenerPortsOf(gateways, context, host),
  );
  const routesFor = (from: ProxyView, host: string, external?: ExternalHost): ServiceRoutes | undefined => {
    // A VirtualService's http routes apply to HTTP ports only; TLS the app originates (an https
    // host) is routed by SNI with its tls routes, which mesh-sim does not model (istio.io
    // reference/config/networking/virtual-service: http vs tls), so it leaves as it is (FIDELITY E1).
    if (external?.protocol === 'https') return undefined;
    if (from.kind !== 'gateway') return routeTables.routesFor(host, 'mesh');
    for (const name of gatewayNamesOf(gateways, from)) {
      const table = routeTables.routesFor(host, name);
      if (table) return table;
    }
    return undefined;
  };

  const clientTlsCache = new Map<Workload, ClientTlsChoice>();
  const clientTlsFor = (server: Workload): ClientTlsChoice => {
    const dr = drs.get(server.service.name);
    const subset = server.version ? dr?.resource.spec.subsets?.find((s) => s.labels?.version === server.version) : undefined;
    // The subset's and the server port's settings, merged as istiod does (trafficPolicy.ts).
    const tls = dr && effectivePolicy(dr.resource, subset?.name, server.service.spec.port).tls;
    const expected = tls?.value.subjectAltNames ?? serviceIdentities(server);
    const tlsMode = tls?.value.mode;
    if (dr && tls && tlsMode) {
      const field = tls.path.startsWith('.spec.subsets')
        ? `.spec.subsets.${subset!.name}${tls.path.replace(/^\.spec\.subsets\[\d+\]/, '')}.mode ${tlsMode}`
        : `${tls.path}.mode ${tlsMode}`;
      // FIDELITY A2: an explicit DestinationRule TLS mode overrides auto mTLS.
      return {
        mtls: tlsMode === 'ISTIO_MUTUAL',
        expectedIdentities: expected,
        cause: resourceCause(scenario, dr, field, `${tls.path}.mode`, 'FIDELITY A2: DestinationRule ClientTLSSettings'),
      };
    }
    if (!autoMtls) return { mtls: false, expectedIdentities: expected, cause: autoMtlsCause };
    // Auto mTLS: mTLS to pods with a sidecar whose PeerAuthentication does not DISABLE it [inference from FIDELITY A2].
    const mtls = server.meshed && serverTls(server).mode !== 'disable';
    return { mtls, expectedIdentities: expected, cause: autoMtlsCause };
  };

  return {
    routesFor,
    egress: compileIstioEgress(scenario, operator, of('ServiceEntry'), externalDrs),
    serverTls,
    // The choice depends on the server pod and the config only: worked out once per pod.
    clientTls: (_client, server) => {
      let hit = clientTlsCache.get(server);
      if (!hit) clientTlsCache.set(server, (hit = clientTlsFor(server)));
      return hit;
    },
    // Load balancer, pool limits and outlier detection come from DestinationRules (istio/resilience.ts).
    balancer: resilience.balancer,
    pool: resilience.pool,
    health: resilience.health,
    authorize: compileIstioAuthz(scenario, rootNamespace),
    inboundRetry: (pod) => (pod.meshed && pod.role !== 'gateway' ? inboundRetry(behaviour) : null),
    resources: { generated: generated.map((g) => g.resource), authored: scenario.istio },
  };
}

/**
 * FIDELITY B1 (Istio 1.24+): the sidecar's default inbound route retries `reset-before-request`
 * twice (istio/istio route.go BuildDefaultHTTPInboundRoute; not for gRPC, which mesh-sim does not
 * model), with Envoy's default backoff (25 ms base, 250 ms cap). Before 1.24 there is none.
 */
function inboundRetry(b: IstioBehaviour): InboundRetryPolicy | null {
  if (!b.inboundResetRetries) return null;
  const what = `${b.label} inbound default route: 2 retries on reset-before-request`;
  return {
    maxRetries: 2,
    backoff: { kind: 'jittered-exponential', baseMs: 25, maxMs: 250 },
    cause: b.cause.isDefault
      ? defaultCause(what, 'FIDELITY B1: istio/istio route.go BuildDefaultHTTPInboundRoute (ENABLE_INBOUND_RETRY_POLICY, 1.24+)')
      : { ...b.cause, config: `${what} (${b.cause.config})` },
  };
}
