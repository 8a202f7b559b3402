/**
 * The engine's state machines as charts (src/sim/charts.ts): plain data the engine runs and the
 * inspector draws without xstate. Each `*Machine.ts` beside this file makes the xstate machine of
 * the same chart — the reference test/sim/flatMachines.test.ts and
 * test/mesh/certificateRunner.test.ts check the engine's runners against.
 */
import { chartGraph, defineChart, type Chart, type MachineGraph } from '../../sim/index.ts';

/**
 * A pod's life as a learner sees it: scheduled, starting (sidecar injected, waiting for its
 * certificate and config), ready, crashed, restarted.
 */
export type WorkloadEvent = { type: 'pod.started' } | { type: 'pod.ready' } | { type: 'pod.crashed' } | { type: 'pod.restarted' };

export const workloadChart = defineChart<WorkloadEvent>()({
  id: 'workload',
  initial: 'pending',
  states: {
    pending: { on: { 'pod.started': 'starting' } },
    starting: { on: { 'pod.ready': 'ready', 'pod.crashed': 'crashed' } },
    ready: { on: { 'pod.crashed': 'crashed' } },
    crashed: { on: { 'pod.restarted': 'starting' } },
  },
});

/**
 * One connection from a client proxy to a server, as a learner steps through it: the TCP
 * handshake, then (for mTLS) the TLS 1.3 mutual handshake of RFC 8446 §2 — ClientHello; the
 * server's flight ending in its Finished; the client's Certificate, CertificateVerify and
 * Finished (FIDELITY A8) — then established, failed or closed.
 */
export type TlsConnectionEvent =
  | { type: 'tcp.syn' }
  | { type: 'tcp.established' }
  | { type: 'tcp.refused' }
  | { type: 'tls.clientHello' }
  | { type: 'tls.serverFinished' }
  | { type: 'tls.clientFinished' }
  | { type: 'tls.alert' }
  | { type: 'connection.reset' }
  | { type: 'connection.closed' };

export const tlsConnectionChart = defineChart<TlsConnectionEvent>()({
  id: 'tlsConnection',
  initial: 'idle',
  states: {
    idle: { on: { 'tcp.syn': 'tcpHandshake' } },
    tcpHandshake: {
      on: { 'tcp.established': 'established', 'tls.clientHello': 'clientHelloSent', 'tcp.refused': 'failed' },
    },
    clientHelloSent: { on: { 'tls.serverFinished': 'serverAuthenticated', 'tls.alert': 'failed', 'connection.reset': 'failed' } },
    serverAuthenticated: { on: { 'tls.clientFinished': 'established', 'tls.alert': 'failed', 'connection.reset': 'failed' } },
    established: { on: { 'connection.reset': 'closed', 'connection.closed': 'closed' } },
    failed: { type: 'final' },
    closed: { type: 'final' },
  },
});

/**
 * A proxy's configuration relative to the control plane's: waiting for the first push, in sync,
 * or stale — the control plane has newer config that has not reached this proxy yet (FIDELITY
 * F1: Istio cannot guarantee that every proxy receives a change at the same moment).
 */
export type ProxyConfigEvent = { type: 'config.changed' } | { type: 'config.applied' } | { type: 'proxy.stopped' };

export const proxyConfigChart = defineChart<ProxyConfigEvent>()({
  id: 'proxyConfig',
  initial: 'waiting',
  on: { 'proxy.stopped': '.waiting' },
  states: {
    waiting: { on: { 'config.applied': 'synced' } },
    synced: { on: { 'config.changed': 'stale' } },
    stale: { on: { 'config.applied': 'synced' } },
  },
});

/**
 * One endpoint as one client proxy judges it, from the responses it gets (passive health
 * checking). Istio's outlier detection ejects it and returns it at a later sweep (FIDELITY C2);
 * Linkerd's failure accrual marks it unavailable, then lets one probe request through in
 * probation (C3). Each mesh uses the states it has.
 */
export type EndpointHealthEvent =
  | { type: 'outlier.ejected' }
  | { type: 'outlier.returned' }
  | { type: 'accrual.tripped' }
  | { type: 'accrual.probation' }
  | { type: 'accrual.probeSucceeded' }
  | { type: 'accrual.probeFailed' };

export const endpointHealthChart = defineChart<EndpointHealthEvent>()({
  id: 'endpointHealth',
  initial: 'healthy',
  states: {
    healthy: { on: { 'outlier.ejected': 'ejected', 'accrual.tripped': 'unavailable' } },
    ejected: { on: { 'outlier.returned': 'healthy' } },
    unavailable: { on: { 'accrual.probation': 'probation' } },
    probation: { on: { 'accrual.probeSucceeded': 'healthy', 'accrual.probeFailed': 'unavailable' } },
  },
});

/**
 * A workload certificate's life: requested with a CSR, issued, renewed before it expires, or
 * expired when renewal fails. Timers run on the engine's clock; the delays come from the mesh
 * profile (Istio renews at 50% of the lifetime, Linkerd at 70% — FIDELITY A3, A6).
 *
 * The `sendCsr` action calls the function the actor was started with (input `sendCsr`): the
 * identity module's, which sends the CSR flight and answers with `cert.issued` or `csr.failed`.
 * Given as input rather than with `machine.provide` so each certificate does not build a machine.
 */
export type CertificateEvent =
  | { type: 'proxy.started' }
  | { type: 'cert.issued'; renewInMs: number; expireInMs: number }
  | { type: 'csr.failed'; retryInMs: number }
  | { type: 'cert.expired' }
  | { type: 'proxy.stopped' };

export const certificateChart = defineChart<CertificateEvent>()({
  id: 'certificate',
  initial: 'none',
  on: { 'proxy.stopped': '.none' },
  states: {
    none: { on: { 'proxy.started': 'requesting' } },
    requesting: {
      entry: 'sendCsr',
      on: { 'cert.issued': { target: 'issued', actions: 'store' }, 'csr.failed': { target: 'backoff', actions: 'storeRetry' } },
    },
    backoff: { after: { retryDelay: 'requesting' } },
    issued: {
      initial: 'valid',
      after: { expiryDelay: 'expired' },
      on: {
        'cert.issued': { target: 'issued', reenter: true, actions: 'store' },
        'cert.expired': 'expired',
      },
      states: {
        valid: { after: { renewDelay: 'renewing' } },
        renewing: { entry: 'sendCsr', on: { 'csr.failed': { target: 'renewBackoff', actions: 'storeRetry' } } },
        renewBackoff: { after: { retryDelay: 'renewing' } },
      },
    },
    expired: {
      initial: 'requesting',
      on: { 'cert.issued': { target: 'issued', actions: 'store' } },
      states: {
        requesting: { entry: 'sendCsr', on: { 'csr.failed': { target: 'backoff', actions: 'storeRetry' } } },
        backoff: { after: { retryDelay: 'requesting' } },
      },
    },
  },
});

/** Every chart a learner can inspect. */
export const CHARTS: readonly Chart[] = [workloadChart, certificateChart, tlsConnectionChart, proxyConfigChart, endpointHealthChart];

let graphs: Record<string, MachineGraph> | undefined;

/** The graphs of all machines (computed once), by id: they travel with the trace. */
export function machineGraphs(): Record<string, MachineGraph> {
  graphs ??= Object.fromEntries(CHARTS.map((c) => [c.id, chartGraph(c)]));
  return graphs;
}
