/**
 * The simulated bearer token on the wire. A real JWT is three base64url parts; mesh-sim writes
 * its claims in the clear instead, so a learner reading the request's headers in the trace sees
 * what the token says: `Bearer sim-jwt;iss=https://auth.example.com;sub=alice;sig=ok;exp=ok`.
 * The profile that validates tokens (Istio RequestAuthentication) reads it back with
 * {@link readBearer}.
 */
import type { TrafficJwt } from '../scenario/trafficJwt.ts';

/** Claims and verification outcome of a presented token. */
export interface PresentedJwt {
  issuer: string;
  subject: string;
  /** Every claim as a list of strings (a string claim is a list of one), `iss` and `sub` included. */
  claims: Record<string, string[]>;
  signatureOk: boolean;
  expired: boolean;
}

const MARK = 'sim-jwt';

/** The `authorization` header value the calling app sends for `jwt`. */
export function bearerOf(jwt: TrafficJwt): string {
  const sig = jwt.valid === 'bad-signature' ? 'bad' : 'ok';
  const exp = jwt.valid === 'expired' ? 'past' : 'ok';
  // Other claims as `c.<name>=<v1>,<v2>` (a string claim is a list of one).
  const extra = Object.entries(jwt.claims ?? {})
    .map(([name, v]) => `;c.${name}=${(Array.isArray(v) ? v : [v]).join(',')}`)
    .join('');
  return `Bearer ${MARK};iss=${jwt.issuer};sub=${jwt.subject}${extra};sig=${sig};exp=${exp}`;
}

/** The request's headers as the app sends them: the scenario's headers plus the token, if any. */
export function headersWithJwt(headers: Record<string, string>, jwt: TrafficJwt | undefined): Record<string, string> {
  return jwt ? { ...headers, authorization: bearerOf(jwt) } : headers;
}

/**
 * The bearer token of `headers` (names in lowercase, as requests carry them — traffic.ts): absent
 * (no authorization header or not `Bearer`), unreadable (a token mesh-sim did not write, which no
 * key can verify), or its claims.
 */
export function readBearer(headers: Record<string, string>): { kind: 'none' } | { kind: 'malformed' } | { kind: 'token'; jwt: PresentedJwt } {
  const raw = headers.authorization;
  const m = raw === undefined ? null : /^Bearer\s+(\S+)$/i.exec(raw.trim());
  if (!m) return { kind: 'none' };
  const [mark, ...parts] = m[1]!.split(';');
  const fields = Object.fromEntries(parts.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  if (mark !== MARK || !fields.iss || !fields.sub) return { kind: 'malformed' };
  const claims: Record<string, string[]> = { iss: [fields.iss], sub: [fields.sub] };
  for (const [k, v] of Object.entries(fields)) if (k.startsWith('c.')) claims[k.slice(2)] = v.split(',');
  return { kind: 'token', jwt: { issuer: fields.iss, subject: fields.sub, claims, signatureOk: fields.sig === 'ok', expired: fields.exp !== 'ok' } };
}
