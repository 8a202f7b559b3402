/**
 * Compare mode's summary: every pane's figures in a column, the first pane's being the reference
 * (a figure that differs from the reference is marked with ≠, so colour is not the only cue);
 * where each pane's behaviour first diverges from the reference, and every difference as a button
 * that moves the playhead there. Also chooses which pane the other panels follow.
 */
import { divergences, formatClock, paneNames, summaryOf, type Divergence, type RunSummary } from '../player/index.ts';
import type { TimelineMark } from './controls.ts';
import type { PanelHandle } from './lazyPanel.ts';
import type { PaneRun, Workbench } from './Workbench.ts';
import { el, setText } from './dom.ts';
import { PanePicker } from './panePicker.ts';

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
  // The data plane's size and its estimate from published figures (FIDELITY-MORE H10, L6).
  ['proxies', (s) => (s.footprint ? s.footprint.kinds : '—')],
  ['proxy CPU (est.)', (s) => (s.footprint ? `${s.footprint.vCpu} vCPU` : '—')],
  ['proxy memory (est.)', (s) => (s.footprint ? `${s.footprint.memoryMb} MB` : '—')],
];

/** Where a footprint figure comes from, per pane. */
const FOOTPRINT_NOTE =
  'Proxy CPU and memory: each proxy counted in the run times the figure published for it (FIDELITY-MORE H10, J7, L6), at the load it was measured under, not scaled to this run’s traffic; data-plane proxies only.';

export class ComparePanel {
  readonly root: HTMLElement;
  private readonly table: HTMLElement;
  private readonly sources: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly first: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly follow: HTMLElement;
  private followButtons: HTMLButtonElement[] = [];
  /** Which meshes are side by side, and which is the reference. */
  readonly picker: PanePicker;
  /** The side column's width the table was last fitted to. */
  private fittedWidth = -1;

