/**
 * Envoy's local replies, shared by every mesh whose sidecars are Envoy (Istio, Consul, OSM): the
 * status and access-log response flag of each reply Envoy makes itself (FIDELITY C1 flags, B2
 * timeouts → 504 UT). Only the RBAC denial differs per mesh (its text and source), so the caller
 * gives it; `flags` names the source as the mesh cites it.
 */
import { defaultCause } from '../cause.ts';
import type { LocalReplies } from './types.ts';

export function envoyReplies(flags: string, forbidden: LocalReplies['forbidden']): LocalReplies {
  return {
    requestTimeout: { status: 504, reason: 'UT upstream request timeout', cause: defaultCause('Envoy route timeout → 504 UT', flags) },
    attemptTimeout: { status: 504, reason: 'UT upstream per-try timeout', cause: defaultCause('Envoy per-try timeout → 504 UT', flags) },
    connectFailure: { status: 503, reason: 'UF upstream connection failure', cause: defaultCause('Envoy connect failure → 503 UF', flags) },
    reset: { status: 503, reason: 'UC upstream connection termination', cause: defaultCause('Envoy upstream reset → 503 UC', flags) },
    noHealthy: { status: 503, reason: 'UH no healthy upstream', cause: defaultCause('Envoy no healthy host → 503 UH', flags) },
    noRoute: { status: 404, reason: 'NR no route', cause: defaultCause('Envoy no route → 404 NR', flags) },
    forbidden,
    // FIDELITY C1: circuit-breaker overflow is a local 503 with response flag UO.
    overflow: { status: 503, reason: 'UO upstream overflow', cause: defaultCause('Envoy circuit breaker overflow → 503 UO', flags) },
    retriesExhaustedFlag: 'URX',
  };
}
