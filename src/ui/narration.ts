/**
 * The narration panel: the scenario's current narration line and the current step as a sentence.
 * A polite live region reads each step aloud when the learner steps, and narration while playing.
 */
import type { View } from '../player/index.ts';
import { el, setText } from './dom.ts';

export class NarrationPanel {
  readonly root: HTMLElement;
  private readonly narration: HTMLElement;
  private readonly step: HTMLElement;
  private readonly live: HTMLElement;
  private lastNarration = -1;
  private lastStep = -2;

  constructor() {
    this.narration = el('p', { class: 'narration-text' });
    this.step = el('p', { class: 'step-text' });
    this.live = el('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-testid': 'live' });
    this.root = el('section', { class: 'narration', 'aria-label': 'Narration' }, this.narration, this.step, this.live);
  }

  update(view: View, playing: boolean): void {
    const n = view.narration;
    setText(this.narration, n ? n.text : '');
    const stepIndex = view.step?.index ?? -1;
    setText(this.step, view.step ? `Step: ${view.step.text}` : 'Press Play or Step forward (→) to begin.');
    if (!playing && stepIndex !== this.lastStep) setText(this.live, view.step ? view.step.text : 'At the start.');
    else if (playing && n && n.seq !== this.lastNarration) setText(this.live, n.text);
    this.lastStep = stepIndex;
    this.lastNarration = n?.seq ?? -1;
  }
}
