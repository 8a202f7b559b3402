/**
 * The narration panel: the narration lines current at the playhead (each tied to its event: see
 * player/narrationSpans.ts; the picture draws the same lines beside their nodes), the current
 * step as a sentence, and the guided-mode switch. Once a line's event is past the line leaves;
 * the panel then keeps the last one, muted and dated ("Earlier, at 2.030 s"), so a line missed
 * while playing can still be read without it describing what is on screen now. In compare mode
 * each pane has its own lines, labelled with the pane's name. A polite live region reads each
 * step aloud when the learner steps, and each new line while playing.
 */
import { formatClock, paneNames, type Player, type View } from '../player/index.ts';
import { el, setText } from './dom.ts';

export class NarrationPanel {
  readonly root: HTMLElement;
  /** The learner turned guided mode on or off. */
  onGuided: (on: boolean) => void = () => {};
  private readonly lines: HTMLElement;
  private readonly step: HTMLElement;
  private readonly live: HTMLElement;
  private readonly guided: HTMLInputElement;
  private linesKey = '';
  private lastSpoken = '';
  private lastStep = -2;

  constructor() {
    this.lines = el('div', { class: 'narration-lines', 'data-testid': 'narration-lines' });
    this.step = el('p', { class: 'step-text' });
    this.live = el('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-testid': 'live' });
    this.guided = el('input', { type: 'checkbox', 'data-testid': 'guided' }) as HTMLInputElement;
    this.guided.addEventListener('change', () => this.onGuided(this.guided.checked));
    const toggle = el(
      'label',
      { class: 'guided-toggle', title: 'Frame the nodes the narration is about and dim the rest (URL: guided=on)' },
      this.guided,
      ' Guided',
    );
    this.root = el('section', { class: 'narration', 'aria-label': 'Narration' }, toggle, this.lines, this.step, this.live);
  }

  /** Shows guided mode as on or off (the URL or a course may set it). */
  setGuided(on: boolean): void {
    this.guided.checked = on;
  }

  update(player: Player, view: View): void {
    const panes = player.timelines.length;
    const names = panes > 1 ? paneNames(player.timelines.map((t) => t.trace.mesh)) : [];
    const views = panes > 1 ? player.timelines.map((_, i) => player.viewOf(i)) : [view];
    const key = views.map((v) => `${v.narrationNow.map((n) => n.seq).join('+')}/${v.narration?.seq ?? -1}`).join('|');
    if (key !== this.linesKey) {
      this.linesKey = key;
      this.lines.replaceChildren(
        ...views.flatMap((v, i) => {
          const who = names[i] ? [el('span', { class: 'narration-pane' }, `${names[i]}: `)] : [];
          if (v.narrationNow.length)
            return v.narrationNow.map((n) => el('p', { class: 'narration-text', 'data-seq': String(n.seq), 'data-pane': String(i) }, ...who, n.text.trim()));
          const past = v.narration;
          if (!past) return [];
          return [
            el(
              'p',
              { class: 'narration-past', 'data-seq': String(past.seq), 'data-pane': String(i) },
              ...who,
              `Earlier, at ${formatClock(past.t)}: ${past.text.trim()}`,
            ),
          ];
        }),
      );
    }
    const stepIndex = view.step?.index ?? -1;
    setText(this.step, view.step ? `Step: ${view.step.text}` : 'Press Play or Step forward (→) to begin.');
    if (!player.playing && stepIndex !== this.lastStep) setText(this.live, view.step ? view.step.text : 'At the start.');
    else if (player.playing) {
      const now = views.flatMap((v, i) => v.narrationNow.map((n) => `${names[i] ? `${names[i]}: ` : ''}${n.text.trim()}`)).join(' ');
      if (now && now !== this.lastSpoken) setText(this.live, now);
    }
    this.lastSpoken = views.flatMap((v, i) => v.narrationNow.map((n) => `${names[i] ? `${names[i]}: ` : ''}${n.text.trim()}`)).join(' ');
    this.lastStep = stepIndex;
  }
}
