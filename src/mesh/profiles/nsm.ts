/**
 * The Network Service Mesh profile, release v1.15.0 (9 July 2025, FIDELITY-MORE K1). NSM is not
 * an HTTP service mesh: it connects workloads to L2/L3 Network Services over vWires and carries
 * packets, with no HTTP routing, retries, timeouts or request balancing. So it is a connection
 * mesh ({@link ConnectionMeshProfile}): it simulates its own world (nsm/simulate.ts) and runs only
 * scenarios written for it (`meshes: [nsm]`). Facts and sources: src/mesh/profiles/nsm/FIDELITY.md.
 */
import type { Cause } from '../../sim/index.ts';
import { sectionResources, type LoadedScenario, type SectionKey } from '../../scenario/index.ts';
import { defaultCause } from '../cause.ts';
import type { ConnectionMeshProfile, MeshRelease } from './types.ts';
import { simulateNsm } from './nsm/simulate.ts';

/** FIDELITY-MORE K1: the latest release read, v1.15.0; one line, so no release picker. */
const RELEASE: Omit<MeshRelease, 'cause'> = { version: '1.15', known: ['1.15'], default: '1.15', label: 'NSM v1.15' };

/** The NSM profile at `version` (only 1.15 is modelled). */
export function nsmAt(version?: string, cause?: Cause): ConnectionMeshProfile<SectionKey> {
  if (version !== undefined && version !== RELEASE.version) throw new Error(`NSM ${version} is not a release mesh-sim models (${RELEASE.version})`);
  const release: MeshRelease = {
    ...RELEASE,
    cause: cause ?? defaultCause('NSM v1.15.0, the latest release read', 'FIDELITY-MORE K1: site content/docs/releases/v1.15.0.md'),
  };
  return {
    plane: 'connections',
    id: 'nsm',
    name: 'Network Service Mesh',
    release,
    atRelease: (v, c) => nsmAt(v, c),
    resourcesKey: 'nsm',
    controlPlaneNodes: [{ id: 'nsm/registry', label: 'registry-k8s' }],
    simulate: (scenario, options) => simulateNsm(scenario, release, options),
    compile: (scenario: LoadedScenario) => ({ resources: { generated: [], authored: [...(sectionResources(scenario, 'nsm') ?? [])] } }),
  };
}

export const nsmProfile = nsmAt();
