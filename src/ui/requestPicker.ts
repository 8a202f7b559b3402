/**
 * Picks one request of a run, however long: a search field filters the requests (by id, caller,
 * service, path, status, "retried" or "failed"), and the list below shows the matches — only the
 * rows in view exist in the DOM, so a run of 600,000 requests costs what one of 20 does. Retried
 * and failed requests are marked in words. Until the learner picks one, the choice follows the
 * playhead (the request under way there). The list is a listbox: the arrow keys move the choice,
 * a click makes it.
 */
import { el, setText } from './dom.ts';

const ROW_H = 22;
/** Rows drawn beyond the visible ones, above and below. */
const SLACK = 4;

/** One request as the picker lists it. */
export interface RequestChoice {
  requestId: string;
  text: string;
  startMs?: number;
  /** When it ended (none while unfinished). */
  endMs?: number;
  /** Attempts made: more than one is marked "retried". */
  attempts?: number;
  /** Marked "failed". */
  failed?: boolean;
}

/** The marks a request's row carries, in words: `↻ retried ×3`, `✗ failed`. */
export function requestMarks(c: RequestChoice): { kind: 'retried' | 'failed'; text: string }[] {
  return [
    ...((c.attempts ?? 1) > 1 ? [{ kind: 'retried' as const, text: `↻ retried ×${c.attempts! - 1}` }] : []),
    ...(c.failed ? [{ kind: 'failed' as const, text: '✗ failed' }] : []),
  ];
}

export class RequestPicker {
  readonly root: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly count: HTMLElement;
  private choices: readonly RequestChoice[] = [];
  /** Indexes into {@link choices} of the requests matching the search. */
  private matches: number[] = [];
  private chosen = -1;
  private rendered = '';
  /** The learner picked a request (or a packet chose it): the playhead no longer does. */
  private picked = false;

