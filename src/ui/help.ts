/**
 * The keyboard help overlay (?), and the legend of packet shapes and badges: loaded the first time
 * either is opened (shell.ts).
 */
import { BADGE_LOOKS, PACKET_LOOKS } from '../render/index.ts';
import { el, icon } from './dom.ts';

const KEYS: [string, string][] = [
  ['Space', 'Play / Pause'],
  ['→', 'Step forward'],
  ['←', 'Step back'],
  ['Home', 'Restart'],
  ['+ / −', 'Faster / slower'],
  ['N / Shift+N', 'Next / previous narration line'],
  ['B / Shift+B', 'Next / previous moment a breakpoint can stop at'],
  ['D / Shift+D', 'Next / previous difference between the meshes (compare mode)'],
  ['?', 'This help'],
  ['Esc', 'Close help'],
];

/** A modal dialog listing the keys; `toggle()` opens and closes it. */
export function helpDialog(): { root: HTMLDialogElement; toggle(): void } {
  const close = el('button', { type: 'button', class: 'close' }, 'Close');
  const list = el('dl', { class: 'keys' });
  for (const [k, v] of KEYS) list.append(el('dt', {}, el('kbd', {}, k)), el('dd', {}, v));
  const root = el(
    'dialog',
    { class: 'help', 'aria-label': 'Keyboard shortcuts' },
    el('h2', {}, 'Keyboard shortcuts'),
    list,
    el('p', {}, 'Drag the picture to pan, use the mouse wheel to zoom, click a pod, sidecar or packet to inspect it.'),
    close,
  );
  close.addEventListener('click', () => root.close());
  return { root, toggle: () => (root.open ? root.close() : root.showModal()) };
}

/** The legend's rows (shell.ts's Legend panel): each packet kind's glyph, colour and name, and each badge's symbol. */
export function legendRows(): HTMLElement[] {
  const hex = (n: number): string => `#${n.toString(16).padStart(6, '0')}`;
  const packets = el('ul', { class: 'legend' });
  for (const look of Object.values(PACKET_LOOKS))
    packets.append(el('li', {}, el('span', { class: 'glyph', style: `color:${hex(look.colour)}` }, look.glyph), ` ${look.name}`));
  packets.append(el('li', {}, el('span', { class: 'glyph' }, icon('lock')), ' lock mark: inside mTLS'));
  const badges = el('ul', { class: 'legend' });
  for (const [kind, look] of Object.entries(BADGE_LOOKS))
    badges.append(el('li', {}, el('span', { class: 'glyph', style: `color:${hex(look.colour)}` }, look.symbol), ` ${kind}`));
  return [el('h3', {}, 'Packets'), packets, el('h3', {}, 'Badges'), badges];
}
