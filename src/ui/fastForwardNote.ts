/**
 * The fast-forward note in the transport bar: "» fast-forwarding 4 h 00 m" while the cursor is in a
 * stretch of simulated time played faster. It takes what the row leaves; when the clock and the step
 * count leave too little for the whole sentence it drops the verb ("» 4 h 00 m") rather than cut the
 * length, which is what the learner needs (certificate-rotation at 17 h read "» fast-forward…").
 * The whole sentence stays in its title.
 */
import type { View } from '../player/index.ts';
import { el, setText } from './dom.ts';

export class FastForwardNote {
  readonly root = el('div', { class: 'fast-forward', role: 'status', hidden: true });
  private shown: View['fastForward'] = null;

  constructor() {
    // The row's room changes with the clock's digits and the window: fit again then.
    new ResizeObserver(() => this.fit()).observe(this.root);
  }

  update(ff: View['fastForward']): void {
    if (ff === this.shown) return;
    this.shown = ff;
    this.root.hidden = ff === null;
    this.root.title = ff ? `» ${ff.text}` : '';
    this.fit();
  }

  /** The whole sentence if it fits, else the length alone if that fits. Reads layout only when the note or its room changed. */
  private fit(): void {
    const ff = this.shown;
    if (!ff) return setText(this.root, '');
    const whole = `» ${ff.text}`;
    setText(this.root, whole);
    if (this.root.scrollWidth <= this.root.clientWidth) return;
    // Without the verb only if that is then whole: a long "what" cut either way keeps its verb.
    setText(this.root, `» ${ff.what}`);
    if (this.root.scrollWidth > this.root.clientWidth) setText(this.root, whole);
  }
}
