/** The panes' pictures of a run, laid out with the page around them ({@link showPictures}). */
import type { Trace } from '../player/index.ts';
import type { MeshView } from '../render/index.ts';
import type { Shell } from './shell.ts';

/**
 * The page around the pictures first (panes shown, release pickers, title and description), then
 * the pictures, laid out at the size they are drawn at, not laid out again a frame later. `focus`:
 * the pane the side panels follow (its scenario's title is shown).
 */
export function showPictures(
  shell: Shell,
  views: readonly MeshView[],
  focus: number,
  meshes: readonly string[],
  traces: readonly Trace[],
  requestsScale = 1,
): void {
  shell.setPanes(
    meshes,
    traces.map((t) => t.release?.label),
  );
  for (const trace of traces) if (trace.release) shell.setRelease(trace.mesh, trace.release.version);
  const shown = traces[Math.min(focus, traces.length - 1)]!.scenario;
  shell.setTitle(shown.title, shown.description?.trim() ?? '');
  traces.forEach((trace, i) => {
    // Every pane opens readable (labels ≥ 11 px); a compare pane too small for its whole picture follows the step.
    views[i]!.framing.follow = traces.length > 1;
    views[i]!.setTrace(trace, { requestsScale });
  });
}
