/**
 * The event list: every step, filterable by kind, the current one marked; a click (or Enter)
 * jumps there. A folded run of repeated events is one row that opens to list them. Long runs
 * have thousands of steps, so only the rows in view exist in the DOM — which is why the list
 * itself holds the keyboard focus (one tab stop: ↑ ↓ Home End PgUp PgDn move, Enter jumps, → ←
 * open and close a fold) and points at its active row, instead of focusing rows that come and go.
 * A list taller than a browser lets an element be (a 10-minute run's millions of rows) scrolls
 * in proportion past a height (listScroll.ts), so that its last rows can be reached.
 */
import { STEP_KINDS, formatClock, isLateStep, stepClockMs, type Step, type StepKind } from '../player/index.ts';
import { el } from './dom.ts';
import { ListScroll } from './listScroll.ts';

const ROW_H = 24;
const KIND_NAMES: Record<StepKind, string> = {
  flight: 'Packets',
  decision: 'Decisions',
  transition: 'State changes',
  request: 'Requests',
  narration: 'Narration',
};

export interface EventListActions {
  /** Jump to step `index`. */
  jump(index: number): void;
  /** Jump to event `seq` of pane `pane` (an event inside a fold). */
  jumpToEvent(pane: number, seq: number): void;
  /** The events of a folded step, as steps of their own. */
  foldSteps(step: Step): readonly Step[];
}

export class EventList {
  readonly root: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly shown = new Set<StepKind>(STEP_KINDS);
  private steps: readonly Step[] = [];
  /** The rows shown: the steps themselves while every kind is shown and no fold is open. */
  private filtered: readonly Step[] = [];
  /** Rows that are events of an opened fold (not steps of the list). */
  private readonly inner = new Set<Step>();
  /** Folds opened, by their step's `seq` (its rank in compare mode). */
  private readonly open = new Set<number>();
  private current = -1;
  /** The row the keyboard is on (a position in {@link filtered}), or -1: follow the current step. */
  private active = -1;
  private rendered = '';
  /** Where the view is in the rows (they may be taller than the scrolled content). */
  private readonly scroll = new ListScroll(ROW_H);

  constructor(private readonly actions: EventListActions) {
    const filters = el('fieldset', { class: 'filters' }, el('legend', {}, 'Show'));
    for (const kind of STEP_KINDS) {
      const box = el('input', { type: 'checkbox', checked: true, 'data-kind': kind });
      box.addEventListener('change', () => {
        if (box.checked) this.shown.add(kind);
        else this.shown.delete(kind);
        this.refilter();
      });
      filters.append(el('label', {}, box, ` ${KIND_NAMES[kind]}`));
    }
    this.rows = el('ol', { class: 'rows', role: 'presentation' });
    this.spacer = el('div', { class: 'spacer' }, this.rows);
    this.viewport = el('div', { class: 'event-viewport', tabindex: '0', role: 'listbox', 'aria-label': 'Events' }, this.spacer);
    this.viewport.addEventListener('scroll', () => {
      this.scroll.scrolled(this.viewport.scrollTop);
      this.render();
    });
    // A list scrolled in proportion: the wheel still moves the rows by its own distance.
    this.viewport.addEventListener(
      'wheel',
      (e) => {
        if (this.scroll.scale === 1 || e.ctrlKey || e.deltaY === 0) return;
        e.preventDefault();
        const px = e.deltaY * (e.deltaMode === 1 ? ROW_H : e.deltaMode === 2 ? this.viewHeight : 1);
        this.setScrollTop(this.scroll.moveBy(px));
      },
      { passive: false },
    );
    this.viewport.addEventListener('keydown', (e) => this.key(e));
    this.viewport.addEventListener('focus', () => {
      if (this.active < 0) this.active = Math.max(0, this.positionOf(this.current));
      this.rendered = '';
      this.render();
    });
    this.root = el('section', { class: 'panel events', 'aria-label': 'Events' }, el('h2', {}, 'Events'), filters, this.viewport);
  }

  setSteps(steps: readonly Step[]): void {
    this.steps = steps;
    this.open.clear();
    this.active = -1;
    this.refilter();
  }

  private refilter(): void {
    this.inner.clear();
    if (this.open.size === 0 && STEP_KINDS.every((k) => this.shown.has(k))) {
      // Every kind shown, nothing opened (as at first): the steps themselves, not a copy of a long run's hundreds of thousands.
      this.filtered = this.steps;
    } else {
      const rows: Step[] = [];
      for (const step of this.steps) {
        if (!this.shown.has(step.kind)) continue;
        rows.push(step);
        if (step.fold && this.open.has(step.seq))
          for (const inner of this.actions.foldSteps(step))
            if (this.shown.has(inner.kind)) {
              rows.push(inner);
              this.inner.add(inner);
            }
      }
      this.filtered = rows;
    }
    this.active = Math.min(this.active, this.filtered.length - 1);
    this.spacer.style.height = `${this.scroll.resize(this.filtered.length, this.viewHeight)}px`;
    this.rendered = '';
    this.scrollTo(this.positionOf(this.current));
    this.render();
  }

