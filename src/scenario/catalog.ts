/**
 * The mesh catalog: every mesh a scenario can be simulated under, as data. Each entry names the
 * native section its resources are read from (Istio's ambient mode will read `istio:` like the
 * sidecar mode). The scenario schema builds from it the native sections, `changes[].<section>`,
 * the `expect` keys, the narration `mesh:` values and the `meshes:` list; the reference checks,
 * the knobs and the command line loop over it. Nothing outside the scenario layer and the mesh
 * profiles names a mesh.
 *
 * Plain data, no schema: the simulation and the mesh switch read it on the first play, which
 * loads no zod. Each section's schema and reference checks are in nativeSections.ts.
 *
 * Adding a mesh: an entry in {@link MESH_CATALOG} (and, for a section of its own, the section's
 * definition in nativeSections.ts), plus its profile in `src/mesh/profiles/`. A mesh can also be added at run time, without touching these files, by
 * a module that calls `registerMesh` from `src/mesh` (README "Adding a mesh").
 */
import type { NativeSection } from './sections.ts';

/** One mesh of the catalog. */
export interface MeshEntry<S extends string = string> {
  /** Lowercase, in URLs, `--mesh`, `expect:` and narration `mesh:` (`istio`). */
  readonly id: string;
  /** For people (`Istio`). */
  readonly name: string;
  /** The scenario section holding its native resources (`istio`); meshes may share one. */
  readonly section: S;
}

/** A native section as the catalog lists it: its key in the file and whose resources it holds. */
export interface SectionEntry<K extends string = string> {
  /** The key in the scenario file and in `changes[]` (lowercase letters and digits: `istio`). */
  readonly key: K;
  /** Whose resources these are, for people (`Istio`: knobs "Istio settings in the file"). */
  readonly title: string;
}

/**
 * How many panes compare mode shows side by side, at least and at most: a grid of up to three
 * columns in two rows, so every HTTP mesh a scenario is written for (five at most today) fits at once.
 */
export const COMPARE_PANES = { min: 2, max: 6 } as const;

/**
 * The meshes mesh-sim ships, in the order the mesh switch shows them. Their sections are the
 * file's native sections, in order of first use; a section is titled by the first mesh reading it.
 */
export const MESH_CATALOG = [
  { id: 'istio', name: 'Istio', section: 'istio' },
  { id: 'linkerd', name: 'Linkerd', section: 'linkerd' },
  // Istio's ambient mode reads the same istio: section (FIDELITY-MORE H1).
  { id: 'ambient', name: 'Istio ambient', section: 'istio' },
  { id: 'consul', name: 'Consul', section: 'consul' },
  // FIDELITY-MORE J1: archived — last release v1.2.4 (April 2023), archived by the CNCF in July 2023.
  { id: 'osm', name: 'OSM (archived)', section: 'osm' },
  // FIDELITY-MORE K1: Network Service Mesh connects workloads to L2/L3 network services (vWires), not
  // an HTTP proxy mesh: its profile runs only scenarios written for it (README "Network Service Mesh").
  { id: 'nsm', name: 'Network Service Mesh', section: 'nsm' },
] as const satisfies readonly MeshEntry[];

/** A shipped mesh's id. */
export type MeshId = (typeof MESH_CATALOG)[number]['id'];

/** A shipped native section's key (`istio` | `linkerd` | ...). */
export type SectionKey = (typeof MESH_CATALOG)[number]['section'];

/** The shipped native sections, from the mesh entries. */
export const SECTIONS: readonly SectionEntry<SectionKey>[] = MESH_CATALOG.flatMap((m, i) =>
  MESH_CATALOG.findIndex((x) => x.section === m.section) === i ? [{ key: m.section, title: m.name }] : [],
);

// The live registry: the shipped entries, then those registered at run time. Arrays are mutated
// in place, so a list read once (the mesh switch) sees meshes registered later.
const meshes: MeshEntry[] = [...MESH_CATALOG];
const sections: SectionEntry[] = [...SECTIONS];
const registered = new Map<string, NativeSection>();
let revision = 0;

/** Ids and section keys are lowercase words: they are YAML keys, URL values and paths (`istio[0]`). */
const MESH_ID = /^[a-z][a-z0-9-]*$/;
const SECTION_KEY = /^[a-z][a-z0-9]*$/;
/** Words a mesh id cannot be: the mesh switch's compare choice. */
const RESERVED_IDS = ['compare'];
/** The scenario's own top-level keys, which a section cannot take (test/scenario/catalog.test.ts keeps it in step with the schema). */
export const SCENARIO_KEYS = [
  'id',
  'title',
  'description',
  'seed',
  'duration',
  'startup',
  'network',
  'nodes',
  'services',
  'external',
  'clients',
  'ingress',
  'traffic',
  'faults',
  'policies',
  'meshVersions',
  'changes',
  'narration',
  'checkpoints',
  'meshes',
  'compare',
  'expect',
];

/** Every mesh, shipped and registered, in switch order. The same array each call (live). */
export function meshCatalog(): readonly MeshEntry[] {
  return meshes;
}

/** Every native section, shipped and registered. The same array each call (live). */
export function sectionEntries(): readonly SectionEntry[] {
  return sections;
}

/** The keys of every native section (`istio`, `linkerd`, ...). */
export function sectionKeys(): string[] {
  return sections.map((s) => s.key);
}

/** The mesh with this id. */
export function meshEntry(id: string): MeshEntry | undefined {
  return meshes.find((m) => m.id === id);
}

/** The section with this key. */
export function sectionEntry(key: string): SectionEntry | undefined {
  return sections.find((s) => s.key === key);
}

/** A section registered at run time, with its schema and checks (nativeSections.ts reads it). */
export function registeredSection(key: string): NativeSection | undefined {
  return registered.get(key);
}

/** Changes each time a mesh or section is registered: the schema is rebuilt when it does. */
export function catalogRevision(): number {
  return revision;
}

/**
 * Adds a mesh to the catalog, with its section when it brings a new one. Throws when the id or the
 * key is malformed or taken, or the section is unknown. Use `registerMesh` from `src/mesh`, which
 * registers the profile at the same time.
 */
export function addToCatalog(entry: MeshEntry, section?: NativeSection): void {
  if (!MESH_ID.test(entry.id)) throw new Error(`mesh id "${entry.id}" must be lowercase letters, digits and dashes`);
  if (RESERVED_IDS.includes(entry.id) || meshEntry(entry.id)) throw new Error(`mesh id "${entry.id}" is taken`);
  if (section) {
    if (section.key !== entry.section) throw new Error(`mesh ${entry.id} reads section "${entry.section}", not "${section.key}"`);
    if (!SECTION_KEY.test(section.key)) throw new Error(`section key "${section.key}" must be lowercase letters and digits`);
    if (SCENARIO_KEYS.includes(section.key)) throw new Error(`section key "${section.key}" is a scenario key`);
    if (sectionEntry(section.key)) throw new Error(`section "${section.key}" exists already: name it in the entry and pass no section`);
    sections.push({ key: section.key, title: section.title });
    registered.set(section.key, section);
  } else if (!sectionEntry(entry.section)) {
    throw new Error(`mesh ${entry.id} reads section "${entry.section}", which is not in the catalog: pass its definition`);
  }
  meshes.push({ id: entry.id, name: entry.name, section: entry.section });
  revision++;
}
