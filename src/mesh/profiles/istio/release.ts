/**
 * What changed between the Istio releases mesh-sim models, in the behaviours it simulates. A run
 * models one release line (src/scenario/meshReleases.ts); an IstioOperator's
 * `compatibilityVersion` can ask that release for an older line's defaults, as an operator would
 * (FIDELITY B1: Istio 1.24 added the `1.23` compatibility profile for exactly these changes).
 */
import type { Cause } from '../../../sim/index.ts';
import { compareReleases } from '../../../scenario/index.ts';
import type { MeshRelease } from '../types.ts';

export interface IstioBehaviour {
  /** `1.30` */
  release: string;
  /** The IstioOperator's compatibilityVersion, when the scenario sets one. */
  compatibility: string | undefined;
  /** `Istio 1.30`, or `Istio 1.26 with compatibilityVersion 1.23`. */
  label: string;
  /**
   * FIDELITY B1: the default retry policy (and a VirtualService retry block without retryOn)
   * retries 503 — before 1.24, or under compatibilityVersion 1.23 (EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY
   * false). 1.24 made it default true; 1.27 removed the flag and kept the behaviour.
   */
  retry503: boolean;
  /**
   * FIDELITY B1: the server sidecar's default inbound route retries `reset-before-request` twice
   * (1.24+, ENABLE_INBOUND_RETRY_POLICY; route.go BuildDefaultHTTPInboundRoute).
   */
  inboundResetRetries: boolean;
  /**
   * FIDELITY B1: DestinationRule `trafficPolicy.retryBudget` exists from 1.27; this is the percent
   * it applies when the block leaves `percent` unset, in Envoy's units (0–100). 1.27 sent 0.2 —
   * 0.2 %, the bug its comment ("default to 20%") did not mean — fixed in 1.28.6, 1.29.2 and 1.30.0
   * (istio/istio cluster_traffic_policy.go applyRetryBudget at those tags). Undefined before 1.27.
   */
  retryBudgetDefaultPercent: number | undefined;
  /**
   * FIDELITY B5: a mirrored request's Host gets a `-shadow` suffix before 1.28 (and under
   * compatibilityVersion 1.27 or older); 1.28 added DISABLE_SHADOW_HOST_SUFFIX, default true
   * (istio/istio pilot/pkg/features/pilot.go, #57708; profile-compatibility-version-1.27.yaml sets it false).
   */
  shadowHostSuffix: boolean;
  /** Why the version-specific defaults are what they are (the inspector's cause). */
  cause: Cause;
}

/** The behaviours of `release`, with the scenario's compatibilityVersion if it sets one. */
export function istioBehaviour(release: MeshRelease, compat?: { version: string; cause: Cause }): IstioBehaviour {
  const v = release.version;
  const compatibility = compat?.version;
  const before124 = compareReleases(v, '1.24') < 0 || (compatibility !== undefined && compareReleases(compatibility, '1.24') < 0);
  const before128 = compareReleases(v, '1.28') < 0 || (compatibility !== undefined && compareReleases(compatibility, '1.28') < 0);
  const budget = compareReleases(v, '1.27') < 0 ? undefined : compareReleases(v, '1.28') < 0 ? 0.2 : 20;
  const label = compatibility ? `${release.label} with compatibilityVersion ${compatibility}` : release.label;
  return {
    release: v,
    compatibility,
    label,
    retry503: before124,
    inboundResetRetries: !before124,
    retryBudgetDefaultPercent: budget,
    shadowHostSuffix: before128,
    cause: compat ? { ...compat.cause, config: `${label}: ${compat.cause.config}` } : release.cause,
  };
}
