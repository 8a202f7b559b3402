/**
 * Keyboard: Space play/pause, ←/→ step, Home restart, +/− speed, N/B/D the next narration line,
 * breakpoint moment or difference (Shift: the previous), ? help. Keys typed into a text field, an
 * editor (the authoring view's) or a list box keep their usual meaning.
 */
export interface KeyActions {
  toggle(): void;
  stepBack(): void;
  stepForward(): void;
  restart(): void;
  faster(): void;
  slower(): void;
  help(): void;
  /** To the next (1) or previous (-1) narration line, breakpoint moment or difference between panes. */
  jump(what: 'narration' | 'breakpoint' | 'divergence', direction: 1 | -1): void;
}

export function bindKeys(target: Document, actions: KeyActions): void {
  target.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target as HTMLElement | null;
    if (
      t &&
      (t.tagName === 'SELECT' ||
        t.tagName === 'TEXTAREA' ||
        t.isContentEditable ||
        (t.tagName === 'INPUT' && (t as HTMLInputElement).type !== 'range' && (t as HTMLInputElement).type !== 'checkbox'))
    )
      return;
    if (t?.closest('dialog[open]') && e.key !== '?') return;
    // In the side panels a focused button or box takes Space (and Enter) as its own.
    if ((e.key === ' ' || e.key === 'Enter') && t && (t.tagName === 'BUTTON' || (t as HTMLInputElement).type === 'checkbox') && t.closest('.panel')) return;
    const run: Record<string, () => void> = {
      ' ': actions.toggle,
      ArrowRight: actions.stepForward,
      ArrowLeft: actions.stepBack,
      Home: actions.restart,
      '+': actions.faster,
      '=': actions.faster,
      '-': actions.slower,
      '−': actions.slower,
      '?': actions.help,
      n: () => actions.jump('narration', 1),
      N: () => actions.jump('narration', -1),
      b: () => actions.jump('breakpoint', 1),
      B: () => actions.jump('breakpoint', -1),
      d: () => actions.jump('divergence', 1),
      D: () => actions.jump('divergence', -1),
    };
    const action = run[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  });
  // A focused button would also "click" on Space's keyup; the keydown already acted.
  target.addEventListener('keyup', (e) => {
    if (e.key === ' ' && (e.target as HTMLElement | null)?.tagName === 'BUTTON') e.preventDefault();
  });
}
