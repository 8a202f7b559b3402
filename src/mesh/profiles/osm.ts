/**
 * The Open Service Mesh profile, release v1.2.4 — OSM's last (April 2023); the project was
 * archived by the CNCF in July 2023 (FIDELITY-MORE J1). Envoy sidecars configured by one
 * osm-controller (J2): its Tresor CA generates each workload's key and 24 h certificate and pushes
 * both over SDS, rotating only 30 s (+0–4 s) before expiry. Traffic policy (SMI), retries, circuit
 * breaking and egress are compiled in osm/compile.ts (J3–J6); facts and sources in
 * src/mesh/profiles/osm/FIDELITY.md.
 */
import type { Cause } from '../../sim/index.ts';
import type { MeshProfile } from './types.ts';
import { sidecarDataPlane } from '../proxy/sidecarDataPlane.ts';
import { meshRelease } from './release.ts';
import type { SectionKey } from '../../scenario/index.ts';
import { defaultCause } from '../cause.ts';
import { envoyReplies } from './envoyReplies.ts';
import { compileOsm, OSM_CONNECT_TIMEOUT_MS } from './osm/compile.ts';
import { createOsmController, OSM_CONTROLLER } from './osm/controller.ts';
import { identityOfOsm } from './osm/identity.ts';
import { OSM_FOOTPRINT } from './footprint.ts';

const flags = 'FIDELITY C1: Envoy access-log response flags (OSM runs Envoy v1.22, FIDELITY-MORE J2)';
/** FIDELITY-MORE J2: pkg/certificate/certificate.go RenewBeforeCertExpires = 30s, noiseSeconds = 5 (v1.2.4). */
const RENEW_BEFORE_MS = 30_000;
/** FIDELITY-MORE J2: the controller checks every certificate every 5 s (docs/certificate_management.md). */
const CHECK_EVERY_MS = 5000;

/**
 * FIDELITY-MORE J2: when the controller rotates a certificate valid `lifetimeMs`. It looks every
 * 5 s (the checks' phase against issuance drawn once) and rotates at the first check where what
 * is left is at most 30 s plus rand.Intn(5) whole seconds, drawn anew at each check
 * (pkg/certificate/manager.go shouldRotate).
 */
export function osmRotationAfterMs(lifetimeMs: number, next: () => number): number {
  const phase = Math.floor(next() * CHECK_EVERY_MS);
  let t = phase + Math.max(0, Math.floor((lifetimeMs - RENEW_BEFORE_MS - 5000 - phase) / CHECK_EVERY_MS)) * CHECK_EVERY_MS;
  for (;;) {
    const noise = Math.floor(next() * 5) * 1000;
    if (lifetimeMs - t <= RENEW_BEFORE_MS + noise) return t;
    t += CHECK_EVERY_MS;
  }
}

/** The OSM profile (one release line, 1.2 = v1.2.4). */
export function osmAt(version?: string, cause?: Cause): MeshProfile<SectionKey> {
  // FIDELITY-MORE J1: the line 1.2 is modelled at v1.2.4, and every label says the project is archived.
  const line = meshRelease('osm', 'OSM', version, cause);
  const release = { ...line, label: `OSM ${line.version === '1.2' ? '1.2.4' : line.version} (archived)` };
  return { ...base, release, atRelease: (v, c) => osmAt(v, c), compile: (scenario) => compileOsm(scenario, release) };
}

