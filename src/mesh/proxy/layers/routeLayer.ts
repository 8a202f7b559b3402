/**
 * Route layer (logical stage): which service the app addressed, which route rule matches the
 * request (Istio VirtualService `http[].match`, Linkerd HTTPRoute `rules[].matches`), and which
 * weighted backend it goes to. Client-side fault injection (Istio VirtualService `fault`) acts
 * here, before the router, as Envoy's fault filter does.
 */
import { pathPrefixMatches, type Matcher, type RequestCondition, type RouteMatch, type RouteRule, type Backend } from '../../config.ts';
import type { ExternalHost, HttpRequest, ServiceRuntime } from '../../types.ts';
import { TraceName } from '../../../sim/index.ts';
import type { Exchange, Handler, OutboundLayer, Respond } from '../exchange.ts';

const compiled = new Map<string, RegExp>();

/** Whether `value` satisfies the matcher (regexes match the whole value, as Envoy's RE2 matchers do). */
export function matches(m: Matcher, value: string): boolean {
  switch (m.kind) {
    case 'exact':
      return value === m.value;
    case 'prefix':
      return value.startsWith(m.value);
    case 'path-prefix':
      return pathPrefixMatches(m.value, value);
    case 'regex': {
      let re = compiled.get(m.value);
      if (!re) compiled.set(m.value, (re = new RegExp(`^(?:${m.value})$`)));
      return re.test(value);
    }
  }
}

/** Whether the request meets a condition tree (linkerd2-proxy service-profiles/src/http.rs `RequestMatch::is_match`). */
export function conditionHolds(c: RequestCondition, req: Pick<HttpRequest, 'path' | 'method'>): boolean {
  if ('all' in c) return c.all.every((x) => conditionHolds(x, req));
  if ('any' in c) return c.any.some((x) => conditionHolds(x, req));
  if ('not' in c) return !conditionHolds(c.not, req);
  if ('path' in c) return matches(c.path, req.path);
  return matches(c.method, req.method);
}

/** Whether one match accepts the request (header names are lowercase on both sides, see {@link matchRule}). */
function matchAccepts(m: RouteMatch, req: HttpRequest, port: number | undefined): boolean {
  return (
    (m.port === undefined || m.port === port) &&
    (!m.path || matches(m.path, req.path)) &&
    (!m.method || matches(m.method, req.method)) &&
    (!m.condition || conditionHolds(m.condition, req)) &&
    (m.headers ?? []).every((h) => {
      const v = req.headers[h.name];
      return v !== undefined && matches(h.match, v);
    })
  );
}

/**
 * How specific an accepted match is, as linkerd2-proxy ranks Gateway API route matches
 * (linkerd/http/route/src/http/match.rs `RequestMatch` Ord, path.rs `PathMatch`; linkerd2-proxy
 * main 2026-08, Linkerd 2.14+ HTTPRoute, FIDELITY B3): the number of path characters matched
 * first (an exact path its length, a prefix its length without trailing slashes, `/` one, a
 * regex the whole path's; no path match counts as the prefix `/`), then the number of header
 * matches, then whether the method is matched. Query parameter matches are not modelled.
 */
export function matchSpecificity(m: RouteMatch | undefined, req: HttpRequest): [number, number, number] {
  const path = req.path.split('?')[0]!;
  const p = m?.path;
  const pathLength = !p ? 1 : p.kind === 'regex' ? path.length : p.kind === 'exact' ? p.value.length : p.value === '/' ? 1 : p.value.replace(/\/+$/, '').length;
  return [pathLength, m?.headers?.length ?? 0, m?.method ? 1 : 0];
}

const greater = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
};

/**
 * The rule that takes the request: the first whose matches accept it (a rule with no matches
 * accepts all), or under `most-specific` precedence the one with the most specific accepting match
 * (a rule without matches counts as the prefix `/`), the first in order on a tie — linkerd2-proxy
 * linkerd/http/route/src/lib.rs `find`/`best` (FIDELITY B3). Header names are lowercase on both
 * sides — requests are built so (traffic.ts) and matchers compiled so (the profiles) — so a plain
 * lookup is a case-insensitive one (RFC 9110 §5.1).
 */
