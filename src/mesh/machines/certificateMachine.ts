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

export type CertificateEvent =
  | { type: 'proxy.started' }
  | { type: 'cert.issued'; renewInMs: number; expireInMs: number }
  | { type: 'csr.failed'; retryInMs: number }
  | { type: 'cert.expired' }
  | { type: 'proxy.stopped' };

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
  id: 'certificate',
  context: ({ input }) => ({ renewInMs: 0, expireInMs: 0, retryInMs: input.retryInMs, sendCsr: input.sendCsr ?? (() => {}) }),
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
