/**
 * The event list: every step, filterable by kind, the current one marked; a click jumps there.
 * Long runs have thousands of steps, so only the rows in view exist in the DOM.
 */
import { STEP_KINDS, formatClock, type Step, type StepKind } from '../player/index.ts';
import { el } from './dom.ts';

const ROW_H = 24;
const KIND_NAMES: Record<StepKind, string> = {
  flight: 'Packets',
  decision: 'Decisions',
  transition: 'State changes',
  request: 'Requests',
  narration: 'Narration',
};

export class EventList {
  readonly root: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly shown = new Set<StepKind>(STEP_KINDS);
  private steps: readonly Step[] = [];
  private filtered: Step[] = [];
  private current = -1;
  private rendered = '';

  constructor(private readonly onJump: (index: number) => void) {
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
    this.rows = el('ol', { class: 'rows', 'aria-label': 'Events' });
    this.spacer = el('div', { class: 'spacer' }, this.rows);
    this.viewport = el('div', { class: 'event-viewport', tabindex: '-1' }, this.spacer);
    this.viewport.addEventListener('scroll', () => this.render());
    this.root = el('section', { class: 'panel events', 'aria-label': 'Events' }, el('h2', {}, 'Events'), filters, this.viewport);
  }

  setSteps(steps: readonly Step[]): void {
    this.steps = steps;
    this.refilter();
  }

  private refilter(): void {
    this.filtered = this.steps.filter((s) => this.shown.has(s.kind));
    this.spacer.style.height = `${this.filtered.length * ROW_H}px`;
    this.rendered = '';
    this.scrollToCurrent();
    this.render();
  }

  /** Marks step `index` as current and keeps it in view. */
  setCurrent(index: number): void {
    if (index === this.current) return;
    this.current = index;
    this.scrollToCurrent();
    this.rendered = '';
    this.render();
  }

  private scrollToCurrent(): void {
    const pos = this.positionOf(this.current);
    if (pos < 0) return;
    const top = pos * ROW_H;
    const h = this.viewport.clientHeight || 300;
    if (top < this.viewport.scrollTop || top + ROW_H > this.viewport.scrollTop + h) this.viewport.scrollTop = Math.max(0, top - h / 2);
  }

  /** Row of the last shown step at or before `index`. */
  private positionOf(index: number): number {
    let lo = 0;
    let hi = this.filtered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.filtered[mid]!.index <= index) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  private render(): void {
    const h = this.viewport.clientHeight || 300;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_H) - 5);
    const last = Math.min(this.filtered.length, Math.ceil((this.viewport.scrollTop + h) / ROW_H) + 5);
    const key = `${first}:${last}:${this.current}`;
    if (key === this.rendered) return;
    this.rendered = key;
    this.rows.style.transform = `translateY(${first * ROW_H}px)`;
    const items: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const s = this.filtered[i]!;
      const button = el(
        'button',
        { type: 'button', class: `event kind-${s.kind}`, title: s.text, 'aria-current': s.index === this.current ? 'step' : undefined },
        el('span', { class: 'event-time' }, formatClock(s.timeMs)),
        el('span', { class: 'event-text' }, s.text),
      );
      button.addEventListener('click', () => this.onJump(s.index));
      items.push(el('li', {}, button));
    }
    this.rows.replaceChildren(...items);
  }
}
