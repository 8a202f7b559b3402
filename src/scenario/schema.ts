/**
 * The scenario file (DESIGN.md "Scenario files"): the one definition of its format. TypeScript
 * types and the JSON Schema for editors both come from here. Every object is strict: an unknown
 * key is an error (with a "did you mean"), never silently ignored. The parts live beside it: the
 * world (schemaWorld.ts), faults and policies (schemaRules.ts), the lesson (schemaLesson.ts).
 */
import { z } from './zodSetup.ts';
import { durationMs, positiveDurationMs, wholeNumber } from './units.ts';
import { COMPARE_PANES, MESH_CATALOG, catalogRevision, meshCatalog, type MeshEntry } from './catalog.ts';
import { NATIVE_SECTIONS, nativeSections } from './nativeSections.ts';
import type { NativeSection } from './sections.ts';
import { MESH_RELEASES, unknownRelease } from './meshReleases.ts';
import { clientSchema, dnsName, externalSchema, ingressSchema, nodesSchema, serviceSchema, trafficSchema } from './schemaWorld.ts';
import { faultSchema, policiesSchema } from './schemaRules.ts';
import { checkpointSchema, expectationSchema, narrationSchemaOf } from './schemaLesson.ts';

export { clientSchema, clusterNodeSchema, externalSchema, ingressSchema, nodesSchema, serviceSchema, trafficSchema } from './schemaWorld.ts';
export { faultSchema, policiesSchema } from './schemaRules.ts';
export { CHECKPOINT_MEASURES, checkpointSchema, expectationSchema } from './schemaLesson.ts';

/**
 * The scenario schema for the given sections and meshes (the catalog's): each section is a list
 * at the top level and in each of `changes`, each mesh an `expect` key and a narration `mesh:`
 * value. Sections sit where `istio` and `linkerd` always sat, so messages and the JSON Schema keep
 * their order.
 */
