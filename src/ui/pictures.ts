/** The panes' pictures of a run, laid out with the page around them: {@link showPage}, then {@link setPictures}. */
import type { Trace } from '../player/index.ts';
import type { MeshView } from '../render/index.ts';
import type { Shell } from './shell.ts';

/**
 * The page around the pictures (panes shown, release pickers, title and description): before the
 * pictures, which are laid out at the size this leaves them. `focus`: the pane the side panels
 * follow (its scenario's title is shown).
 */
export function showPage(shell: Shell, focus: number, meshes: readonly string[], traces: readonly Trace[]): void {
  // Every pane shown, including those made now (compare mode's first open), whose pictures come after.
  shell.stageOf(meshes.length - 1);
  shell.setPanes(
    meshes,
    traces.map((t) => t.release?.label),
  );
  for (const trace of traces) if (trace.release) shell.setRelease(trace.mesh, trace.release.version);
  const shown = traces[Math.min(focus, traces.length - 1)]!.scenario;
  shell.setTitle(shown.title, shown.description?.trim() ?? '');
}

/**
 * The pictures, laid out at the size they are drawn at — the page around them shown first
 * ({@link showPage}, once per open) — not laid out again a frame later.
 */
export function setPictures(views: readonly MeshView[], traces: readonly Trace[], requestsScale = 1): void {
  traces.forEach((trace, i) => {
    // Every pane opens readable (labels ≥ 11 px); a compare pane too small for its whole picture follows the step.
    views[i]!.framing.follow = traces.length > 1;
    views[i]!.setTrace(trace, { requestsScale });
  });
}
