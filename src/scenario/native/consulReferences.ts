/**
 * Cross-reference checks of the `consul:` section the schema cannot make: the services, subsets,
 * gateways and external hosts its entries name must exist in the scenario, and the entries
 * Consul keeps one of (one ServiceIntentions per destination, as consul-k8s's webhook enforces)
 * must not repeat. Reads raw data defensively, like the other sections' checks.
 */
import { describe } from '../units.ts';
import { isObj, list, str, type Obj } from '../raw.ts';
import type { SectionContext } from '../sections.ts';
import { subsetFilterMatches } from './consulFilter.ts';

type Path = (string | number)[];

/** Checks the Consul resources in force. */
export function checkConsulReferences(consul: readonly unknown[], ctx: SectionContext): void {
  const serviceNames = [...ctx.serviceNames];
  const at = (i: number, ...p: Path): Path => [ctx.key, i, ...p];
  const entries = consul.map((r, i) => ({ r, i })).filter((x): x is { r: Obj; i: number } => isObj(x.r) && isObj(x.r.metadata));
  const named = (kind: string): { r: Obj; i: number; name: string }[] =>
    entries.filter((x) => x.r.kind === kind).map((x) => ({ ...x, name: str((x.r.metadata as Obj).name) ?? '' }));

  // Services outside the mesh declared as transparent-proxy destinations (ServiceDefaults destination).
  const destinations = named('ServiceDefaults')
    .filter((x) => isObj(x.r.spec) && x.r.spec.destination !== undefined)
    .map((x) => x.name);
  const gateways = [...named('Gateway').map((x) => x.name), ...named('TerminatingGateway').map((x) => x.name)];
  // Subsets each service's resolver defines, by name, with their filters.
  const subsets = new Map<string, Map<string, string | undefined>>();
  for (const x of named('ServiceResolver')) {
    const spec = isObj(x.r.spec) ? x.r.spec : {};
    const own = new Map<string, string | undefined>();
    if (isObj(spec.subsets)) for (const [k, v] of Object.entries(spec.subsets)) own.set(k, isObj(v) ? str(v.filter) : undefined);
    subsets.set(x.name, own);
  }
  const subsetOf = (service: unknown, subset: unknown, path: Path): void => {
    if (typeof service !== 'string' || typeof subset !== 'string' || !serviceNames.includes(service)) return;
    const own = subsets.get(service);
    if (!own?.has(subset))
      ctx.report({
        path,
        message: `names subset ${describe(subset)} that no ServiceResolver for ${describe(service)} defines${own?.size ? ` (it defines ${[...own.keys()].join(', ')})` : ''}`,
      });
  };

  for (const x of named('ServiceDefaults')) {
    const spec = isObj(x.r.spec) ? x.r.spec : {};
    if (isObj(spec.destination)) {
      // An address names an external host of the scenario (serviceHost also lets a service name by).
      list(spec.destination.addresses).forEach((a, j) => ctx.serviceHost(a, at(x.i, 'spec', 'destination', 'addresses', j), true));
    } else ctx.mustBe(x.name, at(x.i, 'metadata', 'name'), 'a service', serviceNames);
    if (isObj(spec.upstreamConfig))
      list(spec.upstreamConfig.overrides).forEach((o, j) => {
        if (isObj(o)) ctx.mustBe(o.name, at(x.i, 'spec', 'upstreamConfig', 'overrides', j, 'name'), 'a service', [...serviceNames, ...destinations]);
      });
  }
  for (const kind of ['ServiceRouter', 'ServiceSplitter', 'ServiceResolver']) {
    for (const x of named(kind)) ctx.mustBe(x.name, at(x.i, 'metadata', 'name'), 'a service', serviceNames);
  }
  for (const x of named('ServiceRouter')) {
    const spec = isObj(x.r.spec) ? x.r.spec : {};
    list(spec.routes).forEach((route, j) => {
      if (!isObj(route) || !isObj(route.destination)) return;
      const d = route.destination;
      ctx.mustBe(d.service, at(x.i, 'spec', 'routes', j, 'destination', 'service'), 'a service', serviceNames);
      subsetOf(d.service ?? x.name, d.serviceSubset, at(x.i, 'spec', 'routes', j, 'destination', 'serviceSubset'));
    });
  }
  for (const x of named('ServiceSplitter')) {
    const spec = isObj(x.r.spec) ? x.r.spec : {};
    list(spec.splits).forEach((s, j) => {
      if (!isObj(s)) return;
      ctx.mustBe(s.service, at(x.i, 'spec', 'splits', j, 'service'), 'a service', serviceNames);
      subsetOf(s.service ?? x.name, s.serviceSubset, at(x.i, 'spec', 'splits', j, 'serviceSubset'));
    });
  }
  for (const x of named('ServiceResolver')) {
    const spec = isObj(x.r.spec) ? x.r.spec : {};
    const svc = ctx.services.find((s) => s.name === x.name);
    if (typeof spec.defaultSubset === 'string') subsetOf(x.name, spec.defaultSubset, at(x.i, 'spec', 'defaultSubset'));
    if (isObj(spec.subsets) && svc)
      for (const [name, sub] of Object.entries(spec.subsets)) {
        const filter = isObj(sub) ? str(sub.filter) : undefined;
        // Each pod's service meta: its version, as consul.hashicorp.com/service-meta-version would set it (FIDELITY-MORE I5).
        const versions = svc.versions ?? [];
        if (filter !== undefined && !versions.some((v) => subsetFilterMatches(filter, { version: v })) && !subsetFilterMatches(filter, {}))
          ctx.report({
            path: at(x.i, 'spec', 'subsets', name, 'filter'),
            message: `selects no pod: service ${describe(x.name)} has versions ${versions.length ? versions.join(', ') : '(none declared)'} (each pod's Service.Meta.version)`,
          });
      }
    if (isObj(spec.redirect)) {
      ctx.mustBe(spec.redirect.service, at(x.i, 'spec', 'redirect', 'service'), 'a service', serviceNames);
      subsetOf(spec.redirect.service ?? x.name, spec.redirect.serviceSubset, at(x.i, 'spec', 'redirect', 'serviceSubset'));
    }
    if (isObj(spec.failover))
      for (const [key, f] of Object.entries(spec.failover)) {
        if (key !== '*') subsetOf(x.name, key, at(x.i, 'spec', 'failover', key));
        if (!isObj(f)) continue;
        ctx.mustBe(f.service, at(x.i, 'spec', 'failover', key, 'service'), 'a service', serviceNames);
        subsetOf(f.service ?? x.name, f.serviceSubset, at(x.i, 'spec', 'failover', key, 'serviceSubset'));
        list(f.targets).forEach((t, j) => {
          if (!isObj(t)) return;
          ctx.mustBe(t.service, at(x.i, 'spec', 'failover', key, 'targets', j, 'service'), 'a service', serviceNames);
          subsetOf(t.service ?? x.name, t.serviceSubset, at(x.i, 'spec', 'failover', key, 'targets', j, 'serviceSubset'));
        });
      }
  }
  // Intentions may name any Consul service, registered or not; here a name must be something the
  // scenario has, so a typo is an error rather than an intention that silently matches nothing.
  const byDestination = new Map<string, number>();
  for (const x of named('ServiceIntentions')) {
    const spec = isObj(x.r.spec) ? x.r.spec : {};
    const dest = isObj(spec.destination) ? spec.destination.name : undefined;
    if (dest !== '*') ctx.mustBe(dest, at(x.i, 'spec', 'destination', 'name'), 'a service', [...serviceNames, ...destinations]);
    if (typeof dest === 'string') {
      const first = byDestination.get(dest);
      // consul-k8s's webhook: one ServiceIntentions per destination (the config entry is named after it).
      if (first !== undefined)
        ctx.report({
          path: at(x.i, 'spec', 'destination', 'name'),
          message: `repeats destination ${describe(dest)}: consul-k8s admits one ServiceIntentions per destination`,
          first: { path: at(first, 'spec', 'destination', 'name'), text: 'first declared' },
        });
      else byDestination.set(dest, x.i);
    }
    list(spec.sources).forEach((s, j) => {
      if (isObj(s) && s.name !== '*') ctx.mustBe(s.name, at(x.i, 'spec', 'sources', j, 'name'), 'a service or gateway', [...serviceNames, ...gateways]);
    });
  }
  for (const x of named('TerminatingGateway')) {
    const spec = isObj(x.r.spec) ? x.r.spec : {};
    list(spec.services).forEach((s, j) => {
      if (isObj(s)) ctx.mustBe(s.name, at(x.i, 'spec', 'services', j, 'name'), 'a destination (a ServiceDefaults with spec.destination)', destinations);
    });
  }
  const apiGateways = named('Gateway').map((x) => x.name);
  for (const x of named('HTTPRoute')) {
    const spec = isObj(x.r.spec) ? x.r.spec : {};
    list(spec.parentRefs).forEach((p, j) => isObj(p) && ctx.mustBe(p.name, at(x.i, 'spec', 'parentRefs', j, 'name'), 'a Gateway', apiGateways));
    list(spec.rules).forEach((rule, j) => {
      if (isObj(rule))
        list(rule.backendRefs).forEach(
          (b, k) => isObj(b) && ctx.mustBe(b.name, at(x.i, 'spec', 'rules', j, 'backendRefs', k, 'name'), 'a service', serviceNames),
        );
    });
  }
}
