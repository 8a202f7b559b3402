/**
 * One connection from a client proxy to a server, as a learner steps through it: the TCP
 * handshake, then (for mTLS) the TLS 1.3 mutual handshake of RFC 8446 §2 — ClientHello; the
 * server's flight ending in its Finished; the client's Certificate, CertificateVerify and
 * Finished (FIDELITY A8) — then established, failed or closed.
 */
import { setup } from 'xstate';

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

export const tlsConnectionMachine = setup({
  types: { events: {} as TlsConnectionEvent },
}).createMachine({
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