  constructor(
    private readonly onJump: (d: PlacedDivergence) => void,
    private readonly onFollow: (pane: number) => void,
    onPanes: (panes: readonly string[]) => void,
  ) {
    this.picker = new PanePicker(onPanes);
    // Columns too wide for the side column (four or more panes beside the picture) are laid out a figure to a row instead (fit).
    this.table = el('div', { class: 'summary-wrap' });
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.fit(false)).observe(this.table);
    this.sources = el('ul', { class: 'footprint-sources hint' });
    this.hint = el('p', { class: 'hint' });
    this.first = el('div', { class: 'first-divergence' });
    this.list = el('ol', { class: 'divergences', 'aria-label': 'Differences' });
    this.follow = el('div', { class: 'follow', role: 'group', 'aria-label': 'Panels follow' });
    this.root = el(
      'section',
      { class: 'panel compare', 'aria-label': 'Compare', hidden: true },
      el('h2', {}, 'Compare'),
      this.picker.root,
      this.hint,
      this.table,
      el('details', { class: 'footprint' }, el('summary', {}, 'Where the proxy figures come from'), el('p', { class: 'hint' }, FOOTPRINT_NOTE), this.sources),
      this.first,
      el('details', { class: 'divergence-list' }, el('summary', {}, 'Every difference'), this.list),
      el('p', { class: 'follow-row' }, 'Inspector, events and metrics follow ', this.follow),
    );
  }

  show(on: boolean): void {
    this.root.hidden = !on;
  }

  /**
   * Shows each pane's figures (`names[i]` labels pane `i`; pane 0 is the reference) and their
   * differences from the reference, earliest first.
   */
  setRuns(names: readonly string[], summaries: readonly RunSummary[], divergences: readonly PlacedDivergence[]): void {
    const ref = names[0] ?? '';
    setText(this.hint, `Whole run, as the calling apps saw it. ≠ marks a figure that differs from the reference, ${ref} (the first pane).`);
    const head = el(
      'tr',
      {},
      el('th', { scope: 'col' }, ''),
      ...names.map((n, i) => el('th', { scope: 'col' }, n, ...(i === 0 && names.length > 2 ? [el('span', { class: 'reference' }, ' (reference)')] : []))),
    );
    const body = el('tbody');
    for (const [label, read] of ROWS) {
      const values = summaries.map(read);
      const differs = values.map((v) => v !== values[0]);
      body.append(
        el(
          'tr',
          { class: [differs.some(Boolean) ? 'differs' : '', label === 'proxies' ? 'wraps' : ''].filter(Boolean).join(' ') || undefined },
          el('th', { scope: 'row' }, label),
          ...values.map((v, i) => el('td', { class: differs[i] ? 'differs' : undefined, 'data-pane': names[i] }, differs[i] ? `${v} ≠` : v)),
        ),
      );
    }
    // Three to six columns share the side column's width: their figures wrap rather than overflow it.
    this.table.replaceChildren(el('table', { class: names.length > 2 ? 'summary many' : 'summary' }, el('thead', {}, head), body));
    this.fit(true);
    this.sources.replaceChildren(
      ...names.map((n, i) => {
        const fp = summaries[i]?.footprint;
        return el('li', {}, el('strong', {}, n), ': ', fp ? fp.sources.join('; ') : 'this run reports no footprint');
      }),
    );

    const go = (d: PlacedDivergence): HTMLButtonElement => {
      const b = el('button', { type: 'button', class: 'go' }, 'Go there');
      b.addEventListener('click', () => this.onJump(d));
      return b;
    };
    const first = divergences[0];
    const perPane =
      names.length > 2
        ? [
            el(
              'ul',
              { class: 'per-pane' },
              ...names.slice(1).map((n, j) => {
                const mine = divergences.filter((d) => d.versus === j + 1);
                const f = mine[0];
                return f
                  ? el('li', {}, `${n}: ${mine.length} difference${mine.length === 1 ? '' : 's'} from ${ref}, the first at ${formatClock(f.timeMs)} `, go(f))
                  : el('li', {}, `${n}: no difference from ${ref}`);
              }),
            ),
          ]
        : [];
    if (first) {
      this.first.replaceChildren(
        el('h3', {}, `First divergence at ${formatClock(first.timeMs)}`),
        el('p', { class: 'divergence-text' }, first.text),
        el('p', {}, go(first), ` ${divergences.length} difference${divergences.length === 1 ? '' : 's'} in all, marked on the timeline.`),
        ...perPane,
      );
    } else {
      this.first.replaceChildren(
        el(
          'p',
          { class: 'no-divergence' },
          names.length > 2
            ? `No difference: every request gets the same decisions and ends the same way in every pane as in ${ref}.`
            : 'No difference: every request gets the same decisions and ends the same way in both.',
        ),
      );
    }
    this.list.replaceChildren(
      ...divergences.slice(0, LIST_MAX).map((d) => {
        const b = el(
          'button',
          { type: 'button', class: 'divergence' },
          el('span', { class: 'event-time' }, formatClock(d.timeMs)),
          ...(names.length > 2 ? [' ', el('span', { class: 'versus' }, `${names[d.versus]} ≠ ${ref}`)] : []),
          ` ${d.text}`,
        );
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

  /**
   * A column per pane while the columns fit the side column; past that (with four panes or more
   * beside the picture, the figures ~350–480 px wide in its ~275) a row per figure: its name, then
   * each pane's figure after the pane's name, wrapping, and a figure the same in every pane on one
   * line (workbench.css, `.by-figure`). Read again when the column's width changes.
   */
  private fit(force: boolean): void {
    const width = this.table.clientWidth;
    const table = this.table.firstElementChild;
    if (!table || width === 0 || (!force && width === this.fittedWidth)) return;
    this.fittedWidth = width;
    const head = table.querySelector('thead');
    table.classList.remove('by-figure');
    head?.classList.remove('visually-hidden');
    const over = this.table.scrollWidth > width + 1;
    table.classList.toggle('by-figure', over);
    head?.classList.toggle('visually-hidden', over);
  }

  /** Marks which pane the panels follow. */
  setFollow(pane: number): void {
    this.followButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(i === pane)));
  }
}

/** Compare mode in `host`: the panel, and the timeline's marks of each difference. */
export function compareHandle(wb: Workbench, host: HTMLElement): PanelHandle {
  const panel = new ComparePanel(
    (d) => wb.host.jump(d.pane, d.seq),
    (pane) => wb.host.follow(pane),
    (panes) => wb.host.setPanes(panes),
  );
  host.append(panel.root);
  let shown: readonly PaneRun[] = [];
  return {
    refresh() {
      const runs = wb.runs;
      const player = wb.player;
      panel.show(runs.length > 1);
      if (runs.length < 2 || !player) return;
      panel.setFollow(wb.focus);
      if (runs === shown) return;
      shown = runs;
      panel.picker.set(
        wb.host.offered(),
        runs.map((r) => r.mesh),
      );
      // Every pane against the reference, the first.
      const names = paneNames(runs.map((r) => r.mesh));
      const placed: PlacedDivergence[] = divergences(
        runs.map((r) => r.trace),
        names,
      ).map((d) => ({
        ...d,
        showMs: player.timelines[d.pane]!.show.eventShow[d.seq]!,
      }));
      panel.setRuns(
        names,
        runs.map((r) => summaryOf(r.report)),
        placed,
      );
      panel.setFollow(wb.focus);
      // Only the first is a button on the timeline; the panel lists every difference as one.
      wb.setMarks(
        placed.map((d, i): TimelineMark =>
          i === 0
            ? {
                timeMs: d.timeMs,
                at: { pane: d.pane, seq: d.seq },
                kind: 'first-divergence',
                label: `First divergence at ${formatClock(d.timeMs)}: ${d.text}`,
                jump: () => wb.host.jump(d.pane, d.seq),
              }
            : { timeMs: d.timeMs, at: { pane: d.pane, seq: d.seq }, kind: 'divergence', label: `Difference at ${formatClock(d.timeMs)}: ${d.text}` },
        ),
      );
    },
  };
}
