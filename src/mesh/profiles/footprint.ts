/**
 * Published resource figures of each mesh's proxies (FIDELITY-MORE H10, J7, L6; FIDELITY F2): what
 * one proxy of a kind was measured to use, under which load, by whom, for which release. The run
 * report multiplies them by the proxies a run has (src/mesh/footprint.ts). They are reported
 * figures, never properties of the mesh (FIDELITY-MORE L6): each says where it comes from, and
 * where mesh-sim had to assume something (a figure measured for another proxy, another load or an
 * unstated unit) it says what.
 */
import type { ProxyKind } from '../../sim/index.ts';

/** One proxy's measured use, as a source published it. */
export interface ProxyFigure {
  vCpu: number;
  memoryMb: number;
  /** The load it was measured under (`1,000 HTTP rps, 1 KB payload`). */
  load: string;
}

/** What a profile says about one kind of its proxies. */
export interface ProxyFootprint {
  /** What the proxy is called (`Envoy sidecar`, `ztunnel`, `linkerd2-proxy`). */
  name: string;
  /** Its measured use; absent when no source gives one (the report counts it and says so). */
  figure?: ProxyFigure;
  /** Who reported it, for which release, and where (a FIDELITY item and the page). */
  source: string;
  /** What mesh-sim assumed to use the figure here, when it is not a measurement of this proxy under this mesh. */
  assumption?: string;
}

/** A profile's figures, per kind of proxy it runs. */
export type MeshFootprint = Partial<Record<ProxyKind, ProxyFootprint>>;

const ISTIO_PERF = 'istio.io docs/ops/deployment/performance-and-scalability';
const ISTIO_124_LOAD = '1,000 HTTP rps, 1 KB payload, 2 worker threads';

// FIDELITY-MORE H10: Istio 1.24's figures (the newest Istio publishes), 1000 rps with 1 KB each.
const ISTIO_124 = {
  sidecar: { vCpu: 0.2, memoryMb: 60, load: ISTIO_124_LOAD },
  waypoint: { vCpu: 0.25, memoryMb: 60, load: ISTIO_124_LOAD },
  ztunnel: { vCpu: 0.06, memoryMb: 12, load: '1,000 HTTP rps, 1 KB payload' },
} as const;

// FIDELITY-MORE H10 [version-dependent]: the page as published for Istio 1.22 — a sidecar about
// 0.5 vCPU per 1000 rps and about 50 MB (large namespace, namespace isolation); no ztunnel or
// waypoint figure.
const ISTIO_122_SIDECAR = { vCpu: 0.5, memoryMb: 50, load: '1,000 rps through the proxy' } as const;

/** Whether Istio release `version` (`1.23`) is older than 1.24, the first release with ztunnel/waypoint figures. */
const before124 = (version: string): boolean => {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < 1 || (major === 1 && minor < 24);
};

/** What Istio publishes about no gateway: counted, with no figure. */
const istioGateway: ProxyFootprint = {
  name: 'Envoy gateway',
  source: 'FIDELITY-MORE H10: Istio publishes no per-gateway figure; counted, not estimated',
};

/** The Envoy sidecar figure Istio published for `version`'s performance page. */
function istioSidecar(version: string): ProxyFootprint {
  return before124(version)
    ? {
        name: 'Envoy sidecar',
        figure: ISTIO_122_SIDECAR,
        source: `FIDELITY-MORE H10: Istio 1.22 performance page (${ISTIO_PERF} as published for 1.22)`,
        ...(version === '1.22' ? {} : { assumption: `the figure Istio published for 1.22, used for Istio ${version}` }),
      }
    : {
        name: 'Envoy sidecar',
        figure: ISTIO_124.sidecar,
        source: `FIDELITY-MORE H10: Istio 1.24 performance page (${ISTIO_PERF})`,
        ...(version === '1.24' ? {} : { assumption: `the newest figure Istio publishes (1.24), used for Istio ${version}` }),
      };
}

