/**
 * `services[].dataPlane` against the mesh a run uses (FIDELITY-MORE H1, H8): a sidecar mesh has
 * only sidecars, so a service asking for `ambient` (Istio's ztunnel) cannot run there — the run
 * stops with a message at the field's line, never quietly giving it a sidecar. Which modes a mesh
 * has is its profile's `dataPlaneModes` (also in its traits, src/mesh/profiles/registry.ts: no profile need be loaded).
 */
import { pathString, type LoadedScenario } from '../../scenario/index.ts';
import type { MeshTraits } from './registry.ts';

/** A service asking for a data plane the mesh lacks: where in the file, and why. */
export interface DataPlaneProblem {
  path: string;
  line: number;
  message: string;
}

/** The data planes `profile` runs, its default first. */
export const modesOf = (profile: Pick<MeshTraits, 'dataPlaneModes'>): readonly ('sidecar' | 'ambient')[] => profile.dataPlaneModes ?? ['sidecar'];

/** Every service of `scenario` whose `dataPlane` `profile` cannot run, located in the file. */
export function dataPlaneProblems(
  scenario: Pick<LoadedScenario, 'services' | 'source'>,
  profile: Pick<MeshTraits, 'name' | 'plane' | 'dataPlaneModes'>,
): DataPlaneProblem[] {
  const problems: DataPlaneProblem[] = [];
  if (profile.plane === 'connections') {
    // FIDELITY-MORE K1: NSM connects workloads to network services; it proxies no service traffic, so the field means nothing there.
    scenario.services.forEach((s, i) => {
      if (s.dataPlane === undefined) return;
      const path = pathString(['services', i, 'dataPlane']);
      problems.push({
        path,
        line: scenario.source.lines[path] ?? 0,
        message: `${s.dataPlane}: ${profile.name} proxies no service traffic (no sidecar, no ztunnel: it connects workloads to network services, FIDELITY-MORE K1), so dataPlane has no meaning under it`,
      });
    });
    return problems;
  }
  const modes = modesOf(profile);
  scenario.services.forEach((s, i) => {
    const asked = s.dataPlane;
    if (asked === undefined || asked === 'none' || modes.includes(asked)) return;
    const path = pathString(['services', i, 'dataPlane']);
    problems.push({
      path,
      line: scenario.source.lines[path] ?? 0,
      message:
        asked === 'ambient'
          ? `${asked}: ${profile.name} has no ambient data plane (its proxies are ${modes.join(' and ')}s). Istio's ambient mode is the mesh "ambient", where ambient and sidecar pods mix (FIDELITY-MORE H8): run this file under ambient, or give ${s.name} dataPlane: sidecar`
          : `${asked}: ${profile.name} runs only ${modes.join(' and ')} data planes`,
    });
  });
  return problems;
}
