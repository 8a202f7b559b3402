/**
 * Compare mode's difference notes (diffOverlay.ts), loaded the first time runs are shown side by
 * side: a first play shows one run, so their script (and compare's divergences) stays out of the
 * page's first load (browser.firstPlayKB). Until they have come nothing is noted; `loaded` is
 * called then, so that the picture is drawn again with them.
 */
import type { Player, Trace } from '../player/index.ts';
import type { MeshView } from '../render/index.ts';
import type { DiffOverlay } from './diffOverlay.ts';

export class CompareNotes {
  private overlay: DiffOverlay | null = null;
  private loading: Promise<DiffOverlay> | null = null;

  constructor(
    private readonly paneOf: (i: number) => HTMLElement,
    private readonly loaded: () => void,
  ) {}

  /** The runs asked for while the notes load: shown when they have come (a mesh switch meanwhile asks again). */
  private pending: { traces: readonly Trace[]; player: Player } | null = null;

  /** The runs shown, one per pane, and their player. */
  setRuns(traces: readonly Trace[], player: Player): void {
    if (this.overlay) return this.overlay.setRuns(traces, player);
    this.pending = { traces, player };
    if (traces.length < 2 && !this.loading) return;
    this.loading ??= import('./diffOverlay.ts').then((m) => {
      const overlay = new m.DiffOverlay(this.paneOf);
      overlay.setRuns(this.pending!.traces, this.pending!.player);
      this.overlay = overlay;
      this.pending = null;
      this.loaded();
      return overlay;
    });
  }

  /** Writes each pane's current difference and rings its node, once loaded. */
  update(player: Player, views: readonly (MeshView | undefined)[]): void {
    this.overlay?.update(player, views);
  }
}
