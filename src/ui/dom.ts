/**
 * A small DOM builder. Text always goes in as text (textContent), never as HTML, so scenario
 * titles, narration and labels cannot inject markup.
 */
type Child = Node | string | null | undefined | false;

/** `el('button', { 'aria-label': 'Play' }, 'Play')`. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (and text, as text). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Resolves after the next frame is shown (a timer queued from the frame's callback runs after its paint). */
export const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/**
 * Runs `work` once the browser is idle (at the latest after `timeoutMs`): for what reads a whole
 * long run but is not part of the frame the learner waits for (a density strip, an index).
 */
export function whenIdle(work: () => void, timeoutMs = 300): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => work(), { timeout: timeoutMs });
  else setTimeout(work, 0);
}

/** Replaces an element's content with text. */
export function setText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

const ICONS: Record<string, string> = {
  restart: 'M3 3h2v10H3z M14 3v10L6 8z',
  back: 'M13 3v10L5 8z M3 3h2v10H3z',
  play: 'M4 2.5v11L13.5 8z',
  pause: 'M4 3h3v10H4z M9 3h3v10H9z',
  forward: 'M3 3v10l8-5z M11 3h2v10h-2z',
  lock: 'M5 7V5a3 3 0 0 1 6 0v2h1v7H4V7z M6.5 7h3V5a1.5 1.5 0 0 0-3 0z',
};

/** A 16×16 icon (decorative: the button or text beside it carries the name). */
export function icon(name: keyof typeof ICONS): SVGSVGElement {
  const root = svg('svg', { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', class: `icon icon-${name}` });
  root.append(svg('path', { d: ICONS[name]!, fill: 'currentColor', 'fill-rule': 'evenodd' }));
  return root;
}
