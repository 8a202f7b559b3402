/**
 * The keyboard's focus on the picture, loaded when the canvas is first focused: its code
 * (focusLayer.ts, keyboardNav.ts; they import nothing at run time — what they need is handed in —
 * since a module they imported would move into a chunk shared with them) is not in the first
 * play of a learner who never tabs to the picture (issue 11's first-play budget). Until then the
 * canvas is in the tab order and this keeps what the navigator must know: whether a click focused
 * it, and the keys pressed while the code loads (held back from the page, then handed over). A
 * failed load is read out and logged.
 */
import { Graphics } from 'pixi.js';
import * as describe from './describe.ts';
import type { FocusLayer, FocusSource } from './focusLayer.ts';

export class KeyboardFocus {
  /** Where the ring is drawn, in the world above the packets. */
  readonly root = new Graphics();
  private layer: FocusLayer | null = null;
  private loading = false;
  private byPointer = false;
  private held: KeyboardEvent[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly source: FocusSource,
  ) {
    canvas.tabIndex = 0;
    canvas.addEventListener('pointerdown', () => (this.byPointer = document.activeElement !== canvas || this.byPointer));
    canvas.addEventListener('blur', () => {
      this.byPointer = false;
      this.held = [];
    });
    canvas.addEventListener('focus', this.load);
    canvas.addEventListener('keydown', this.hold);
  }

  /** Clears the ring (a new layout). */
  clear(): void {
    this.root.clear();
  }

  /** The keys the navigator takes (keyboardNav.ts), pressed before it is loaded. */
  private readonly hold = (e: KeyboardEvent): void => {
    if (this.layer || this.byPointer || e.ctrlKey || e.metaKey || e.altKey || !/^(Arrow|Enter$|Escape$)/.test(e.key)) return;
    e.preventDefault();
    e.stopPropagation();
    this.held.push(e);
  };

  private readonly load = (): void => {
    if (this.loading) return;
    this.loading = true;
    import('./focusLayer.ts').then(
      ({ FocusLayer }) => {
        if (this.root.destroyed) return;
        this.layer = new FocusLayer(this.root, this.canvas, this.source, this.byPointer, describe);
        for (const e of this.held.splice(0)) this.layer.key(e);
      },
      (e: unknown) => {
        console.error(e);
        this.source.focused(`Moving through the picture by keyboard could not load (${String(e)}); reload the page to try again.`);
      },
    );
  };

  destroy(): void {
    this.layer?.destroy();
    this.canvas.removeEventListener('keydown', this.hold);
  }
}
