/**
 * The narration panel: the narration lines current at the playhead (each tied to its event: see
 * player/narrationSpans.ts; the picture draws the same lines beside their nodes), the current
 * step as a sentence, and the guided-mode switch. Once a line's event is past the line leaves;
 * the panel then keeps the last one, muted and dated ("Earlier, at 2.030 s"), so a line missed
 * while playing can still be read without it describing what is on screen now. In compare mode
 * each pane has its own lines, labelled with the pane's name; a line several panes narrate alike
 * is shown once, naming them all. A polite live region reads each step aloud when the learner
 * steps, and each new line while playing.
 *
 * Beside the picture the panel keeps one height (styles.css): where the lines current at a moment
 * need more, it shows them in a shorter form rather than cut them — the step on one row first,
 * then the earlier lines on one row each, then the latest on the rows left — each shortened row
 * ending in "…" and opened whole by a click (its whole text is its tooltip, and what is read aloud).
 */
import { formatClock, paneNames, type NarrationNow, type Player, type View } from '../player/index.ts';
import { el, setText } from './dom.ts';

/** A line as the panel shows it: current or past, and the panes that narrate it (none outside compare mode). */
export interface PanelLine {
  past: boolean;
  seq: number;
  t: number;
  text: string;
  panes: number[];
}

/**
 * The lines of `views` (one per pane) as the panel shows them, in order: each pane's current lines,
 * or its last past one; a line two panes narrate alike (the same text, current in both, or past in
 * both from the same instant) once, with both panes.
 */
export function panelLines(views: readonly Pick<View, 'narrationNow' | 'narration'>[]): PanelLine[] {
  const out: PanelLine[] = [];
  const add = (past: boolean, n: Pick<NarrationNow, 'seq' | 't' | 'text'>, pane: number): void => {
    const text = n.text.trim();
    const same = out.find((l) => l.past === past && l.text === text && (!past || l.t === n.t));
    if (same) {
      if (!same.panes.includes(pane)) same.panes.push(pane);
    } else out.push({ past, seq: n.seq, t: n.t, text, panes: [pane] });
  };
  views.forEach((v, i) => {
    if (v.narrationNow.length) for (const n of v.narrationNow) add(false, n, i);
    else if (v.narration) add(true, v.narration, i);
  });
  return out;
}

/** "Istio", "Istio and Linkerd", "Istio, Linkerd and Consul". */
export function joinNames(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

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
  /** The panel's width when its lines were last fitted (they are fitted again when it changes). */
  private fittedWidth = -1;

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
    // A shortened row opens whole on a click (and closes again): the panel then scrolls.
    this.root.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest?.('.narration-brief, .narration-opened');
      if (!row || !this.root.contains(row)) return;
      row.classList.toggle('narration-brief');
      row.classList.toggle('narration-opened');
    });
    if (typeof ResizeObserver !== 'undefined')
      new ResizeObserver(() => {
        if (this.root.clientWidth !== this.fittedWidth) this.fit();
      }).observe(this.root);
  }

  /** Shows guided mode as on or off (the URL or a course may set it). */
  setGuided(on: boolean): void {
    this.guided.checked = on;
  }

  update(player: Player, view: View): void {
    const panes = player.timelines.length;
    const names = panes > 1 ? paneNames(player.timelines.map((t) => t.trace.mesh)) : [];
    const views = panes > 1 ? player.timelines.map((_, i) => player.viewOf(i)) : [view];
    const shown = panelLines(views);
    const who = (l: PanelLine): string => (names.length ? `${joinNames(l.panes.map((i) => names[i]!))}: ` : '');
    const key = shown.map((l) => `${l.past ? 'p' : 'n'}${l.seq}@${l.panes.join(',')}`).join('|');
    let changed = false;
    if (key !== this.linesKey) {
      this.linesKey = key;
      changed = true;
      this.lines.replaceChildren(
        ...shown.map((l) => {
          const name = names.length ? [el('span', { class: 'narration-pane' }, who(l))] : [];
          const text = l.past ? `Earlier, at ${formatClock(l.t)}: ${l.text}` : l.text;
          return el(
            'p',
            { class: l.past ? 'narration-past' : 'narration-text', 'data-seq': String(l.seq), 'data-pane': l.panes.join(','), title: `${who(l)}${text}` },
            ...name,
            text,
          );
        }),
      );
    }
    const stepIndex = view.step?.index ?? -1;
    const stepText = view.step ? `Step: ${view.step.text}` : 'Press Play or Step forward (→) to begin.';
    if (this.step.textContent !== stepText) {
      setText(this.step, stepText);
      this.step.title = stepText;
      changed = true;
    }
    if (changed) this.fit();
    if (!player.playing && stepIndex !== this.lastStep) setText(this.live, view.step ? view.step.text : 'At the start.');
    const now = shown
      .filter((l) => !l.past)
      .map((l) => `${who(l)}${l.text}`)
      .join(' ');
    if (player.playing && now && now !== this.lastSpoken) setText(this.live, now);
    this.lastSpoken = now;
    this.lastStep = stepIndex;
  }

  /**
   * Shortens what the panel shows until it holds it (see the module's comment): the step to one
   * row, then each earlier line to one row, then the latest to the rows left.
   */
  private fit(): void {
    const box = this.root;
    this.fittedWidth = box.clientWidth;
    const rows = [...this.lines.children] as HTMLElement[];
    for (const r of [this.step, ...rows]) {
      r.classList.remove('narration-brief', 'narration-opened');
      r.style.removeProperty('-webkit-line-clamp');
    }
    const fits = (): boolean => box.scrollHeight <= box.clientHeight + 1;
    if (fits()) return;
    for (const r of [this.step, ...rows.slice(0, -1)]) {
      r.classList.add('narration-brief');
      if (fits()) return;
    }
    const last = rows.at(-1);
    if (!last) return;
    const lineHeight = parseFloat(getComputedStyle(last).lineHeight) || 18;
    const spare = box.clientHeight - (box.scrollHeight - last.offsetHeight);
    last.classList.add('narration-brief');
    last.style.setProperty('-webkit-line-clamp', String(Math.max(1, Math.floor(spare / lineHeight))));
  }
}
