/** The runs behind the panes: one simulation per mesh on screen, asked of the runner (a worker). */
import type { MeshVersions } from '../scenario/index.ts';
import type { RunOutcome, RunRequest, Runner, ScenarioEdits, Trace } from '../player/index.ts';
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
  const outcomes = await Promise.all(meshes.map((mesh) => runner.run(paneRequest(file, mesh, with_))));
  return panes.map((m) => outcomes[meshes.indexOf(m)]!);
}

/** The run a pane of `mesh` asks for (what {@link simulatePanes} runs). */
export function paneRequest(file: ScenarioFile, mesh: string, with_: { edits: ScenarioEdits; versions: MeshVersions; seed: number | undefined }): RunRequest {
  const { edits, versions, seed } = with_;
  // The run as the site's build made it, when there is one: the runner takes it if the request is exactly that run.
  const prebuilt = file.runs?.[mesh];
  return { ...request(file), mesh, edits, versions, ...(seed === undefined ? {} : { seed }), ...(prebuilt ? { prebuilt } : {}) };
}

/**
 * A long run's preview for its pane — the same run simulated through its first second or so in
 * the worker (parse.ts runTextPreviewed) — when the run was begun by the page's head start
 * (headStart.ts, a `scenarioUrl`): its picture at 0 s can be drawn while the rest simulates. Null
 * when there is none; resolves to null when the run comes without one or first. Ask before
 * {@link simulatePanes} takes the head start. The run's own picture replaces it (App.open), with
 * the same layout when the run's start makes every call the picture depends on.
 */
export function previewPane(
  runner: Runner,
  file: ScenarioFile,
  mesh: string,
  with_: { edits: ScenarioEdits; versions: MeshVersions; seed: number | undefined },
): Promise<{ trace: Trace; requestsScale: number } | null> | null {
  const preview = runner.preview?.(paneRequest(file, mesh, with_));
  return preview
    ? preview.then((first) =>
        first?.ok && first.offered?.includes(mesh) !== false
          ? // Its services' counters laid out for the whole run's requests (render/layoutModel.ts modelOf).
            { trace: first.trace, requestsScale: first.scenario.duration / first.trace.durationMs }
          : null,
      )
    : null;
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