function scenarioSchemaOf<L extends Record<string, z.ZodType>>(lists: L, sections: readonly NativeSection[], meshes: readonly MeshEntry[]) {
  const keys = Object.keys(lists) as (keyof L & string)[];
  const about = (key: string): NativeSection => sections.find((s) => s.key === key)!;
  const readers = (key: string): string =>
    meshes
      .filter((m) => m.section === key)
      .map((m) => m.name)
      .join(' or ');
  const section = Object.fromEntries(
    keys.map((k) => [
      k,
      z
        .array(lists[k]!)
        .default([])
        .describe(
          about(k).description ?? `Native ${about(k).title} resources, exactly as you would kubectl apply them; used when the run is under ${readers(k)}.`,
        ),
    ]),
  ) as { [K in keyof L]: z.ZodDefault<z.ZodArray<L[K]>> };
  const changed = Object.fromEntries(
    keys.map((k) => [
      k,
      z
        .array(lists[k]!)
        .optional()
        .describe(`${about(k).title} resources added, or replacing the one of the same kind, name and namespace.`),
    ]),
  ) as { [K in keyof L]: z.ZodOptional<z.ZodArray<L[K]>> };
  const ids = meshes.map((m) => m.id);
  const meshId = z.enum(ids as [string, ...string[]]);
  const expectations = Object.fromEntries(meshes.map((m) => [m.id, expectationSchema.optional().describe(`Under ${m.name}.`)])) as Record<
    string,
    z.ZodOptional<typeof expectationSchema>
  >;
  return z.strictObject({
    id: dnsName.describe("The scenario's id: lowercase letters, digits and dashes; the ?scenario= parameter for a library scenario."),
    title: z.string().min(1).describe('The title the learner sees.'),
    description: z.string().optional().describe('What the scenario shows, a few sentences under the title.'),
    seed: wholeNumber(0, 2 ** 32 - 1)
      .default(1)
      .describe('The random seed: the same seed gives the same run, in Node and in the browser (default 1).'),
    duration: positiveDurationMs.describe('How long the run lasts in simulated time (10s; units ms, s, m, h).'),
    /**
     * warm: at 0s the mesh is already running (pods ready, certificates issued, config pushed);
     * cold: watch it start — sidecar injection, identity bootstrap, the first config push.
     */
    startup: z
      .enum(['warm', 'cold'])
      .default('warm')
      .describe('warm (the default): at 0s the mesh is already running; cold: watch it start — sidecar injection, identity bootstrap, the first config push.'),
    network: z
      .strictObject({
        /** One-way latency between two pods, and between a pod and the control plane. */
        latency: durationMs.prefault('1ms').describe('One-way latency between two pods, and between a pod and the control plane (default 1ms).'),
        /** How long Kubernetes takes to tell the control plane that a pod's readiness changed. */
        endpointDelay: durationMs
          .prefault('500ms')
          .describe("How long Kubernetes takes to tell the control plane that a pod's readiness changed (default 500ms)."),
      })
      .prefault({})
      .describe("The cluster network's timing: latency between pods, and how fast endpoint changes reach the control plane."),
    nodes: nodesSchema
      .optional()
      .describe(
        'The Kubernetes nodes: how many (node-1, node-2, …), or each by name with the pods pinned to it. Unset: two nodes, pods spread over them in turn.',
      ),
    services: z
      .array(serviceSchema)
      .min(1, { message: 'must list at least one service' })
      .describe('The services in the cluster, each with its pods (an app beside a sidecar proxy, unless meshed: false).'),
    external: z.array(externalSchema).default([]).describe('Hosts outside the cluster that traffic can reach (egress).'),
    clients: z.array(clientSchema).default([]).describe('Callers outside the cluster, which reach it through the ingress.'),
    ingress: ingressSchema
      .optional()
      .describe("The cluster's front door, mesh-neutral: Istio gets an ingress Gateway and a VirtualService, Linkerd a meshed ingress-nginx."),
    traffic: z
      .array(trafficSchema)
      .default([])
      .describe('Who sends requests to whom, when and how often: open loop (rate), one request (at) or closed loop (count).'),
    faults: z
      .array(faultSchema)
      .default([])
      .describe(
        'How the apps and the network misbehave — errors, scripted responses, delay, crashes, certificates, cut links, the control plane down — for the mesh to cope with.',
      ),
    policies: policiesSchema
      .prefault({})
      .describe("Mesh-neutral intent, mapped to each mesh's own mechanism: mtls, retries, timeouts, circuitBreaking, loadBalancing, egress."),
    ...section,
    /**
     * The release each mesh runs as (`istio: "1.23"`), where behaviour differs between releases;
     * unset, the current line (meshReleases.ts). The URL (`?istio=1.23`) can choose another.
     */
    meshVersions: z
      .strictObject({
        istio: z
          .enum(MESH_RELEASES.istio.known, { error: (iss) => unknownRelease('istio', iss.input)! })
          .optional()
          .describe('The Istio release, quoted ("1.23"); unset, the current line.'),
        linkerd: z
          .enum(MESH_RELEASES.linkerd.known, { error: (iss) => unknownRelease('linkerd', iss.input)! })
          .optional()
          .describe('The Linkerd release, quoted; unset, the current line.'),
        consul: z
          .enum(MESH_RELEASES.consul.known, { error: (iss) => unknownRelease('consul', iss.input)! })
          .optional()
          .describe('The Consul release, quoted ("2.0"); unset, the current line.'),
        osm: z
          .enum(MESH_RELEASES.osm.known, { error: (iss) => unknownRelease('osm', iss.input)! })
          .optional()
          .describe('The OSM release line, quoted ("1.2", its last: v1.2.4).'),
      })
      .optional()
      .describe(
        'The release each mesh runs as, where behaviour differs between releases (istio: "1.23"); unset, the current line. The URL (?istio=1.23) can choose another.',
      ),
    /**
     * Config changes during the run, as an operator would apply them: policies replaced key by key,
     * native resources added (or replacing the one of the same kind, name and namespace). The
     * control plane propagates each change; proxies switch when the push reaches them.
     */
    changes: z
      .array(
        z.strictObject({
          at: durationMs.describe('When the change is applied; the control plane then propagates it.'),
          policies: policiesSchema.optional().describe('Policies replaced, key by key.'),
          ...changed,
        }),
      )
      .default([])
      .describe(
        "Config changes during the run, as an operator would apply them: istiod pushes after its debounce, Linkerd's watches at once, and proxies switch when the push reaches them.",
      ),
    narration: z
      .array(narrationSchemaOf(meshId))
      .default([])
      .describe('The story told beside the picture: lines at a time, or at the first event of a kind, for both meshes or one.'),
    checkpoints: z
      .array(checkpointSchema)
      .default([])
      .describe('Predict-then-reveal questions: playback pauses, the learner answers, and the answer measured in the run is revealed.'),
    /**
     * The meshes the scenario is written for: `check` runs it under each, and each needs its
     * `expect` block in the library. Without it, the meshes `expect` names.
     */
    meshes: z
      .array(meshId)
      .min(1, { message: 'must list at least one mesh' })
      .optional()
      .describe('The meshes the scenario is written for: check runs it under each. Unset, the meshes expect names.'),
    /**
     * The meshes compare mode shows side by side when the learner asks for no others: 2 to 6
     * meshes the scenario is written for ({@link COMPARE_PANES}). Unset, the first two it is written for.
     */
    compare: z
      .array(meshId)
      .min(COMPARE_PANES.min, { message: `must list ${COMPARE_PANES.min} to ${COMPARE_PANES.max} meshes` })
      .max(COMPARE_PANES.max, { message: `must list ${COMPARE_PANES.min} to ${COMPARE_PANES.max} meshes` })
      .optional()
      .describe(
        `The meshes compare mode shows side by side by default (${COMPARE_PANES.min} to ${COMPARE_PANES.max} the scenario is written for). Unset, the first two it is written for.`,
      ),
    expect: z
      .strictObject(expectations)
      .default({})
      .describe('What npm run sim -- check verifies of the run under each mesh: figures of the run report compared with ">= 0.99"-style conditions.'),
  });
}

