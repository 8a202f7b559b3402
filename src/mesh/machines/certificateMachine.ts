/**
 * A workload certificate's life: requested with a CSR, issued, renewed before it expires, or
 * expired when renewal fails. Timers run on the engine's clock; the delays come from the mesh
 * profile (Istio renews at 50% of the lifetime, Linkerd at 70% — FIDELITY A3, A6).
 *
 * The `sendCsr` action calls the function the actor was started with (input `sendCsr`): the
 * identity module's, which sends the CSR flight and answers with `cert.issued` or `csr.failed`.
 * Given as input rather than with `machine.provide` so each certificate does not build a machine.
 */
import { assign, setup } from 'xstate';
import { certificateChart, type CertificateEvent } from './charts.ts';

export type { CertificateEvent };

export interface CertificateContext {
  /** From issuance to the renewal attempt. */
  renewInMs: number;
  /** From issuance to expiry. */
  expireInMs: number;
  /** Wait before trying again after a failed CSR. */
  retryInMs: number;
  /** Sends a CSR (from the actor's input). */
  sendCsr: () => void;
}

export const certificateMachine = setup({
  types: {
    context: {} as CertificateContext,
    events: {} as CertificateEvent,
    input: {} as { retryInMs: number; sendCsr?: () => void },
  },
  actions: {
    sendCsr: ({ context }) => context.sendCsr(),
    store: assign(({ event }) => (event.type === 'cert.issued' ? { renewInMs: event.renewInMs, expireInMs: event.expireInMs } : {})),
    storeRetry: assign(({ event }) => (event.type === 'csr.failed' ? { retryInMs: event.retryInMs } : {})),
  },
  delays: {
    renewDelay: ({ context }) => context.renewInMs,
    expiryDelay: ({ context }) => context.expireInMs,
    retryDelay: ({ context }) => context.retryInMs,
  },
}).createMachine({
  ...certificateChart,
  context: ({ input }) => ({ renewInMs: 0, expireInMs: 0, retryInMs: input.retryInMs, sendCsr: input.sendCsr ?? (() => {}) }),
});
