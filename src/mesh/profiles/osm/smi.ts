/**
 * SMI traffic policy mode (permissive mode off): a request reaches a pod only when a
 * TrafficTarget names the pod's service account as destination, the caller's service account
 * among its sources, and a rule the request matches — an HTTPRouteGroup match (path regex,
 * methods, headers) or a TCPRoute port. Everything else is denied (FIDELITY-MORE J3, J4). The
 * destination sidecar's inbound RBAC answers 403 (FIDELITY-MORE J3 [inference, weak]; OSM also
 * leaves the client without an outbound route to a service it may not call, which mesh-sim does
 * not draw: the request goes out and is refused at the destination).
 */
import type { Cause } from '../../../sim/index.ts';
import type { LoadedScenario, OsmHttpRouteGroup, OsmTcpRoute, OsmTrafficTarget } from '../../../scenario/index.ts';
import type { AuthzRequest, AuthzVerdict } from '../../config.ts';
import type { Workload } from '../../types.ts';
import { matches } from '../../proxy/layers/routeLayer.ts';
import { nsOf, resourceCause, type SourcedResource } from '../resources.ts';
import { identityOfOsm } from './identity.ts';

type Match = OsmHttpRouteGroup['spec']['matches'][number];

/** Whether `req` satisfies one HTTPRouteGroup match (all of path, method and headers it sets). */
export function smiMatch(m: Match, req: Pick<AuthzRequest, 'method' | 'path' | 'headers'>): boolean {
  if (m.pathRegex !== undefined && !matches({ kind: 'regex', value: m.pathRegex }, req.path.split('?')[0]!)) return false;
  if (m.methods && m.methods.length > 0 && !m.methods.includes('*') && !m.methods.includes(req.method)) return false;
  return Object.entries(m.headers ?? {}).every(([name, value]) => {
    const v = req.headers[name.toLowerCase()];
    return v !== undefined && matches({ kind: 'regex', value }, v);
  });
}

/** The authorizer of SMI mode; `modeCause` says why the mesh is in it. */
export function smiAuthorizer(
  scenario: LoadedScenario,
  targets: SourcedResource<OsmTrafficTarget>[],
  groups: SourcedResource<OsmHttpRouteGroup>[],
  tcpRoutes: SourcedResource<OsmTcpRoute>[],
  modeCause: Cause,
): (w: Workload, req: AuthzRequest) => AuthzVerdict {
  const group = (name: string, ns: string) => groups.find((g) => g.resource.metadata.name === name && nsOf(g.resource) === ns);
  const tcp = (name: string, ns: string) => tcpRoutes.find((g) => g.resource.metadata.name === name && nsOf(g.resource) === ns);
  const deny = (summary: string, cause: Cause): AuthzVerdict => ({ allow: false, status: 403, reason: 'RBAC: access denied', summary, cause });
  return (w, req) => {
    const mine = targets.filter((t) => {
      const d = t.resource.spec.destination;
      return d.name === w.serviceAccount && (d.namespace ?? nsOf(t.resource)) === w.namespace;
    });
    if (mine.length === 0)
      return deny(`SMI mode: no TrafficTarget names ${w.serviceAccount} as a destination, so nothing may call ${w.service.name}`, modeCause);
    const peer = req.mtls ? req.peerIdentity : undefined;
    const fromSource = mine.filter((t) =>
      t.resource.spec.sources.some((s) => peer !== undefined && identityOfOsm(s.name, s.namespace ?? nsOf(t.resource)) === peer),
    );
    if (fromSource.length === 0) {
      const t = mine[0]!;
      return deny(
        `SMI mode: ${peer ?? 'a caller without a mesh identity'} is not a source of TrafficTarget ${t.resource.metadata.name}`,
        resourceCause(scenario, t, '.spec.sources', '.spec.sources', 'FIDELITY-MORE J3: SMI mode denies what no TrafficTarget allows'),
      );
    }
    for (const t of fromSource) {
      const ns = nsOf(t.resource);
      for (const [j, rule] of t.resource.spec.rules.entries()) {
        if (rule.kind === 'TCPRoute') {
          const route = tcp(rule.name, ns);
          const ports = route?.resource.spec.matches?.ports;
          if (route && (!ports || ports.length === 0 || ports.includes(req.port)))
            return {
              allow: true,
              summary: `TrafficTarget ${t.resource.metadata.name} allows ${peer} on TCPRoute ${rule.name}`,
              cause: resourceCause(scenario, t, `.spec.rules[${j}]`, `.spec.rules[${j}]`, 'FIDELITY-MORE J4: TrafficTarget with a TCPRoute'),
            };
          continue;
        }
        const g = group(rule.name, ns);
        const picked = (g?.resource.spec.matches ?? []).filter((m) => !rule.matches || rule.matches.includes(m.name));
        const hit = picked.find((m) => smiMatch(m, req));
        if (hit)
          return {
            allow: true,
            summary: `TrafficTarget ${t.resource.metadata.name} allows ${peer} for ${req.method} ${req.path} (HTTPRouteGroup ${rule.name} match ${hit.name})`,
            cause: resourceCause(scenario, t, `.spec.rules[${j}]`, `.spec.rules[${j}]`, 'FIDELITY-MORE J4: TrafficTarget + HTTPRouteGroup'),
          };
      }
    }
    const t = fromSource[0]!;
    return deny(
      `SMI mode: ${req.method} ${req.path} matches no rule TrafficTarget ${t.resource.metadata.name} gives ${peer}`,
      resourceCause(scenario, t, '.spec.rules', '.spec.rules', 'FIDELITY-MORE J4: only the HTTPRouteGroup matches a TrafficTarget names are allowed'),
    );
  };
}
