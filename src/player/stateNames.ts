/**
 * A machine's state in the learner's words: `cert expired.backoff` is "certificate expired,
 * waiting to ask again", not a statechart path. Each phrase comes with a tone, so the picture can
 * colour it (and still carry the meaning in the words).
 */

/** How a state should look: fine, worth a look, or broken. */
export type StateTone = 'ok' | 'warn' | 'bad' | 'neutral';

interface Phrase {
  /** Short, for a chip on the picture. */
  short: string;
  /** A sentence fragment, for the inspector and the step text. */
  long: string;
  tone: StateTone;
}

const PHRASES: Record<string, Record<string, Phrase>> = {
  workload: {
    pending: { short: 'pending', long: 'scheduled, not started', tone: 'neutral' },
    starting: { short: 'starting', long: 'starting', tone: 'warn' },
    ready: { short: 'ready', long: 'ready', tone: 'ok' },
    crashed: { short: 'crashed', long: 'crashed', tone: 'bad' },
  },
  certificate: {
    none: { short: 'no cert', long: 'no certificate yet', tone: 'neutral' },
    requesting: { short: 'CSR sent', long: 'certificate requested (CSR sent)', tone: 'warn' },
    backoff: { short: 'CSR failed', long: 'CSR failed, waiting to ask again', tone: 'bad' },
    issued: { short: 'cert ✓', long: 'certificate valid', tone: 'ok' },
    'issued.valid': { short: 'cert ✓', long: 'certificate valid', tone: 'ok' },
    'issued.renewing': { short: 'renewing cert', long: 'certificate valid, renewal requested', tone: 'ok' },
    'issued.renewBackoff': { short: 'renew failed', long: 'certificate valid, but its renewal failed; waiting to ask again', tone: 'warn' },
    expired: { short: 'cert expired', long: 'certificate expired', tone: 'bad' },
    'expired.requesting': { short: 'cert expired', long: 'certificate expired, new one requested', tone: 'bad' },
    'expired.backoff': { short: 'cert expired', long: 'certificate expired, CSR failed, waiting to ask again', tone: 'bad' },
  },
  proxyConfig: {
    waiting: { short: 'no config yet', long: 'waiting for its first config', tone: 'warn' },
    synced: { short: 'config ✓', long: 'config in sync with the control plane', tone: 'ok' },
    stale: { short: 'config stale', long: 'config stale: the control plane has newer config', tone: 'warn' },
  },
  tlsConnection: {
    idle: { short: 'idle', long: 'not connected', tone: 'neutral' },
    tcpHandshake: { short: 'TCP handshake', long: 'TCP handshake', tone: 'neutral' },
    clientHelloSent: { short: 'ClientHello sent', long: 'TLS: ClientHello sent', tone: 'neutral' },
    serverAuthenticated: { short: 'server verified', long: 'TLS: server certificate verified', tone: 'neutral' },
    established: { short: 'mTLS up', long: 'established', tone: 'ok' },
    failed: { short: 'failed', long: 'failed', tone: 'bad' },
    closed: { short: 'closed', long: 'closed', tone: 'neutral' },
  },
  endpointHealth: {
    healthy: { short: 'healthy', long: 'healthy: in load balancing', tone: 'ok' },
    ejected: { short: 'ejected', long: 'ejected from load balancing', tone: 'bad' },
    unavailable: { short: 'in penalty', long: 'unavailable: in its failure-accrual penalty', tone: 'bad' },
    probation: { short: 'probing', long: 'probation: one probe request may go', tone: 'warn' },
  },
  // A connection mesh's vWire (Network Service Mesh, FIDELITY-MORE K3, K4).
  vwire: {
    idle: { short: 'no vWire', long: 'no connection asked for yet', tone: 'neutral' },
    requesting: { short: 'requesting', long: 'connection requested', tone: 'warn' },
    up: { short: 'vWire up', long: 'vWire up: packets cross it', tone: 'ok' },
    refreshing: { short: 'refreshing', long: 'vWire up, its Request re-sent before the path expires', tone: 'ok' },
    healing: { short: 'healing', long: 'liveness check failed: asking for a new path', tone: 'bad' },
    expired: { short: 'expired', long: 'expired: nobody refreshed it in time', tone: 'bad' },
    closed: { short: 'closed', long: 'closed', tone: 'neutral' },
  },
  nseRegistration: {
    unregistered: { short: 'unregistered', long: 'not in the registry', tone: 'neutral' },
    registering: { short: 'registering', long: 'registering with the registry', tone: 'warn' },
    registered: { short: 'registered', long: 'listed in the registry', tone: 'ok' },
    unreachable: { short: 'unreachable', long: 'still listed, but it no longer answers', tone: 'bad' },
  },
};

/**
 * A connection established in plaintext: its client had no proxy to start TLS, so it went from
 * its TCP handshake straight to established (FIDELITY A8: a permissive server accepts it).
 */
const PLAINTEXT: Phrase = { short: 'plaintext', long: 'established in plaintext (no mTLS)', tone: 'warn' };

/**
 * Whether a connection's `state`, reached from `previous`, is open with mTLS: established through
 * the TLS handshake (serverAuthenticated → established), not from its TCP handshake alone.
 */
export function mtlsEstablished(machine: string, state: string, previous: string | null | undefined): boolean {
  return machine === 'tlsConnection' && state === 'established' && previous === 'serverAuthenticated';
}

/**
 * The phrase for `state` of `machine`, reached from `previous` when the caller knows it (a
 * connection established from its TCP handshake reads "plaintext", not "mTLS up"); an unknown
 * state reads as its last path segment, spaced out.
 */
export function statePhrase(machine: string, state: string, previous?: string | null): Phrase {
  if (machine === 'tlsConnection' && state === 'established' && previous === 'tcpHandshake') return PLAINTEXT;
  const known = PHRASES[machine]?.[state];
  if (known) return known;
  const last = state.split('.').pop() ?? state;
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return { short: words, long: words, tone: 'neutral' };
}
