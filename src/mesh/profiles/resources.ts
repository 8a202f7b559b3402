/**
 * Native resources as a profile compiles them: each one remembers where it came from — a path in
 * the scenario file (`istio[2]`), or the mesh-neutral policy it was generated from
 * (`policies.retries[0]`) — so every compiled rule can cite the line that caused it.
 */
import type { Cause } from '../../sim/index.ts';
import type { LoadedScenario, SectionKey, SectionResource, ServiceSpec } from '../../scenario/index.ts';
import { fileCause } from '../cause.ts';
import { shortName } from '../../scenario/index.ts';

export interface SourcedResource<R> {
  resource: R;
  /** Path of the resource (or of the policy that generated it) in the scenario file. */
  path: string;
  generated: boolean;
}

/** The scenario's own resources of one native section (`istio:`), each with its path in the file. */
export function authoredResources<K extends SectionKey>(scenario: LoadedScenario, key: K): SourcedResource<SectionResource<K>>[] {
  return (scenario[key] as SectionResource<K>[]).map((resource, i) => ({
    resource,
    path: scenario.resourcePaths?.[key]?.[i] ?? `${key}[${i}]`,
    generated: false,
  }));
}

/** The resources of one kind, typed as that kind. */
export function ofKind<R extends { kind: string }, K extends R['kind']>(
  all: readonly SourcedResource<R>[],
  kind: K,
): SourcedResource<Extract<R, { kind: K }>>[] {
  return all.filter((r): r is SourcedResource<Extract<R, { kind: K }>> => r.resource.kind === kind);
}

/** A namespaced resource's namespace; Kubernetes puts a resource that names none in `default`. */
export function nsOf(r: { metadata: { namespace?: string | undefined } }): string {
  return r.metadata.namespace ?? 'default';
}

/** A cause naming `kind name field`, with the line of `path + suffix` in the file. */
export function resourceCause(
  scenario: LoadedScenario,
  r: SourcedResource<{ kind: string; metadata: { name: string } }>,
  field: string,
  suffix: string,
  source: string,
): Cause {
  const what = `${r.resource.kind} ${r.resource.metadata.name}${field ? ` ${field}` : ''}${r.generated ? ` (generated from ${r.path})` : ''}`;
  const path = r.generated ? r.path : `${r.path}${suffix}`;
  return fileCause(scenario, what, scenario.source.lines[path] === undefined ? r.path : path, source);
}

/** Labels a pod carries: `app: <service>` and `version: <v>` (used by selectors and subsets); a service keyed `httpbin.foo` labels its pods `app: httpbin`. */
export function podLabels(service: ServiceSpec, version: string | undefined): Record<string, string> {
  const app = shortName(service.name);
  return version ? { app, version } : { app };
}

/** Whether `labels` satisfy a matchLabels selector. */
export function selects(matchLabels: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
}
