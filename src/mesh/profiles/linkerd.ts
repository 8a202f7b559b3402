/**
 * The Linkerd profile, release 2.20 (src/scenario/meshReleases.ts). Defaults and behaviour, each with its source in src/mesh/profiles/linkerd/FIDELITY.md:
 * identity and its 70% renewal (A6), TLS 1.3 (A6), the proxy's local replies (B4, C3, A7,
 * linkerd.io debugging-502s), injection (F2). Routing, retries and timeouts are compiled in
 * linkerd/compile.ts; destination watches live in linkerd/controlPlane.ts.
 */
import type { Cause } from '../../sim/index.ts';
import type { MeshProfile } from './types.ts';
import { sidecarDataPlane } from '../proxy/sidecarDataPlane.ts';
import { meshRelease } from './release.ts';
import type { SectionKey } from '../../scenario/index.ts';
import { defaultCause } from '../cause.ts';
import { compileLinkerd } from './linkerd/compile.ts';
import { LinkerdControlPlane, LINKERD_DESTINATION, LINKERD_IDENTITY, LINKERD_INJECTOR } from './linkerd/controlPlane.ts';
import { identityOfLinkerd } from './linkerd/identity.ts';
import { linkerdEdgeWorkloads } from './linkerd/edge.ts';
import { LINKERD_FOOTPRINT } from './footprint.ts';

const REFRESH_MIN_MS = 10_000; // linkerd2-proxy DEFAULT_IDENTITY_MIN_REFRESH (linkerd/app/src/env.rs)
const REFRESH_MAX_MS = 24 * 3_600_000; // DEFAULT_IDENTITY_MAX_REFRESH
/** certify.rs refresh_in: 70% of `remainingMs`, never below min_refresh nor above max_refresh. */
const refreshIn = (remainingMs: number): number => Math.min(REFRESH_MAX_MS, Math.max(REFRESH_MIN_MS, Math.floor((remainingMs * 7) / 10)));
const errors = 'linkerd.io/2/tasks/debugging-502s: connection errors become 502';

/** The Linkerd profile as release `version` (the one line mesh-sim models when unset). */
export function linkerdAt(version?: string, cause?: Cause): MeshProfile<SectionKey> {
  const release = meshRelease('linkerd', 'Linkerd', version, cause);
  return { ...base, release, atRelease: (v, c) => linkerdAt(v, c) };
}

