/**
 * Consul intentions, as the destination's sidecar enforces them (FIDELITY-MORE I4): the one
 * intention with the highest precedence whose source matches the caller decides — an L4 allow or
 * deny, or L7 permissions taken top to bottom; no match, or no permission matching, falls to the
 * ACL default policy. A TCP destination decides once per connection (RBAC network filter) and a
 * denial closes it; an HTTP destination decides each request and answers 403.
 */
import type { Cause } from '../../../sim/index.ts';
import type { IntentionHttpPermission, LoadedScenario, ServiceIntentions } from '../../../scenario/index.ts';
import type { AuthzRequest, AuthzVerdict } from '../../config.ts';
import type { Workload } from '../../types.ts';
import { defaultCause } from '../../cause.ts';
import { resourceCause, type SourcedResource } from '../resources.ts';
import { HTTP_LIKE, type ConsulEntries } from './entries.ts';
import { serviceOfSpiffe } from './identity.ts';

interface Intention {
  entry: SourcedResource<ServiceIntentions>;
  index: number;
  source: string;
  precedence: number;
}

const regexes = new Map<string, RegExp>();
const fullMatch = (pattern: string, value: string, flags = ''): boolean => {
  const key = `${flags}/${pattern}`;
  let re = regexes.get(key);
  if (!re) regexes.set(key, (re = new RegExp(`^(?:${pattern})$`, flags)));
  return re.test(value);
};

/** Whether an L7 permission's HTTP criteria match the request (service-intentions IntentionHTTPPermission). */
export function permissionMatches(http: IntentionHttpPermission, req: Pick<AuthzRequest, 'method' | 'path' | 'headers'>): boolean {
  // Envoy's RBAC path matchers see the path without its query string.
  const path = req.path.split('?')[0]!;
  if (http.pathExact !== undefined && path !== http.pathExact) return false;
  if (http.pathPrefix !== undefined && !path.startsWith(http.pathPrefix)) return false;
  if (http.pathRegex !== undefined && !fullMatch(http.pathRegex, path)) return false;
  if (http.methods?.length && !http.methods.includes(req.method as never)) return false;
  for (const h of http.header ?? []) {
    const raw = req.headers[h.name.toLowerCase()];
    const fold = (s: string): string => (h.ignoreCase ? s.toLowerCase() : s);
    let ok: boolean;
    if (h.present !== undefined) ok = raw !== undefined;
    else if (raw === undefined) ok = false;
    else if (h.exact !== undefined) ok = fold(raw) === fold(h.exact);
    else if (h.prefix !== undefined) ok = fold(raw).startsWith(fold(h.prefix));
    else if (h.suffix !== undefined) ok = fold(raw).endsWith(fold(h.suffix));
    else if (h.contains !== undefined) ok = fold(raw).includes(fold(h.contains));
    else ok = fullMatch(h.regex!, raw, h.ignoreCase ? 'i' : '');
    if (h.invert) ok = !ok;
    if (!ok) return false;
  }
  return true;
}

/** The authorizer of one config version. */
export function compileIntentions(scenario: LoadedScenario, entries: ConsulEntries): (pod: Workload, req: AuthzRequest) => AuthzVerdict {
  const defaultPolicy = entries.intentionDefault;
  const cache = new Map<string, Intention[]>();
  /** Intentions toward `dest`, highest precedence first, deny before allow at equal precedence. */
  const toward = (dest: string): Intention[] => {
    let hit = cache.get(dest);
    if (hit) return hit;
    hit = [];
    for (const entry of entries.intentions) {
      const d = entry.resource.spec.destination.name;
      if (d !== dest && d !== '*') continue;
      entry.resource.spec.sources.forEach((s, index) => {
        // FIDELITY-MORE I4: precedence table, with Consul CE's one namespace: 9, 8, 6, 5.
        const precedence = d === '*' ? (s.name === '*' ? 5 : 6) : s.name === '*' ? 8 : 9;
        hit!.push({ entry, index, source: s.name, precedence });
      });
    }
    const denyFirst = (x: Intention): number => (x.entry.resource.spec.sources[x.index]!.action === 'deny' ? 0 : 1);
    hit.sort((a, b) => b.precedence - a.precedence || denyFirst(a) - denyFirst(b));
    cache.set(dest, hit);
    return hit;
  };

  return (pod, req) => {
    const dest = pod.service.name;
    const l4 = !HTTP_LIKE.includes(entries.protocolOf(dest).value);
    const scope = l4 ? ({ scope: 'connection' } as const) : {};
    const deny = (summary: string, cause: Cause): AuthzVerdict =>
      l4
        ? // FIDELITY-MORE I4: an L4 denial closes the connection.
          { allow: false, ...scope, reason: 'connection closed: intention denies it (RBAC network filter)', summary, cause }
        : // FIDELITY-MORE I4: Envoy's HTTP RBAC filter answers 403.
          { allow: false, status: 403, reason: 'RBAC: access denied (intention)', summary, cause };
    const allow = (summary: string, cause: Cause): AuthzVerdict => ({ allow: true, ...scope, summary, cause });
    if (!req.mtls)
      return allow(
        'plaintext on the service port (permissive): intentions are not enforced without mTLS',
        defaultCause('Consul: intentions are not enforced for non-mTLS connections', 'FIDELITY-MORE I3: service-defaults MutualTLSMode permissive'),
      );
    const source = serviceOfSpiffe(req.peerIdentity) ?? '';
    const who = source || (req.peerIdentity ?? 'an unknown identity');
    const match = toward(dest).find((x) => x.source === '*' || x.source === source);
    const fallback = (why: string): AuthzVerdict => {
      const d = defaultPolicy;
      const text = `${why}: the ACL default policy ${d.value}s ${who} → ${dest}${l4 ? ' (checked once per connection)' : ''}`;
      return d.value === 'allow' ? allow(text, d.cause) : deny(text, d.cause);
    };
    if (!match) return fallback('no intention matches');
    const s = match.entry.resource.spec.sources[match.index]!;
    const at = `.spec.sources[${match.index}]`;
    const label = `intention ${s.name} → ${match.entry.resource.spec.destination.name}`;
    if (s.action !== undefined) {
      const cause = resourceCause(scenario, match.entry, `${at} ${s.name}: ${s.action}`, at, 'FIDELITY-MORE I4: L4 intention, highest precedence wins');
      const text = `${label}: ${s.action} (L4, precedence ${match.precedence})${l4 ? ', for the whole connection' : ''}`;
      return s.action === 'allow' ? allow(text, cause) : deny(text, cause);
    }
    const perms = s.permissions ?? [];
    const j = perms.findIndex((p) => permissionMatches(p.http, req));
    if (j < 0) return fallback(`${label}: no permission matches ${req.method} ${req.path}`);
    const p = perms[j]!;
    const cause = resourceCause(
      scenario,
      match.entry,
      `${at}.permissions[${j}] ${p.action}`,
      `${at}.permissions[${j}]`,
      'FIDELITY-MORE I4: L7 permissions, the first match decides',
    );
    const text = `${label}: permission ${j} ${p.action}s ${req.method} ${req.path} (L7)`;
    return p.action === 'allow' ? allow(text, cause) : deny(text, cause);
  };
}
