/** The runs behind the panes: one simulation per mesh on screen, asked of the runner (a worker). */
import type { MeshVersions } from '../scenario/index.ts';
import type { RunOutcome, Runner, ScenarioEdits } from '../player/index.ts';
import type { ScenarioFile } from './library.ts';
import type { PaneRun } from './Workbench.ts';

/** Runs `file` under each pane's mesh; a mesh on screen twice is simulated once (same seed, same run). */
export async function simulatePanes(
  runner: Runner,
  file: ScenarioFile,
  panes: readonly string[],
  with_: { edits: ScenarioEdits; versions: MeshVersions; seed: number | undefined },
): Promise<RunOutcome[]> {
  const meshes = [...new Set(panes)];
  const { edits, versions, seed } = with_;
  const outcomes = await Promise.all(meshes.map((mesh) => runner.run({ ...request(file), mesh, edits, versions, ...(seed === undefined ? {} : { seed }) })));
  return panes.map((m) => outcomes[meshes.indexOf(m)]!);
}

/** What a pane shows of a run that worked. */
export function paneRun(o: RunOutcome): PaneRun {
  if (!o.ok) throw new Error('paneRun of a failed run');
  return { mesh: o.trace.mesh, trace: o.trace, report: o.report, scenario: o.scenario };
}

/** What a run request says about the file: its text, and its loaded form when known. */
function request(file: ScenarioFile): { text: string; file: string; loaded?: ScenarioFile['loaded'] } {
  return { text: file.text, file: file.file, ...(file.loaded ? { loaded: file.loaded } : {}) };
}
