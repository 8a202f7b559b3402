/**
 * The embed page's own DOM: how much of the app shows (controls, narration, theme), the message
 * shown instead of the simulator when something is wrong, the Play/Pause button kept on the
 * picture when every other control is hidden, and the content height for auto-resize. Text goes
 * in as text only.
 */
import { el, icon } from '../ui/dom.ts';
import type { ControlsLevel, Theme } from './params.ts';

/** Sets the attributes `embed.css` keys on: which controls, narration, theme. */
export function applyLook(look: { controls: ControlsLevel; narration: boolean; theme: Theme }): void {
  const d = document.documentElement.dataset;
  d.controls = look.controls;
  d.narration = look.narration ? 'on' : 'off';
  d.theme = look.theme;
}

/**
 * Replaces the page with the problems that stop the simulator from starting, each on its own
 * line, and marks the page done (`data-ready="error"`) so tests and hosts can tell.
 */
export function showProblems(root: HTMLElement, problems: readonly string[]): void {
  const list = el('ul', {}, ...problems.map((p) => el('li', {}, p)));
  root.replaceChildren(
    el(
      'section',
      { class: 'embed-problems', role: 'alert', 'aria-labelledby': 'embed-problems-title' },
      el('h1', { id: 'embed-problems-title' }, 'This simulation cannot start'),
      el(
        'p',
        {},
        problems.length === 1
          ? 'The page that embeds it asked for something that needs fixing:'
          : `The page that embeds it asked for ${problems.length} things that need fixing:`,
      ),
      list,
      el('p', { class: 'hint' }, 'Course authors: the embed parameters are described in the mesh-sim README, under “Embedding in a course”.'),
    ),
  );
  document.title = 'mesh-sim — cannot start';
  document.body.dataset.ready = 'error';
}

/**
 * With `controls=none` the picture still needs a way to pause (WCAG 2.2.2, Pause, Stop, Hide):
 * a button on the picture that appears once playback starts and stays, as Pause or Play.
 */
export class PauseButton {
  readonly root: HTMLButtonElement;
  private shown = false;
  private label = '';

  constructor(host: HTMLElement, toggle: () => void) {
    this.root = el('button', { type: 'button', class: 'embed-pause', hidden: true });
    this.root.addEventListener('click', toggle);
    host.append(this.root);
  }

  update(playing: boolean): void {
    if (playing) this.shown = true;
    if (this.root.hidden === this.shown) this.root.hidden = !this.shown;
    const label = playing ? 'Pause' : 'Play';
    if (label === this.label) return;
    this.label = label;
    this.root.setAttribute('aria-label', label);
    this.root.title = `${label} (Space)`;
    this.root.replaceChildren(icon(playing ? 'pause' : 'play'), el('span', {}, label));
  }
}

/** Calls `report(height)` with the content's height in CSS pixels whenever it changes. */
export function watchHeight(root: HTMLElement, report: (height: number) => void): void {
  let last = -1;
  const measure = (): void => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last || height === 0) return;
    last = height;
    report(height);
  };
  new ResizeObserver(measure).observe(root);
  measure();
}
