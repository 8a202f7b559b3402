/**
 * The run report (DESIGN.md "Run report", version 1): what the calling apps saw, per request and
 * in summary, what reached each pod, the handshakes, certificates and ejections. Stable and
 * versioned: consumers (the CLI, the browser's metrics panel, course tooling) read it.
 */
import type { CertificateRecord, EjectionRecord, HandshakeRecord, RequestRecord } from './stats.ts';
import type { World } from './world.ts';
import { buildMetrics, type RunMetrics } from './metrics.ts';
import { isOk, latencySummary, type LatencySummary } from './outcomes.ts';
import type { CheckpointAnswer } from './checkpoints.ts';
import { buildFootprint, type RunFootprint } from './footprint.ts';

export interface RunReport {
  version: 1;
  scenario: string;
  mesh: string;
  /** The mesh release the run modelled (`{ version: '1.30', label: 'Istio 1.30' }`). */
  release: { version: string; label: string };
  seed: number;
  simulatedMs: number;
  requests: RequestRecord[];
  summary: {
    total: number;
    ok: number;
    failed: number;
    byStatus: Record<string, number>;
    latencyMs: LatencySummary;
    retries: number;
  };
  pods: { name: string; service: string; received: number; ok: number; failed: number }[];
  handshakes: HandshakeRecord[];
  certificates: CertificateRecord[];
  ejections: EjectionRecord[];
  metrics: RunMetrics;
  /**
   * The data plane's proxies per kind (count) and their estimated vCPU and memory from the
   * profile's published figures, each with its source (FIDELITY-MORE H10, J7, L6).
   */
  footprint: RunFootprint;
  /** The scenario's checkpoints with their answers, measured in this run. */
  checkpoints: CheckpointAnswer[];
  events: number;
  /** The vWires of a connection mesh's run (Network Service Mesh), in the order they came up. */
  vwires?: VWireRecord[];
}

/** A vWire as the run report lists it: one client joined to one endpoint for one Network Service. */
export interface VWireRecord {
  client: string;
  networkService: string;
  endpoint: string;
  upMs: number;
  /** When it ended, if it did. */
  endMs?: number;
  /** Requests the client re-sent to keep it from expiring. */
  refreshes: number;
  /** Why it ended: `healed` (the liveness check failed, the client asked again) or `expired`. */
  end?: 'healed' | 'expired';
  mechanism: string;
  addresses: { nsc: string; nse: string };
}

export function buildReport(world: World, eventCount: number, simulatedMs: number): RunReport {
  const table = world.stats.requests;
  const byStatus: Record<string, number> = {};
  let ok = 0;
  const latencies = new Array<number>(table.length);
  for (let i = 0; i < table.length; i++) {
    const status = table.status(i);
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
    if (isOk(status)) ok++;
    latencies[i] = table.endMs(i) - table.startMs(i);
  }
  const requests = table.list();
  return {
    version: 1,
    scenario: world.scenario.id,
    mesh: world.profile.id,
    release: { version: world.profile.release.version, label: world.profile.release.label },
    seed: world.seed,
    simulatedMs,
    requests,
    summary: {
      total: requests.length,
      ok,
      failed: requests.length - ok,
      byStatus,
      latencyMs: latencySummary(latencies),
      retries: world.stats.retries,
    },
    pods: [...world.pods.values()].map((p) => ({ name: p.name, service: p.service.name, ...world.stats.pod(p.name) })),
    handshakes: world.stats.handshakes,
    certificates: world.stats.certificates,
    ejections: world.stats.ejections,
    metrics: buildMetrics(world, simulatedMs),
    footprint: buildFootprint(world),
    checkpoints: [],
    events: eventCount,
  };
}
