/**
 * Library runs made when the site is built. A run is deterministic given its scenario, mesh, seed
 * and releases, so the run a page opens on — a library scenario as written, under one of the
 * meshes it is offered under, with its own seed and the default releases — is simulated here once
 * and shipped as `virtual:mesh-sim/run/<key>.<mesh>`: the worker's wire format (the trace's event
 * store and the report's request table as typed arrays, src/sim tracePack and src/mesh
 * requestTable), written as a JavaScript literal, with the run's show map (src/player/builtShow.ts:
 * ~0.15 of the first frame's task in the page, made there otherwise). The page then
 * needs no engine for its first frame (src/player/runner.ts takes the run; anything else is
 * simulated as before). The module
 * leaves out the scenario and the meshes it is offered under: the page has both already.
 * test/ui/libraryRuns.test.ts checks each against a fresh simulation.
 */
import { offeredMeshes, runScenario, type RunRequest } from '../src/player/index.ts';
import { fromWire, wireOutcome } from '../src/player/runner.ts';
import { buildShowMap } from '../src/player/pace.ts';
import { shipShowMap } from '../src/player/builtShow.ts';
import type { LoadResult } from '../src/scenario/index.ts';
import { toSource } from './scenarioLibrary.ts';

export const RUN = 'virtual:mesh-sim/run/';

/** The meshes a prebuilt run is made for: those `loaded` is offered under (none when it has problems). */
export function prebuiltMeshes(loaded: LoadResult): string[] {
  return loaded.ok ? offeredMeshes(loaded.scenario) : [];
}

/** The run of a library scenario as written under `mesh`, as a module's source: `export const run = {trace, report, show}` (packed). */
export function prebuiltRunSource(text: string, file: string, loaded: LoadResult, mesh: string): string {
  const request: RunRequest = { text, file, mesh, loaded, edits: {}, versions: {} };
  const outcome = runScenario(request);
  if (!outcome.ok) throw new Error(`${file} under ${mesh}: ${outcome.problems.map((p) => p.text).join('\n')}`);
  const { response } = wireOutcome(0, outcome);
  if (!response.outcome.ok) throw new Error('unreachable');
  const { trace, report } = response.outcome;
  // Made of the trace as the page unpacks it.
  const unpacked = fromWire(response.outcome);
  if (!unpacked.ok) throw new Error('unreachable');
  const show = shipShowMap(buildShowMap(unpacked.trace.events, unpacked.trace.durationMs));
  return `export const run = ${toSource({ trace, report, show })};`;
}