const resourcesOf = (sections: readonly NativeSection[]): Record<string, z.ZodType> => Object.fromEntries(sections.map((s) => [s.key, s.resource]));

/** The schema of the shipped catalog, which gives the scenario types. */
const shippedSchema = scenarioSchemaOf(
  Object.fromEntries(Object.values(NATIVE_SECTIONS).map((s) => [s.key, s.resource])) as {
    [K in keyof typeof NATIVE_SECTIONS]: (typeof NATIVE_SECTIONS)[K]['resource'];
  },
  Object.values(NATIVE_SECTIONS),
  MESH_CATALOG,
);
// Revision 0 is the shipped catalog, whatever the revision is when this module loads: in a build
// the schemas load lazily, after extension modules have registered their meshes.
let built = { revision: 0, schema: shippedSchema };

/**
 * The scenario schema for the catalog as it stands: the shipped one, rebuilt once after a mesh
 * or section is registered. The one definition of the file's format.
 */
export function scenarioSchema(): typeof shippedSchema {
  if (built.revision !== catalogRevision()) {
    const sections = nativeSections();
    const schema = scenarioSchemaOf(resourcesOf(sections), sections, meshCatalog()) as unknown as typeof shippedSchema;
    built = { revision: catalogRevision(), schema };
  }
  return built.schema;
}

/** A validated scenario, with durations in ms and percentages as fractions. */
export type Scenario = z.output<typeof shippedSchema>;
export type ServiceSpec = z.output<typeof serviceSchema>;
export type TrafficSpec = z.output<typeof trafficSchema>;
export type FaultSpec = z.output<typeof faultSchema>;
export type Policies = z.output<typeof policiesSchema>;
export type Expectation = z.output<typeof expectationSchema>;
export type NarrationSpec = Scenario['narration'][number];
export type CheckpointSpec = z.output<typeof checkpointSchema>;