const base: Omit<MeshProfile<SectionKey>, 'release' | 'atRelease' | 'compile'> = {
  id: 'osm',
  name: 'OSM (archived)', // FIDELITY-MORE J1: the catalog's name, archived in the switch
  resourcesKey: 'osm',
  controlPlaneNodes: [{ id: OSM_CONTROLLER, label: 'osm-controller' }],
  // FIDELITY-MORE J2: an Envoy sidecar in every injected pod.
  dataPlane: sidecarDataPlane,
  footprint: OSM_FOOTPRINT,
  identity: {
    caNode: OSM_CONTROLLER,
    identityOf: (sa, ns) => identityOfOsm(sa, ns),
    // FIDELITY-MORE J2: serviceCertValidityDuration 24h (charts/osm/values.yaml v1.2.4).
    certTtlMs: 24 * 3_600_000,
    ttlCause: defaultCause(
      'OSM service certificate validity 24h (certificateProvider serviceCertValidityDuration)',
      'FIDELITY-MORE J2: charts/osm/values.yaml',
    ),
    renewAfterMs: osmRotationAfterMs,
    renewCause: defaultCause(
      'OSM rotates a certificate only when at most 30s (+0–4s noise) of it is left, checked every 5s',
      'FIDELITY-MORE J2: pkg/certificate/certificate.go RenewBeforeCertExpires, manager.go shouldRotate',
    ),
    // FIDELITY-MORE J2 [inference]: a controller that is up but cut off from the proxy tries again at its next 5 s check.
    retryAfterMs: () => CHECK_EVERY_MS,
    retryCause: defaultCause('osm-controller tries again at its next 5s certificate check', 'FIDELITY-MORE J2 [inference]: the 5s rotation loop'),
    // FIDELITY-MORE J2: the 5 s rotation ticker and the certificate cache live in osm-controller's process
    // (pkg/certificate/manager.go), so a stopped controller rotates and retries nothing; a restarted one has an
    // empty cache and issues a fresh certificate when the reconnecting proxy asks over SDS.
    waitsForCa: defaultCause(
      'osm-controller is stopped: its rotation loop does not run; the proxy asks again over SDS when it is back',
      'FIDELITY-MORE J2: pkg/certificate/manager.go (rotation ticker and in-memory cache inside osm-controller, v1.2.4)',
    ),
    csrLabel: 'SDS: certificate for this identity (no CSR)',
    csrDetail: (id) => ({
      identity: id.identity,
      key: 'none sent: osm-controller generates the RSA 2048 key and returns it with the certificate',
      credential: 'the proxy’s bootstrap certificate on the ADS stream',
    }),
    csrCause: defaultCause(
      'Envoy asks osm-controller for its secrets over SDS; the controller makes key and certificate (Tresor CA)',
      'FIDELITY-MORE J2: pkg/certificate/providers/tresor IssueCertificate (rsa.GenerateKey)',
    ),
  },
  tls: {
    // MeshConfig sidecar.tlsMinProtocolVersion TLSv1_2 / tlsMaxProtocolVersion TLSv1_3 (config_meshconfig.yaml v1.2.4): 1.3 is negotiated.
    version: 'TLSv1.3',
    // As for Istio's Envoy: TLS 1.3 suites are BoringSSL's choice (AES-128-GCM on AES-capable CPUs) [inference].
    cipher: 'TLS_AES_128_GCM_SHA256',
    keyExchange: 'X25519',
    alpnClient: ['osm'], // pkg/envoy/xdsutil.go ALPNInMesh (v1.2.4)
    alpnServer: [],
    sni: (server) => server.service.fqdn, // pkg/service/service.go ServerName() = the service FQDN
    cause: defaultCause('OSM sidecar mTLS (TLS 1.2–1.3, ALPN osm, SNI the service FQDN)', 'FIDELITY-MORE J2: openservicemesh/osm pkg/envoy (v1.2.4)'),
  },
  replies: envoyReplies(
    // FIDELITY-MORE J5: no route timeout, so only a Retry's perTryTimeout can fire; J3: inbound RBAC in SMI mode → 403.
    flags,
    { status: 403, reason: 'RBAC: access denied', cause: defaultCause('Envoy RBAC (SMI mode) → 403', 'FIDELITY-MORE J3') },
  ),
  // pkg/envoy/cds/cluster.go: UseDownstreamProtocolConfig — HTTP/1.1 in, HTTP/1.1 between sidecars.
  streamsPerConnection: 1,
  // [inference] OSM's injector passes no --concurrency, so Envoy runs one worker per hardware thread;
  // mesh-sim assumes a 2-core node, as Istio's default of 2.
  poolWorkers: 2,
  // FIDELITY-MORE J5 [inference]: no connect timeout unless an UpstreamTrafficSetting sets one, so Envoy's 5s.
  connectTimeout: {
    ms: OSM_CONNECT_TIMEOUT_MS,
    cause: defaultCause('Envoy default connect timeout 5s (OSM sets none)', 'FIDELITY-MORE J5: pkg/envoy/cds/cluster.go'),
  },
  // FIDELITY-MORE J2: osm-controller's webhook injects pods of namespaces added to the mesh (osm namespace add).
  injection: (pod) =>
    pod.meshed
      ? {
          injected: true,
          summary: `osm-injector added osm-init and envoy to ${pod.name} (namespace ${pod.namespace} monitored by the mesh, sidecar-injection enabled)`,
          cause: defaultCause(
            `namespace ${pod.namespace} label openservicemesh.io/monitored-by`,
            'FIDELITY-MORE J2: pkg/constants OSMKubeResourceMonitorAnnotation, SidecarInjectionAnnotation',
          ),
        }
      : {
          injected: false,
          summary: `${pod.name} not injected (openservicemesh.io/sidecar-injection: disabled)`,
          cause: defaultCause(`service ${pod.service.name} meshed: false`, 'FIDELITY-MORE J2: sidecar injection'),
        },
  // FIDELITY-MORE J6: ingress through an IngressBackend is not simulated yet; no edge workloads.
  edgeWorkloads: () => [],
  createControlPlane: (world) => createOsmController(world),
};

/** OSM's only (and last) release line. */
export const osmProfile: MeshProfile = osmAt();
