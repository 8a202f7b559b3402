/**
 * Cross-reference checks of the `osm:` section: services a TrafficSplit, Retry,
 * UpstreamTrafficSetting or IngressBackend names; service accounts of TrafficTargets, Retries and
 * Egress policies; the HTTPRouteGroup / TCPRoute a TrafficTarget rule names, and the match names it
 * picks. OSM would accept most of these and silently do nothing; in a lesson they are mistakes,
 * so they are reported where they are written.
 */
import { isObj, list, str, type Obj } from '../raw.ts';
import type { SectionContext } from '../sections.ts';

/** Checks the OSM resources in force. */
export function checkOsmReferences(resources: readonly unknown[], ctx: SectionContext): void {
  const { key, serviceNames } = ctx;
  const accounts = [...new Set(ctx.groups.map((g) => g.serviceAccount))];
  const named = (kind: string): Map<string, Obj> =>
    new Map(
      resources
        .filter((x): x is Obj => isObj(x) && x.kind === kind && isObj(x.metadata) && isObj(x.spec))
        .map((x) => [str((x.metadata as Obj).name) ?? '', x.spec as Obj]),
    );
  const groups = named('HTTPRouteGroup');
  const tcpRoutes = named('TCPRoute');
  let meshConfigs = 0;
  resources.forEach((r, i) => {
    if (!isObj(r) || !isObj(r.spec)) return;
    const spec = r.spec;
    const at = (...p: (string | number)[]) => [key, i, 'spec', ...p];
    const account = (v: unknown, ...p: (string | number)[]) => isObj(v) && ctx.mustBe(v.name, at(...p, 'name'), 'a service account', accounts);
    switch (r.kind) {
      case 'MeshConfig':
        if (++meshConfigs > 1)
          ctx.report({ path: [key, i, 'kind'], message: 'is a second MeshConfig: OSM reads one (osm-mesh-config in the controller’s namespace)' });
        break;
      case 'TrafficSplit':
        if (typeof spec.service === 'string') ctx.serviceHost(spec.service, at('service'), false);
        list(spec.backends).forEach((b, j) => isObj(b) && ctx.mustBe(b.service, at('backends', j, 'service'), 'a service', serviceNames));
        break;
      case 'TrafficTarget':
        account(spec.destination, 'destination');
        list(spec.sources).forEach((s, j) => account(s, 'sources', j));
        list(spec.rules).forEach((rule, j) => {
          if (!isObj(rule)) return;
          const table = rule.kind === 'TCPRoute' ? tcpRoutes : groups;
          ctx.mustBe(rule.name, at('rules', j, 'name'), `a ${str(rule.kind) ?? 'HTTPRouteGroup'} in the section`, [...table.keys()]);
          const group = groups.get(str(rule.name) ?? '');
          if (rule.kind === 'HTTPRouteGroup' && group) {
            const names = list(group.matches).flatMap((m) => (isObj(m) && typeof m.name === 'string' ? [m.name] : []));
            list(rule.matches).forEach((m, k) => ctx.mustBe(m, at('rules', j, 'matches', k), `a match of HTTPRouteGroup ${str(rule.name)}`, names));
          }
        });
        break;
      case 'Retry':
        account(spec.source, 'source');
        list(spec.destinations).forEach((d, j) => isObj(d) && ctx.mustBe(d.name, at('destinations', j, 'name'), 'a service', serviceNames));
        break;
      case 'Egress':
        list(spec.sources).forEach((s, j) => account(s, 'sources', j));
        break;
      case 'UpstreamTrafficSetting':
        if (typeof spec.host === 'string') ctx.serviceHost(spec.host, at('host'), false);
        break;
      case 'IngressBackend':
        list(spec.backends).forEach((b, j) => isObj(b) && ctx.mustBe(b.name, at('backends', j, 'name'), 'a service', serviceNames));
        break;
    }
  });
}
