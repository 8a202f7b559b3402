/**
 * Breakpoints: playing stops when a breaker opens or an endpoint is ejected, retries run out, a
 * handshake fails, or a request is denied — at exactly that decision. Each box says how many
 * such moments the current run has.
 */
import { BREAKPOINTS } from '../player/index.ts';
import { el, setText } from './dom.ts';

export class BreakpointsPanel {
  readonly root: HTMLDetailsElement;
  private readonly boxes = new Map<string, { box: HTMLInputElement; count: HTMLElement }>();

  constructor(onChange: (enabled: ReadonlySet<string>) => void) {
    const set = el('fieldset', { class: 'breakpoints' }, el('legend', {}, 'Pause when'));
    for (const b of BREAKPOINTS) {
      const box = el('input', { type: 'checkbox', id: `breakpoint-${b.id}`, 'data-breakpoint': b.id });
      const count = el('span', { class: 'count' });
      box.addEventListener('change', () => onChange(this.enabled()));
      set.append(el('div', { class: 'breakpoint' }, box, el('label', { for: box.id }, b.label), count));
      this.boxes.set(b.id, { box, count });
    }
    this.root = el('details', { class: 'panel breakpoints-panel' }, el('summary', {}, el('h2', {}, 'Breakpoints')), set);
    this.root.setAttribute('aria-label', 'Breakpoints');
  }

  enabled(): Set<string> {
    return new Set([...this.boxes].filter(([, b]) => b.box.checked).map(([id]) => id));
  }

  /** How many moments each breakpoint would stop at in this run. */
  setCounts(counts: ReadonlyMap<string, number>): void {
    for (const [id, b] of this.boxes) {
      const n = counts.get(id) ?? 0;
      setText(b.count, ` (${n} in this run)`);
    }
  }
}
