/** Scenario files: schema, loading with located errors, JSON Schema export. Data only. */
export * from './schema.ts';
export * from './units.ts';
export * from './load.ts';
export { podNames, serviceKeys, serviceOfHost, shortName } from './names.ts';
export { scenarioJsonSchema } from './jsonSchema.ts';
export * from './meshReleases.ts';
export { pathString } from './problem.ts';
export * from './catalog.ts';
export * from './nativeSections.ts';
export { namedMeshes, sectionResources } from './scenarioMeshes.ts';
export type { NativeSection, SectionContext, PodGroup, RawService } from './sections.ts';
export type * from './native/istio.ts';
export type * from './native/linkerd.ts';
export type * from './native/consul.ts';
export type * from './native/osm.ts';