/** Istio in sidecar mode at `version` (FIDELITY-MORE H10). */
export function istioFootprint(version: string): MeshFootprint {
  return { sidecar: istioSidecar(version), gateway: istioGateway };
}

/** Istio in ambient mode at `version`: ztunnel per node, waypoints, Istio's gateways (FIDELITY-MORE H10). */
export function ambientFootprint(version: string): MeshFootprint {
  const newest = version === '1.24' ? {} : { assumption: `the newest figure Istio publishes (1.24), used for Istio ${version}` };
  return {
    // FIDELITY-MORE H8: sidecar pods may run beside ambient ones (services[].dataPlane: sidecar).
    sidecar: istioSidecar(version),
    node: { name: 'ztunnel', figure: ISTIO_124.ztunnel, source: `FIDELITY-MORE H10: Istio 1.24 performance page (${ISTIO_PERF})`, ...newest },
    waypoint: { name: 'waypoint', figure: ISTIO_124.waypoint, source: `FIDELITY-MORE H10, H6: Istio 1.24 performance page (${ISTIO_PERF})`, ...newest },
    gateway: istioGateway,
  };
}

/** Linkerd's proxy (FIDELITY F2, FIDELITY-MORE L6). */
export const LINKERD_FOOTPRINT: MeshFootprint = {
  sidecar: {
    name: 'linkerd2-proxy',
    // FIDELITY F2 / FIDELITY-MORE L6: Linkerd 2.11.1, 2000 rps, maximum proxy memory 26.3 MB, maximum proxy CPU "36ms".
    figure: { vCpu: 0.036, memoryMb: 26.3, load: '2,000 rps (emojivoto, Kinvolk harness), the maximum of any proxy' },
    source: 'FIDELITY F2, FIDELITY-MORE L6: Linkerd 2.11.1 vs Istio 1.12.0, vendor benchmark (linkerd.io/2021/11/29/linkerd-vs-istio-benchmarks-2021)',
    assumption:
      'the benchmark reports maximum proxy CPU as "36ms", read here as 36 millicores (0.036 vCPU); measured at 2,000 rps for Linkerd 2.11, used for Linkerd 2.20; Linkerd publishes no figure at 1,000 rps',
  },
};

/** Consul's Envoy sidecars and gateways (FIDELITY-MORE L6: Consul publishes no per-proxy figure). */
export const CONSUL_FOOTPRINT: MeshFootprint = {
  sidecar: {
    name: 'Envoy sidecar',
    figure: ISTIO_124.sidecar,
    source: `FIDELITY-MORE L6 ("Consul … publish no comparable official per-proxy figures"); figure from FIDELITY-MORE H10 (${ISTIO_PERF}, Istio 1.24)`,
    assumption: "Consul's sidecar is Envoy, so Istio 1.24's Envoy sidecar figure is used; Consul's own Envoy config differs",
  },
  gateway: { name: 'Envoy gateway', source: 'FIDELITY-MORE L6: no published per-gateway figure; counted, not estimated' },
};

/** OSM's Envoy sidecars (FIDELITY-MORE J7: OSM's own benchmark, version not stated). */
export const OSM_FOOTPRINT: MeshFootprint = {
  sidecar: {
    name: 'Envoy sidecar',
    // FIDELITY-MORE J7: 5 millicores idle + about 4 per 6.5 rps (≈0.6 vCPU per 1000 rps by arithmetic); 50–65 MB.
    figure: { vCpu: 0.6, memoryMb: 65, load: '1,000 rps (scaled from 4 millicores per 6.5 rps), SMI mode, 150 services' },
    source: 'FIDELITY-MORE J7: osm-docs content/docs/guides/ha_scale/performance.md (OSM version not stated)',
    assumption:
      'vCPU scaled by arithmetic to 1,000 rps from 4 millicores per 6.5 rps; memory the top of the reported 50–65 MB; permissive mode adds at least 500 MB a sidecar at 150 services, not counted',
  },
};
