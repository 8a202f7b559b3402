/**
 * Breakpoints: playing stops when a breaker opens or an endpoint is ejected, retries run out, a
 * handshake fails, or a request is denied — at exactly that decision. Each box says how many
 * such moments the current run has.
 */
import { BREAKPOINTS, breakpointStops } from '../player/index.ts';
import type { PanelHandle } from './lazyPanel.ts';
import type { Workbench } from './Workbench.ts';
import { el, setText } from './dom.ts';

export class BreakpointsPanel {
  private readonly boxes = new Map<string, { box: HTMLInputElement; count: HTMLElement }>();

  /** Fills `root`, the panel's `<details>`; `enabled`: the breakpoints switched on. */
  constructor(
    readonly root: HTMLDetailsElement,
    enabled: ReadonlySet<string>,
    onChange: (enabled: ReadonlySet<string>) => void,
  ) {
    const set = el('fieldset', { class: 'breakpoints' }, el('legend', {}, 'Pause when'));
    for (const b of BREAKPOINTS) {
      const box = el('input', { type: 'checkbox', id: `breakpoint-${b.id}`, 'data-breakpoint': b.id, checked: enabled.has(b.id) });
      const count = el('span', { class: 'count' });
      box.addEventListener('change', () => onChange(this.enabled()));
      set.append(el('div', { class: 'breakpoint' }, box, el('label', { for: box.id }, b.label), count));
      this.boxes.set(b.id, { box, count });
    }
    root.append(set);
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

/** The breakpoints panel in `root`: the boxes switch `wb`'s breakpoints, each counting its moments in the run. */
export function breakpointsHandle(wb: Workbench, root: HTMLDetailsElement): PanelHandle {
  const panel = new BreakpointsPanel(root, wb.breakpoints, (enabled) => {
    wb.breakpoints.clear();
    for (const id of enabled) wb.breakpoints.add(id);
    wb.applyStops();
  });
  const all = new Set(BREAKPOINTS.map((b) => b.id));
  return {
    refresh() {
      const steps = wb.player?.steps;
      if (!steps) return;
      const counts = new Map<string, number>();
      for (const s of breakpointStops(steps, all)) counts.set(s.id, (counts.get(s.id) ?? 0) + 1);
      panel.setCounts(counts);
    },
  };
}
