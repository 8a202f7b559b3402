/**
 * A throwaway third mesh, to prove a mesh is added without touching a shared file: Linkerd's
 * profile under another id (`linkerd-copy`) reading another section (`linkerdcopy:`, with the
 * Linkerd section's schema and checks). Importing this module registers it.
 *
 *   MESH_SIM_EXTENSIONS=test/extensions/linkerdCopy.ts npm run sim -- run f.yaml --mesh linkerd-copy
 *   node --import tsx --import ./test/extensions/linkerdCopy.ts my-tool.ts
 *   MESH_SIM_EXTENSIONS=test/extensions/linkerdCopy.ts npx vite build --outDir dist-extra
 */
import { linkerdProfile, registerMesh, type MeshProfile } from '../../src/mesh/index.ts';
import { nativeSection, sectionResources, type LoadedScenario } from '../../src/scenario/index.ts';
import { COPY_ID, COPY_SECTION } from './linkerdCopyScenario.ts';

/** The scenario as Linkerd's profile reads it: this section's resources, with their places in the file, as its own. */
function asLinkerd(scenario: LoadedScenario): LoadedScenario {
  const own = (sectionResources(scenario, COPY_SECTION) ?? []) as LoadedScenario['linkerd'];
  const paths = scenario.resourcePaths?.[COPY_SECTION] ?? own.map((_, i) => `${COPY_SECTION}[${i}]`);
  return { ...scenario, linkerd: own, resourcePaths: { ...scenario.resourcePaths, linkerd: paths } };
}

/** Linkerd's profile (at any release it models) as the copy. */
const copyOf = (linkerd: MeshProfile): MeshProfile => ({
  ...linkerd,
  id: COPY_ID,
  name: 'Linkerd copy',
  resourcesKey: COPY_SECTION,
  // Its own name on the release it models, so a pane says which mesh it is ('Linkerd copy 2.20').
  release: { ...linkerd.release, label: linkerd.release.label.replace(linkerd.name, 'Linkerd copy') },
  atRelease: (version, cause) => copyOf(linkerd.atRelease(version, cause)),
  edgeWorkloads: (scenario) => linkerd.edgeWorkloads(asLinkerd(scenario)),
  compile: (scenario) => linkerd.compile(asLinkerd(scenario)),
});
const profile = copyOf(linkerdProfile);

// Linkerd's schema and checks under another key (its description names Linkerd: the default one fits).
const { description: _linkerdOnly, ...linkerdSection } = nativeSection('linkerd')!;
registerMesh({ id: COPY_ID, name: 'Linkerd copy', section: COPY_SECTION }, profile, { ...linkerdSection, key: COPY_SECTION, title: 'Linkerd copy' });
