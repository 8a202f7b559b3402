/**
 * An end-user token a traffic source sends (`traffic[].jwt`). The calling app puts it in
 * `authorization: Bearer …`, where Istio's RequestAuthentication validates it (FIDELITY A5) and
 * Linkerd, which has no JWT primitive (comparison item 18), lets it travel untouched. Whether
 * the token verifies is stated here rather than computed: no keys or signatures are simulated.
 */
import { z } from './zodSetup.ts';
import { describe } from './units.ts';

const claim = z
  .string({ error: (iss) => `must be a string (got ${describe(iss.input)})` })
  .min(1)
  .regex(/^[^\s;]+$/, { message: 'must not contain blanks or ";"' });

/** One value of another claim: no blanks, and none of `;`, `,` or `=` (they delimit the simulated token, jwt.ts). */
const claimValue = z
  .string({ error: (iss) => `must be a string (got ${describe(iss.input)})` })
  .min(1)
  .regex(/^[^\s;,=]+$/, { message: 'must not contain blanks, ";", "," or "="' });

/** Claim names: letters, digits and `_ . : -` (no brackets: nested claims are not simulated). */
const claimName = /^[A-Za-z0-9_.:-]+$/;

/** `traffic[].jwt`: the token's claims and whether it verifies. */
export const trafficJwt = z.strictObject({
  /** The `iss` claim; a RequestAuthentication jwtRule must name it for the token to be accepted. */
  issuer: claim.describe('The iss claim: a RequestAuthentication jwtRule must name this issuer for the token to be accepted.'),
  /** The `sub` claim; with the issuer it forms the request principal `<iss>/<sub>`. */
  subject: claim.describe('The sub claim; with the issuer it makes the request principal <iss>/<sub>.'),
  /** Other claims, such as `groups: [group1, group2]` or `scope: read` (AuthorizationPolicy `request.auth.claims[<name>]`). */
  claims: z
    .record(z.string(), z.union([claimValue, z.array(claimValue).min(1, { message: 'must list at least one value' })]), {
      error: (iss) => `must be a mapping of claim names to a string or a list of strings (got ${describe(iss.input)})`,
    })
    .superRefine((claims, ctx) => {
      for (const name of Object.keys(claims)) {
        if (name === 'iss' || name === 'sub')
          ctx.addIssue({ code: 'custom', path: [name], message: `is set by ${name === 'iss' ? 'issuer' : 'subject'}: write it there` });
        else if (!claimName.test(name))
          ctx.addIssue({ code: 'custom', path: [name], message: 'must be a claim name of letters, digits and _ . : - (nested claims are not simulated)' });
      }
    })
    .optional()
    .describe(
      'Other claims of the token, each a string or a list of strings (groups: [group1, group2]), for AuthorizationPolicy conditions on request.auth.claims[<name>].',
    ),
  /** true: verifies; `expired`: past its exp; `bad-signature`: signed with a key not in the JWKS. */
  valid: z
    .union([z.literal(true), z.enum(['expired', 'bad-signature'])], {
      error: (iss) => `must be true, expired or bad-signature (got ${describe(iss.input)})`,
    })
    .default(true)
    .describe('true: the token verifies (the default); expired: past its expiry; bad-signature: signed with a key the issuer does not publish.'),
});

/** A validated `traffic[].jwt`. */
export type TrafficJwt = z.output<typeof trafficJwt>;

/** Whether a traffic entry sets both `jwt` and its own authorization header (the two would collide). */
export function jwtCollides(t: { jwt?: unknown; headers: Record<string, string> }): boolean {
  return t.jwt !== undefined && Object.keys(t.headers).some((h) => h.toLowerCase() === 'authorization');
}
