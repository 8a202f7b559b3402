/**
 * The Istio profile (sidecar mode), for the release lines 1.23 to 1.30 — the current line, 1.30,
 * by default (src/scenario/meshReleases.ts; what differs between them: istio/release.ts).
 * Defaults and behaviour, each with its source in src/mesh/profiles/istio/FIDELITY.md: identity
 * (A3), TLS (A4), Envoy's local replies and response flags (C1), injection (F1). Routing, retries
 * and timeouts are compiled in istio/compile.ts; istiod's config push lives in istio/controlPlane.ts.
 */
import type { Cause } from '../../sim/index.ts';
import type { MeshProfile } from './types.ts';
import { sidecarDataPlane } from '../proxy/sidecarDataPlane.ts';
import { meshRelease } from './release.ts';
import type { SectionKey } from '../../scenario/index.ts';
import { defaultCause } from '../cause.ts';
import { envoyReplies } from './envoyReplies.ts';
import { compileIstio } from './istio/compile.ts';
import { Istiod, ISTIOD } from './istio/controlPlane.ts';
import { identityOfIstio } from './istio/identity.ts';
import { istioEdgeWorkloads } from './istio/edge.ts';
import { ISTIO_CONNECT_TIMEOUT_MS } from './istio/resilience.ts';
import { istioFootprint } from './footprint.ts';

const flags = 'FIDELITY C1: Envoy access-log response flags';

/** The Istio profile as release `version` (the current line when unset). */
export function istioAt(version?: string, cause?: Cause): MeshProfile<SectionKey> {
  const release = meshRelease('istio', 'Istio', version, cause);
  return {
    ...base,
    release,
    atRelease: (v, c) => istioAt(v, c),
    compile: (scenario) => compileIstio(scenario, release),
    // FIDELITY-MORE H10 [version-dependent]: the figures Istio's performance page gives for the release.
    footprint: istioFootprint(release.version),
  };
}

