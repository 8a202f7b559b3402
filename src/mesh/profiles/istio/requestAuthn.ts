/**
 * Istio RequestAuthentication as the inbound sidecar applies it, before any authorization
 * (FIDELITY A5; istio.io concepts/security "Request authentication"): a presented token that does
 * not validate is rejected with 401; a request with no token is accepted and simply has no
 * request principal; a valid token's principal is `<iss>/<sub>` (authorization_policy.proto
 * `requestPrincipals`). With no RequestAuthentication on the workload, tokens are not looked at.
 */
import type { LoadedScenario, RequestAuthentication } from '../../../scenario/index.ts';
import type { AuthzVerdict } from '../../config.ts';
import { readBearer, type PresentedJwt } from '../../jwt.ts';
import { resourceCause, type SourcedResource } from '../resources.ts';

/** The jwtRules that apply to one workload, each with the policy that declared it. */
export type JwtRules = { issuer: string; from: SourcedResource<RequestAuthentication>; index: number }[];

/** A request that passed request authentication, with its principal when it carried a valid token. */
export type AuthnOutcome = { ok: true; jwt?: PresentedJwt } | { ok: false; verdict: AuthzVerdict };

// Envoy jwt_authn status messages (envoy/extensions/filters/http/jwt_authn), returned as the 401 body.
const EXPIRED = 'Jwt is expired';
const BAD_SIGNATURE = 'Jwt verification fails';
const UNKNOWN_ISSUER = 'Jwt issuer is not configured';
const BAD_FORMAT = 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections';

/** Validates the request's bearer token against the workload's jwtRules. */
export function authenticateRequest(scenario: LoadedScenario, rules: JwtRules, headers: Record<string, string>): AuthnOutcome {
  if (rules.length === 0) return { ok: true };
  const token = readBearer(headers);
  // FIDELITY A5: "When requests carry no token, they are accepted by default."
  if (token.kind === 'none') return { ok: true };
  const first = rules[0]!;
  const reject = (message: string, r: JwtRules[number], field: string, source: string): AuthnOutcome => ({
    ok: false,
    verdict: {
      allow: false,
      // FIDELITY A5: a request with an invalid token is rejected with 401.
      status: 401,
      reason: `jwt_authn_access_denied: ${message}`,
      summary: `401: ${message}`,
      cause: resourceCause(scenario, r.from, field, `.spec.jwtRules[${r.index}]`, source),
    },
  });
  if (token.kind === 'malformed') return reject(BAD_FORMAT, first, '.spec.jwtRules', 'FIDELITY A5: invalid tokens are rejected (401)');
  const rule = rules.find((r) => r.issuer === token.jwt.issuer);
  // A token from an issuer no jwtRule names is rejected, not ignored (istio/istio#40718, keycloak/keycloak#17299) [secondary].
  if (!rule)
    return reject(
      `${UNKNOWN_ISSUER} (${token.jwt.issuer})`,
      first,
      '.spec.jwtRules[].issuer',
      'FIDELITY A5 [secondary]: unknown issuer → 401 (istio/istio#40718)',
    );
  const at = `.spec.jwtRules[${rule.index}] issuer ${rule.issuer}`;
  if (!token.jwt.signatureOk) return reject(BAD_SIGNATURE, rule, at, 'FIDELITY A5: a token whose signature does not verify against the JWKS is invalid (401)');
  if (token.jwt.expired) return reject(EXPIRED, rule, at, 'FIDELITY A5: an expired token is invalid (401)');
  return { ok: true, jwt: token.jwt };
}
