/**
 * Compare mode's summary: both runs' figures side by side (differences marked with ≠, so colour
 * is not the only cue), where their behaviour first diverges, and every difference as a button
 * that moves the playhead there. Also chooses which mesh the other panels follow.
 */
import { formatClock, meshName, type Divergence, type RunSummary } from '../player/index.ts';
import { el } from './dom.ts';

/** A difference with its place on the timeline. */
export interface PlacedDivergence extends Divergence {
  showMs: number;
}

/** How many differences the list shows (the timeline marks all of them). */
const LIST_MAX = 200;

const ROWS: [string, (s: RunSummary) => string][] = [
  ['requests', (s) => String(s.requests)],
  ['ok', (s) => String(s.ok)],
  ['failed', (s) => String(s.failed)],
  ['attempts', (s) => String(s.attempts)],
  ['retries', (s) => String(s.retries)],
  ['p50', (s) => `${s.p50Ms} ms`],
  ['p99', (s) => `${s.p99Ms} ms`],
  ['ejections', (s) => String(s.ejections)],
  ['handshakes ok', (s) => String(s.handshakesOk)],
  ['handshakes failed', (s) => String(s.handshakesFailed)],
];

export class ComparePanel {
  readonly root: HTMLElement;
  private readonly table: HTMLElement;
  private readonly first: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly follow: HTMLElement;
  private followButtons: HTMLButtonElement[] = [];

  constructor(
    private readonly onJump: (d: PlacedDivergence) => void,
    private readonly onFollow: (pane: number) => void,
  ) {
    this.table = el('div', {});
    this.first = el('div', { class: 'first-divergence' });
    this.list = el('ol', { class: 'divergences', 'aria-label': 'Differences' });
    this.follow = el('div', { class: 'follow', role: 'group', 'aria-label': 'Panels follow' });
    this.root = el(
      'section',
      { class: 'panel compare', 'aria-label': 'Compare', hidden: true },
      el('h2', {}, 'Compare'),
      el('p', { class: 'hint' }, 'Whole run, as the calling apps saw it. ≠ marks a figure that differs.'),
      this.table,
      this.first,
      el('details', { class: 'divergence-list' }, el('summary', {}, 'Every difference'), this.list),
      el('p', { class: 'follow-row' }, 'Inspector, events and metrics follow ', this.follow),
    );
  }

  show(on: boolean): void {
    this.root.hidden = !on;
  }

  /** Shows both runs' figures and their differences (earliest first). */
  setRuns(summaries: readonly RunSummary[], divergences: readonly PlacedDivergence[]): void {
    const names = summaries.map((s) => meshName(s.mesh));
    const head = el('tr', {}, el('th', { scope: 'col' }, ''), ...names.map((n) => el('th', { scope: 'col' }, n)));
    const body = el('tbody');
    for (const [label, read] of ROWS) {
      const values = summaries.map(read);
      const differs = new Set(values).size > 1;
      body.append(
        el('tr', { class: differs ? 'differs' : undefined }, el('th', { scope: 'row' }, label), ...values.map((v) => el('td', {}, differs ? `${v} ≠` : v))),
      );
    }
    this.table.replaceChildren(el('table', { class: 'summary' }, el('thead', {}, head), body));

    const first = divergences[0];
    if (first) {
      const go = el('button', { type: 'button', class: 'go' }, 'Go there');
      go.addEventListener('click', () => this.onJump(first));
      this.first.replaceChildren(
        el('h3', {}, `First divergence at ${formatClock(first.timeMs)}`),
        el('p', { class: 'divergence-text' }, first.text),
        el('p', {}, go, ` ${divergences.length} difference${divergences.length === 1 ? '' : 's'} in all, marked on the timeline.`),
      );
    } else {
      this.first.replaceChildren(el('p', { class: 'no-divergence' }, 'No difference: every request gets the same decisions and ends the same way in both.'));
    }
    this.list.replaceChildren(
      ...divergences.slice(0, LIST_MAX).map((d) => {
        const b = el('button', { type: 'button', class: 'divergence' }, el('span', { class: 'event-time' }, formatClock(d.timeMs)), ` ${d.text}`);
        b.addEventListener('click', () => this.onJump(d));
        return el('li', {}, b);
      }),
      ...(divergences.length > LIST_MAX ? [el('li', { class: 'hint' }, `… and ${divergences.length - LIST_MAX} more`)] : []),
    );
    if (this.followButtons.length !== names.length || this.followButtons.some((b, i) => b.textContent !== names[i])) {
      this.followButtons = names.map((n, i) => {
        const b = el('button', { type: 'button', 'aria-pressed': String(i === 0) }, n);
        b.addEventListener('click', () => this.onFollow(i));
        return b;
      });
      this.follow.replaceChildren(...this.followButtons);
    }
  }

  /** Marks which pane the panels follow. */
  setFollow(pane: number): void {
    this.followButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(i === pane)));
  }
}