const base: Omit<MeshProfile<SectionKey>, 'release' | 'atRelease' | 'compile'> = {
  id: 'istio',
  name: 'Istio',
  resourcesKey: 'istio',
  controlPlaneNodes: [{ id: ISTIOD, label: 'istiod' }],
  // Sidecar mode (FIDELITY F1): an Envoy in every injected pod, and the gateways as Envoys alone (E1).
  dataPlane: sidecarDataPlane,
  identity: {
    caNode: ISTIOD,
    identityOf: (sa, ns) => identityOfIstio(sa, ns),
    // FIDELITY A3: pilot-agent SECRET_TTL = 24h.
    certTtlMs: 24 * 3_600_000,
    ttlCause: defaultCause('Istio default workload certificate lifetime 24h (SECRET_TTL)', 'FIDELITY A3: pilot-agent options SECRET_TTL'),
    // FIDELITY A3: SECRET_GRACE_PERIOD_RATIO = 0.5 → renew at half the lifetime (12h of 24h).
    renewAfterMs: (lifetime) => Math.round(lifetime * 0.5),
    renewCause: defaultCause('Istio renews at 50% of the certificate lifetime (SECRET_GRACE_PERIOD_RATIO 0.5)', 'FIDELITY A3: pilot-agent options'),
    // [inference] the agent retries a failed CSR with backoff; the schedule is not documented, so
    // mesh-sim doubles from 1s to at most 60s.
    retryAfterMs: (n) => Math.min(60_000, 1000 * 2 ** (n - 1)),
    retryCause: defaultCause('istio-agent retries the CSR with backoff', 'FIDELITY A3 [inference]: retry schedule not documented; 1s doubling to 60s'),
    csrLabel: 'CSR (agent → istiod)',
    csrDetail: (id) => ({ subject: id.identity, key: 'RSA 2048 (WORKLOAD_RSA_KEY_SIZE)', credential: 'Kubernetes ServiceAccount JWT' }),
    csrCause: defaultCause('istio-agent sends the CSR with its credentials to istiod’s CA', 'FIDELITY A3: istio.io concepts/security#pki'),
    delivery: {
      label: 'istio-agent hands the certificate and key to Envoy over SDS',
      cause: defaultCause('Envoy gets its certificate from the agent over SDS', 'FIDELITY A3: steps 4–5 of the PKI flow'),
    },
  },
  tls: {
    // FIDELITY A4: sidecars accept TLS 1.2–1.3; mesh-sim shows 1.3 (the "typical but configurable" case).
    version: 'TLSv1.3',
    // The A4 cipher list is for TLS 1.2; TLS 1.3 suites are not configurable in Envoy (TlsParameters
    // cipher_suites "has no effect when negotiating TLS 1.3"), so BoringSSL picks: its client offers
    // AES_128_GCM first on CPUs with AES instructions (ssl/handshake_client.cc kCiphersAESHardware) and
    // its server takes the client's first AES-GCM suite (ssl_choose_tls13_cipher). [inference: both
    // proxies run on AES-capable CPUs]
    cipher: 'TLS_AES_128_GCM_SHA256',
    // Envoy TlsParameters ecdh_curves default X25519, P-256 (envoyproxy/envoy common.proto): X25519 is
    // offered first and both sides have it. Envoy sets the list itself, so BoringSSL's post-quantum
    // default is not used.
    keyExchange: 'X25519',
    alpnClient: ['istio-peer-exchange', 'istio'], // FIDELITY A4: ALPNInMeshWithMxc (HTTP/1 clusters)
    alpnServer: ['istio-peer-exchange', 'h2', 'http/1.1'], // FIDELITY A4: inbound mTLS filter chain
    // istio/istio cluster builder: "Set default SNI of cluster name for istio_mutual" — the DNS-safe
    // form of the outbound cluster, outbound_.<port>_.<subset>_.<host>. mesh-sim models no ports, and
    // its connections belong to a pod, not a subset cluster, so the subset shows as _ (no subset).
    sni: (server) => `outbound_.<port>_._.${server.service.fqdn}`,
    cause: defaultCause('Istio sidecar mTLS (TLS 1.2–1.3, ALPN istio-peer-exchange)', 'FIDELITY A4'),
  },
  replies: envoyReplies(
    // FIDELITY B2 (504 UT), C1 (flags); FIDELITY A5: Envoy RBAC denial → 403 "RBAC: access denied".
    flags,
    { status: 403, reason: 'DENY RBAC: access denied', cause: defaultCause('Envoy RBAC → 403', 'FIDELITY A5') },
  ),
  // Istio keeps the app's protocol between sidecars (DestinationRule h2UpgradePolicy defaults to
  // DO_NOT_UPGRADE), so HTTP/1.1 requests take one connection each at a time.
  streamsPerConnection: 1,
  // FIDELITY C1: a sidecar runs 2 Envoy worker threads (ProxyConfig concurrency, "Default is 2 worker
  // threads"); each keeps its own connection pools, while the circuit-breaker counts are the
  // cluster's (Envoy connection_pooling: pools are per worker thread).
  poolWorkers: 2,
  // FIDELITY C1/B2: DestinationRule tcp.connectTimeout defaults to 10s.
  connectTimeout: {
    ms: ISTIO_CONNECT_TIMEOUT_MS,
    cause: defaultCause('Istio default connect timeout 10s (connectionPool.tcp.connectTimeout)', 'FIDELITY C1: destination_rule.proto'),
  },
  // FIDELITY F1: the sidecar-injector webhook injects pods in namespaces labelled istio-injection=enabled.
  injection: (pod) =>
    pod.role === 'gateway'
      ? {
          injected: false,
          summary: `${pod.name} is a standalone Envoy installed with Istio (FIDELITY E1), not an injected sidecar`,
          cause: defaultCause(`${pod.service.name} deployment in istio-system`, 'FIDELITY E1: gateways are deployed by the installation profile'),
        }
      : pod.meshed
        ? {
            injected: true,
            summary: `sidecar-injector webhook added istio-init and istio-proxy to ${pod.name} (namespace ${pod.namespace} labelled istio-injection=enabled)`,
            cause: defaultCause(`namespace ${pod.namespace} label istio-injection=enabled`, 'FIDELITY F1: injection webhook'),
          }
        : {
            injected: false,
            summary: `${pod.name} not injected (annotation sidecar.istio.io/inject: "false")`,
            cause: defaultCause(`service ${pod.service.name} meshed: false`, 'FIDELITY F1: injection webhook'),
          },
  edgeWorkloads: istioEdgeWorkloads,
  createControlPlane: (world) => new Istiod(world),
};

/** Istio's current release line. */
export const istioProfile: MeshProfile = istioAt();