const base: Omit<MeshProfile<SectionKey>, 'release' | 'atRelease'> = {
  id: 'linkerd',
  name: 'Linkerd',
  resourcesKey: 'linkerd',
  // FIDELITY F2: a linkerd2-proxy in every injected pod; ingress is a meshed controller, not a gateway of its own (E2).
  dataPlane: sidecarDataPlane,
  footprint: LINKERD_FOOTPRINT,
  controlPlaneNodes: [
    { id: LINKERD_IDENTITY, label: 'identity' },
    { id: LINKERD_DESTINATION, label: 'destination' },
    { id: LINKERD_INJECTOR, label: 'proxy-injector' },
  ],
  identity: {
    caNode: LINKERD_IDENTITY,
    identityOf: (sa, ns) => identityOfLinkerd(sa, ns),
    // FIDELITY A6: certificates expire after 24 hours.
    certTtlMs: 24 * 3_600_000,
    ttlCause: defaultCause('Linkerd workload certificate lifetime 24h', 'FIDELITY A6: automatic-mtls.md'),
    // FIDELITY A6: refresh at 70% of the remaining lifetime, clamped to [min_refresh, max_refresh] (certify.rs refresh_in).
    renewAfterMs: (lifetime) => refreshIn(lifetime),
    renewCause: defaultCause('Linkerd renews at 70% of the remaining lifetime', 'FIDELITY A6: linkerd2-proxy identity-client certify.rs refresh_in()'),
    // certify.rs Certify::run: after a failure the proxy keeps the certificate it holds and sleeps
    // refresh_in(current expiry) — 70% of what remains, or min_refresh (10s) once nothing valid is left.
    retryAfterMs: (_failures, remainingMs) => refreshIn(remainingMs),
    retryCause: defaultCause(
      'Linkerd retries a failed CSR at 70% of the current certificate’s remaining lifetime (10s min_refresh once it has none)',
      'FIDELITY A6: linkerd2-proxy identity-client certify.rs (run, refresh_in); env.rs DEFAULT_IDENTITY_MIN_REFRESH',
    ),
    csrLabel: 'CSR + ServiceAccount token',
    csrDetail: (id) => ({ identity: id.identity, token: `ServiceAccount token (${id.serviceAccount})`, key: 'generated in the pod; never leaves it' }),
    csrCause: defaultCause('the proxy sends its CSR with the ServiceAccount token to identity', 'FIDELITY A6: CSR flow'),
  },
  tls: {
    // FIDELITY A6 [version-dependent]: TLS 1.3, hybrid ML-KEM-768 + X25519, AES_128_GCM.
    version: 'TLSv1.3',
    cipher: 'TLS_AES_128_GCM_SHA256',
    keyExchange: 'X25519MLKEM768',
    // FIDELITY A6 notes Linkerd's ALPN values were not researched: none is shown. (transport.l5d.io/v1
    // is the opaque-transport header protocol, linkerd2-proxy transport-header PROTOCOL, not plain meshed HTTP.)
    alpnClient: [],
    alpnServer: [],
    // linkerd2-proxy tls client: the server name sent is the identity the client expects the server to prove.
    sni: (server) => server.identity ?? server.service.fqdn,
    cause: defaultCause('Linkerd mTLS (TLS 1.3, AES-128-GCM)', 'FIDELITY A6: automatic-mtls.md'),
  },
  replies: {
    // FIDELITY B4: a fired timeout returns 504.
    requestTimeout: { status: 504, reason: 'request timeout', cause: defaultCause('Linkerd request timeout → 504', 'FIDELITY B4') },
    attemptTimeout: { status: 504, reason: 'response timeout', cause: defaultCause('Linkerd timeout → 504', 'FIDELITY B4') },
    connectFailure: { status: 502, reason: 'connection error', cause: defaultCause('Linkerd connection error → 502', errors) },
    reset: { status: 502, reason: 'connection reset', cause: defaultCause('Linkerd connection error → 502', errors) },
    // FIDELITY C3: with no available endpoint, requests fail with 503.
    noHealthy: { status: 503, reason: 'service in fail-fast', cause: defaultCause('Linkerd: no available endpoint → 503', 'FIDELITY C3') },
    // linkerd2-proxy#2109: when no route matches, the logical router fails and the proxy answers 404
    // (the Gateway API requires it); the error reads "no route found for request" (linkerd2#9387).
    noRoute: {
      status: 404,
      reason: 'no route',
      cause: defaultCause('Linkerd: no route matched → 404', 'linkerd2-proxy#2109: no matching route is a 404 (Gateway API HTTPRoute)'),
    },
    // FIDELITY A7: denied HTTP gets 403.
    forbidden: { status: 403, reason: 'forbidden', cause: defaultCause('Linkerd policy denial → 403', 'FIDELITY A7') },
  },
  // Linkerd proxies upgrade HTTP/1 to HTTP/2 between them (linkerd2-proxy linkerd/proxy/http/src/orig_proto.rs
  // Upgrade, header l5d-orig-proto; linkerd2 chart value enableH2Upgrade: true), so one connection
  // multiplexes every request. [inference: no per-connection stream limit binds at mesh-sim's loads]
  streamsPerConnection: Number.POSITIVE_INFINITY,
  // One balancer and pool per destination whatever the runtime's threads (the proxy runs one worker by
  // default, linkerd.io tasks/configuring-proxy-concurrency); Linkerd has no pool limits to share.
  poolWorkers: 1,
  // linkerd2-proxy linkerd/app/src/env.rs DEFAULT_OUTBOUND_CONNECT_TIMEOUT = 1s.
  connectTimeout: { ms: 1000, cause: defaultCause('Linkerd default outbound connect timeout 1s', 'linkerd2-proxy env.rs DEFAULT_OUTBOUND_CONNECT_TIMEOUT') },
  // FIDELITY F2: proxy-injector injects pods annotated linkerd.io/inject: enabled.
  injection: (pod) =>
    pod.meshed
      ? {
          injected: true,
          summary: `proxy-injector added linkerd-init and linkerd-proxy to ${pod.name} (linkerd.io/inject: enabled)`,
          cause: defaultCause('annotation linkerd.io/inject: enabled', 'FIDELITY F2: proxy-injector webhook'),
        }
      : {
          injected: false,
          summary: `${pod.name} not injected (no linkerd.io/inject annotation)`,
          cause: defaultCause(`service ${pod.service.name} meshed: false`, 'FIDELITY F2: proxy-injector webhook'),
        },
  edgeWorkloads: linkerdEdgeWorkloads,
  compile: compileLinkerd,
  createControlPlane: (world) => new LinkerdControlPlane(world),
};

/** Linkerd's current release line. */
export const linkerdProfile: MeshProfile = linkerdAt();