  /** Marks step `index` as current and keeps it in view (unless the keyboard is elsewhere in the list). */
  setCurrent(index: number): void {
    if (index === this.current) return;
    this.current = index;
    if (this.active < 0 || document.activeElement !== this.viewport) this.scrollTo(this.positionOf(this.current));
    this.rendered = '';
    this.render();
  }

  private get viewHeight(): number {
    return this.viewport.clientHeight || 300;
  }

  private scrollTo(pos: number): void {
    if (pos < 0) return;
    const top = pos * ROW_H;
    const h = this.viewHeight;
    this.scroll.resize(this.filtered.length, h);
    if (top < this.scroll.top || top + ROW_H > this.scroll.top + h) this.setScrollTop(this.scroll.scrollTopFor(top - h / 2));
  }

  private setScrollTop(scrollTop: number): void {
    this.viewport.scrollTop = scrollTop;
    this.scroll.settled(this.viewport.scrollTop);
    this.render();
  }

  /** Row of the last shown step at or before step `index`. */
  private positionOf(index: number): number {
    let lo = 0;
    let hi = this.filtered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const row = this.filtered[mid]!;
      if (this.inner.has(row) || row.index <= index) lo = mid + 1;
      else hi = mid;
    }
    while (lo > 0 && this.inner.has(this.filtered[lo - 1]!)) lo--;
    return lo - 1;
  }

  private jumpTo(row: Step): void {
    if (this.inner.has(row)) this.actions.jumpToEvent(row.pane ?? 0, row.seq);
    else this.actions.jump(row.index);
  }

  private toggle(row: Step, open: boolean): void {
    if (!row.fold || this.inner.has(row) || this.open.has(row.seq) === open) return;
    if (open) this.open.add(row.seq);
    else this.open.delete(row.seq);
    this.refilter();
  }

  private key(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey || !this.filtered.length) return;
    const page = Math.max(1, Math.floor(this.viewHeight / ROW_H) - 1);
    const at = this.active < 0 ? Math.max(0, this.positionOf(this.current)) : this.active;
    const row = this.filtered[at];
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      PageDown: at + page,
      PageUp: at - page,
      Home: 0,
      End: this.filtered.length - 1,
    };
    if (e.key in moves) {
      this.active = Math.min(this.filtered.length - 1, Math.max(0, moves[e.key]!));
      this.scrollTo(this.active);
    } else if ((e.key === 'Enter' || e.key === ' ') && row) this.jumpTo(row);
    else if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && row?.fold && !this.inner.has(row)) this.toggle(row, e.key === 'ArrowRight');
    else return;
    // The list's own keys: not also stepping or playing.
    e.preventDefault();
    e.stopPropagation();
    this.rendered = '';
    this.render();
  }

  private render(): void {
    const h = this.viewHeight;
    this.scroll.resize(this.filtered.length, h);
    const top = this.scroll.top;
    const first = Math.max(0, Math.floor(top / ROW_H) - 5);
    const last = Math.min(this.filtered.length, Math.ceil((top + h) / ROW_H) + 5);
    this.rows.style.transform = `translateY(${this.scroll.rowsAt(first, this.viewport.scrollTop)}px)`;
    const key = `${first}:${last}:${this.current}:${this.active}`;
    if (key === this.rendered) return;
    this.rendered = key;
    const items: HTMLElement[] = [];
    const currentRow = this.positionOf(this.current);
    let activeId: string | null = null;
    for (let i = first; i < last; i++) {
      const row = this.filtered[i]!;
      const s = row;
      const inner = this.inner.has(row);
      const text = s.text;
      // The clock on the step (what the transport's clock reads there): never back from the row
      // above, though a step playing behind its conversation happened earlier — its title says when.
      const late = !inner && isLateStep(this.steps, s.index);
      const time = formatClock(inner ? s.timeMs : stepClockMs(this.steps, s.index));
      const id = `event-row-${i}`;
      const fold = s.fold && !inner ? this.open.has(s.seq) : null;
      const item = el(
        'li',
        {
          id,
          role: 'option',
          class: `event kind-${s.kind}${inner ? ' inner' : ''}${i === this.active ? ' active' : ''}`,
          title: text,
          'aria-selected': i === this.active ? 'true' : 'false',
          'aria-current': !inner && i === currentRow ? 'step' : undefined,
          'aria-expanded': fold === null ? undefined : String(fold),
        },
        fold === null ? null : el('span', { class: 'fold-toggle', 'aria-hidden': 'true' }, fold ? '▾' : '▸'),
        el(
          'span',
          { class: 'event-time', title: late ? `Happened at ${formatClock(s.timeMs)}; shown at ${time}, after its conversation's earlier packets` : undefined },
          time,
        ),
        el('span', { class: 'event-text' }, text),
      );
      item.addEventListener('click', (e) => {
        if (fold !== null && (e.target as HTMLElement).classList.contains('fold-toggle')) this.toggle(row, !fold);
        else this.jumpTo(row);
      });
      if (i === this.active) activeId = id;
      items.push(item);
    }
    this.rows.replaceChildren(...items);
    if (activeId) this.viewport.setAttribute('aria-activedescendant', activeId);
    else this.viewport.removeAttribute('aria-activedescendant');
  }
}
