/**
 * Each frame, the picture and the panels are brought in step with the player: every pane's
 * picture, the difference notes, the side panels (the metrics and the picture's words four times
 * a second while playing) and the workbench's cards — and only when something changed.
 */
import type { Player, View } from '../player/index.ts';
import type { MeshView, Selection } from '../render/index.ts';
import type { Shell } from './shell.ts';
import type { Workbench } from './Workbench.ts';
import type { CompareNotes } from './compareNotes.ts';

/** What the app shows in a frame besides the player. */
export interface Shown {
  /** The pane the side panels follow. */
  focus: number;
  selection: Selection;
  /** The pane the selection was made in. */
  selectionPane: number;
  motion: boolean;
}

export class Redraw {
  private lastView: View | null = null;
  private lastKey = '';
  private drawnPosition: unknown = null;
  private metricsDueMs = 0;
  /** A text view of the picture is due after this frame (see describeSoon). */
  private describing = false;

  constructor(
    private readonly shell: Shell,
    /** One picture per pane (compare mode adds to it). */
    private readonly views: readonly MeshView[],
    private readonly workbench: Workbench,
    private readonly diffs: CompareNotes,
    /** The pane the side panels follow when the text view is filled (after the frame). */
    private readonly focusNow: () => number,
  ) {}

  /** The next frame draws whatever the player's position (a selection, a motion setting, a new run). */
  invalidate(): void {
    this.lastKey = '';
  }

  /**
   * Every pane's picture at the player's position, the difference notes with them; `render`: at
   * once, not with the next frame (the page's first picture, before the panels are filled: the
   * GPU process draws it while the page writes them; test/e2e/firstFrame.test.ts).
   */
  pictures(player: Player, shown: Omit<Shown, 'focus'>, render = false): void {
    const { selection, selectionPane, motion } = shown;
    this.diffs.update(player, this.views);
    player.timelines.forEach((_, i) => {
      this.views[i]?.draw(player.viewOf(i), { motion, selection: i === selectionPane ? selection : null });
      if (render) this.views[i]?.renderNow();
    });
  }

  /** Draws what changed since the last frame, `realMs` of wall time ago. */
  frame(player: Player, shown: Shown, realMs: number): void {
    const { focus, selection, selectionPane, motion } = shown;
    const view = player.viewOf(focus);
    const key = `${player.playing}:${player.speed}:${motion}:${focus}`;
    const changed = view !== this.lastView || key !== this.lastKey || player.position !== this.drawnPosition;
    const stale = this.workbench.stale;
    if (changed || stale) this.workbench.update(player);
    if (!changed) {
      if (stale) this.workbench.placeCards();
      return;
    }
    this.lastView = view;
    this.lastKey = key;
    this.drawnPosition = player.position;
    this.pictures(player, shown);
    const done = (seq: number): boolean => player.isDone(focus, seq);
    this.metricsDueMs -= realMs;
    const metrics = !player.playing || this.metricsDueMs <= 0;
    if (metrics) this.metricsDueMs = 250;
    this.shell.update(player, view, selectionPane === focus ? selection : null, done, metrics ? player.metrics(focus) : null);
    // Last, once the page is written: where the picture's boxes are on the page is read once.
    this.workbench.placeCards();
    // The picture in words, as often as the metrics (it is as busy while playing), after the frame
    // is drawn: a text view for screen readers, which the picture does not wait for.
    if (metrics) this.describeSoon();
  }

  /** Fills the picture's text view after this frame (once however often it is asked for meanwhile). */
  private describeSoon(): void {
    if (this.describing) return;
    this.describing = true;
    setTimeout(() => {
      this.describing = false;
      this.shell.setTextView(this.views[this.focusNow()]?.describe() ?? []);
    }, 0);
  }
}