  constructor(
    private readonly id: string,
    private readonly onChange: () => void,
  ) {
    this.search = el('input', {
      type: 'search',
      id: `${id}-search`,
      'aria-label': 'Find a request',
      placeholder: 'req-000042, a service, a status…',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    this.search.addEventListener('input', () => this.filter());
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.viewport.focus();
        this.move(e.key === 'ArrowDown' ? 1 : -1);
      }
    });
    this.rows = el('ul', { class: 'request-rows', role: 'presentation' });
    this.spacer = el('div', { class: 'spacer' }, this.rows);
    this.viewport = el('div', { class: 'request-list', id, role: 'listbox', tabindex: '0', 'aria-label': 'Request' }, this.spacer);
    this.viewport.addEventListener('scroll', () => this.render());
    this.viewport.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 8 : e.key === 'PageUp' ? -8 : 0;
      if (step) {
        e.preventDefault();
        this.move(step);
      }
    });
    this.count = el('span', { class: 'hint request-count', role: 'status' });
    this.root = el('div', { class: 'request-picker' }, el('div', { class: 'request-search' }, this.search, this.count), this.viewport);
  }

  /** The chosen request's id, or '' when there is none. */
  get value(): string {
    return this.choices[this.chosen]?.requestId ?? '';
  }

  /** The requests to choose from; keeps the chosen one if it is still there, else the first. */
  setChoices(choices: readonly RequestChoice[]): void {
    const keep = this.value;
    this.choices = choices;
    const at = keep ? choices.findIndex((c) => c.requestId === keep) : -1;
    this.chosen = at >= 0 ? at : choices.length ? 0 : -1;
    this.filter();
  }

  /** Chooses `requestId` (as the learner's pick); false when the run has no such request. */
  select(requestId: string): boolean {
    const at = this.choices.findIndex((c) => c.requestId === requestId);
    if (at < 0) return false;
    this.picked = true;
    this.choose(at);
    return true;
  }

  /**
   * Unless the learner picked one, chooses the request at `timeMs`: the latest one started by
   * then that had not ended yet, else the last one started before it, else the first.
   */
  followPlayhead(timeMs: number): void {
    if (this.picked || !this.choices.length) return;
    let lo = 0;
    let hi = this.choices.length;
    // Requests are listed in start order: the last one started at or before timeMs.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.choices[mid]!.startMs ?? 0) <= timeMs) lo = mid + 1;
      else hi = mid;
    }
    let at = lo - 1;
    for (let i = at; i >= 0 && i > at - 200; i--) {
      const end = this.choices[i]!.endMs;
      if (end === undefined || end >= timeMs) {
        at = i;
        break;
      }
    }
    this.choose(Math.max(0, at), false);
  }

  private filter(): void {
    const q = this.search.value.trim().toLowerCase();
    this.matches = [];
    const words = (c: RequestChoice): string => `${c.text} ${(c.attempts ?? 1) > 1 ? 'retried' : ''} ${c.failed ? 'failed' : ''}`.toLowerCase();
    for (let i = 0; i < this.choices.length; i++) if (!q || words(this.choices[i]!).includes(q)) this.matches.push(i);
    this.spacer.style.height = `${this.matches.length * ROW_H}px`;
    setText(
      this.count,
      q ? `${this.matches.length} of ${this.choices.length} requests` : `${this.choices.length} request${this.choices.length === 1 ? '' : 's'}`,
    );
    this.rendered = '';
    this.scrollToChosen();
    this.render();
  }

  /** Chooses row `index`; `byLearner` false when the playhead chose it. */
  private choose(index: number, byLearner = true): void {
    if (byLearner) this.picked = true;
    if (index === this.chosen) return;
    this.chosen = index;
    this.rendered = '';
    this.scrollToChosen();
    this.render();
    if (byLearner) this.onChange();
  }

  /** Moves the choice `step` rows through the matches. */
  private move(step: number): void {
    if (!this.matches.length) return;
    const row = this.rowOf(this.chosen);
    const next = row < 0 ? (step > 0 ? 0 : this.matches.length - 1) : Math.min(this.matches.length - 1, Math.max(0, row + step));
    this.choose(this.matches[next]!);
  }

  /** The row of choice `index` among the matches, or -1. */
  private rowOf(index: number): number {
    let lo = 0;
    let hi = this.matches.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.matches[mid]! < index) lo = mid + 1;
      else hi = mid;
    }
    return this.matches[lo] === index ? lo : -1;
  }

  private scrollToChosen(): void {
    const row = this.rowOf(this.chosen);
    if (row < 0) return;
    const top = row * ROW_H;
    const h = this.viewport.clientHeight || 8 * ROW_H;
    if (top < this.viewport.scrollTop || top + ROW_H > this.viewport.scrollTop + h) this.viewport.scrollTop = Math.max(0, top - h / 2);
  }

  private render(): void {
    const h = this.viewport.clientHeight || 8 * ROW_H;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_H) - SLACK);
    const last = Math.min(this.matches.length, Math.ceil((this.viewport.scrollTop + h) / ROW_H) + SLACK);
    const key = `${first}:${last}:${this.chosen}:${this.matches.length}`;
    if (key === this.rendered) return;
    this.rendered = key;
    this.rows.style.transform = `translateY(${first * ROW_H}px)`;
    const items: HTMLElement[] = [];
    let active: string | null = null;
    for (let r = first; r < last; r++) {
      const index = this.matches[r]!;
      const choice = this.choices[index]!;
      const selected = index === this.chosen;
      const optionId = `${this.id}-option-${index}`;
      if (selected) active = optionId;
      const marks = requestMarks(choice);
      const li = el(
        'li',
        { role: 'option', id: optionId, class: 'request-row', 'aria-selected': String(selected), title: [choice.text, ...marks.map((m) => m.text)].join(' ') },
        el('span', { class: 'request-text' }, choice.text),
        ...marks.map((m) => el('span', { class: `request-mark mark-${m.kind}` }, ` ${m.text}`)),
      );
      li.addEventListener('click', () => this.choose(index));
      items.push(li);
    }
    this.rows.replaceChildren(...items);
    if (active) this.viewport.setAttribute('aria-activedescendant', active);
    else this.viewport.removeAttribute('aria-activedescendant');
  }
}