export function matchRule(rules: readonly RouteRule[], req: HttpRequest, port?: number, precedence?: 'most-specific'): RouteRule | undefined {
  if (precedence !== 'most-specific') {
    // Index loops, not find/some with closures or for-of: this runs once per request and hop, and an
    // iterator (and a result object per step) is allocated wherever V8 has not optimised the loop yet.
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      const matches = r.matches;
      if (matches.length === 0) return r;
      for (let k = 0; k < matches.length; k++) if (matchAccepts(matches[k]!, req, port)) return r;
    }
    return undefined;
  }
  let best: RouteRule | undefined;
  let bestScore: number[] | undefined;
  for (const r of rules) {
    let score: number[] | undefined;
    if (r.matches.length === 0) score = matchSpecificity(undefined, req);
    else
      for (const m of r.matches) {
        if (!matchAccepts(m, req, port)) continue;
        const s = matchSpecificity(m, req);
        if (!score || greater(s, score)) score = s;
      }
    // The route's host match counts first (RouteMatch { host, route }).
    if (score) score = [r.hostRank ?? 0, ...score];
    if (score && (!bestScore || greater(score, bestScore))) [best, bestScore] = [r, score];
  }
  return best;
}

/** Weighted choice among backends; `u` is uniform in [0, 1). */
export function pickBackend(backends: readonly Backend[], u: number): Backend | undefined {
  // Index loops (once per request): no callback, and no iterator where V8 has not optimised them yet.
  let total = 0;
  for (let i = 0; i < backends.length; i++) total += backends[i]!.weight;
  if (total <= 0) return backends[0];
  let x = u * total;
  for (let i = 0; i < backends.length; i++) {
    const b = backends[i]!;
    if (x < b.weight) return b;
    x -= b.weight;
  }
  return backends[backends.length - 1];
}

/**
 * Sends a copy of the routed request to each mirror whose share it falls in, and forgets it: the
 * copy's answer is dropped, it is never retried, and the original does not wait for it
 * (Envoy request_mirror_policies; Istio VirtualService mirror, FIDELITY B5).
 */
function mirror(ex: Exchange, rule: RouteRule): void {
  const { world, proxy, req } = ex;
  for (const m of rule.mirrors ?? []) {
    if (!proxy.rng.chance(m.fraction)) continue;
    const copy: HttpRequest = {
      id: world.newRequestId(),
      method: req.method,
      path: req.path,
      headers: { ...req.headers },
      bodyBytes: req.bodyBytes,
      host: `${req.host}${m.hostSuffix}`,
      ...(req.port === undefined ? {} : { port: req.port }),
      labelName: new TraceName(`${req.labelName.text} (mirror)`),
      client: req.client,
      startMs: world.now,
      ...(req.downstream === undefined ? {} : { downstream: req.downstream }),
      shadow: {
        of: req.id,
        rule: { name: `${rule.name} mirror`, matches: [], backends: [m.backend], retry: null, noRetryCause: m.cause, timeouts: rule.timeouts, cause: m.cause },
      },
    };
    const to = `${m.backend.service}${m.backend.subset ? `/${m.backend.subset.name}` : ''}`;
    world.decide({
      node: proxy.node,
      layer: 'route',
      kind: 'mirror',
      summary: `${req.labelName.text}: a copy goes to ${to} (Host ${copy.host}); its answer will be ignored`,
      cause: m.cause,
      requestId: req.id,
    });
    proxy.send(copy, () => {});
  }
}

/** A mirrored copy: no route matching, straight to the mirror's backend. */
function routeShadow(ex: Exchange, rule: RouteRule, next: Handler, respond: Respond): void {
  const { world, proxy } = ex;
  const backend = rule.backends[0]!;
  ex.rule = rule;
  ex.backend = backend;
  if (backend.external) {
    ex.external = world.externalFor(backend.service, ex.req.port);
    return next(ex, respond);
  }
  const service = world.services.get(backend.service);
  if (!service)
    return respond({ status: 0, failure: 'no-endpoint', reason: `no service ${backend.service} to mirror to`, local: true, loopback: true, mtls: false });
  ex.service = service;
  world.controlPlane.discover(proxy, service, () => next(ex, respond));
}

/** No route takes the request: the mesh's own reply, answered at the client's proxy. */
function noRoute(ex: Exchange, respond: Respond, why: string): void {
  const { world, proxy, req } = ex;
  const reply = world.profile.replies.noRoute;
  world.decide({ node: proxy.node, layer: 'route', kind: 'no-route', summary: why, cause: reply.cause, requestId: req.id });
  respond({ status: reply.status, reason: reply.reason, local: true, loopback: true, mtls: false });
}

/** The rule and backend for the request, once the proxy knows `service` (the host's, if it names one). */
function route(ex: Exchange, next: Handler, respond: Respond, service: ServiceRuntime | undefined, external: ExternalHost | undefined): void {
  const { world, proxy, req } = ex;
  const routes = proxy.config.routesFor(proxy, req.host, external);
  if (!routes) {
    // No route of the mesh's own: an outside host leaves as it is (subject to egress policy).
    if (external) {
      ex.external = external;
      return next(ex, respond);
    }
    return noRoute(ex, respond, `no route to ${req.host}`);
  }
  // The port the app addressed: the service's, or the outside host's (one port each).
  const rule = matchRule(routes.rules, req, service?.spec.port ?? external?.port, routes.precedence);
  if (!rule) return noRoute(ex, respond, `no rule for ${req.host} matches ${req.method} ${req.path}`);
  ex.rule = rule;
  ex.backend = pickBackend(rule.backends, proxy.rng.next());
  const backend = ex.backend!;
  if (backend.external) ex.external = world.externalFor(backend.service, backend.port ?? req.port);
  // A route with one rule and one backend is no choice: recorded once per proxy, not per request.
  if (routes.rules.length > 1 || rule.backends.length > 1 || proxy.firstRoute(proxy.configVersion, routes.service)) {
    const split = rule.backends.length > 1 ? ` (weights ${rule.backends.map((b) => `${b.subset?.name ?? b.service}:${b.weight}`).join(', ')})` : '';
    const to = `${backend.service}${backend.subset ? `/${backend.subset.name}` : ''}`;
    world.decide({
      node: proxy.node,
      layer: 'route',
      kind: 'route',
      summary: `${req.labelName.text} → ${to} by rule ${rule.name}${split}`,
      cause: rule.cause,
      requestId: req.id,
    });
  }
  const fault = rule.fault;
  if (fault?.abort && proxy.rng.chance(fault.abort.fraction)) {
    world.decide({
      node: proxy.node,
      layer: 'route',
      kind: 'fault-abort',
      summary: `fault injection: abort with ${fault.abort.status}`,
      cause: fault.cause,
      requestId: req.id,
    });
    return respond({ status: fault.abort.status, reason: `FI fault injected abort`, local: true, mtls: false });
  }
  if (fault?.delay && proxy.rng.chance(fault.delay.fraction)) {
    world.decide({
      node: proxy.node,
      layer: 'route',
      kind: 'fault-delay',
      summary: `fault injection: delay ${fault.delay.ms}ms`,
      cause: fault.cause,
      requestId: req.id,
    });
    world.scheduler.after(fault.delay.ms, () => {
      next(ex, respond);
      if (rule.mirrors) mirror(ex, rule);
    });
    return;
  }
  next(ex, respond);
  // The copy follows the original out (the original does not wait for it).
  if (rule.mirrors) mirror(ex, rule);
}

export const routeLayer: OutboundLayer = {
  name: 'route',
  wrap: (next) => (ex, respond) => {
    const { world, proxy, req } = ex;
    if (req.shadow) return routeShadow(ex, req.shadow.rule, next, respond);
    const service = world.serviceByHost(req.host);
    const external = world.externalFor(req.host, req.port);
    if (!service) return route(ex, next, respond, service, external);
    ex.service = service;
    // Linkerd resolves a destination on first use; Istio already holds the pushed config. A
    // destination known already is routed at once, with no callback made for it.
    const cp = world.controlPlane;
    if (cp.discovered(proxy, service)) return route(ex, next, respond, service, external);
    cp.discover(proxy, service, () => route(ex, next, respond, service, external));
  },
};
