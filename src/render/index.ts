/** The renderer: draws the player's view with pixi.js. Reads views; simulates nothing. */
export { MeshView, type Selection, type DrawOptions } from './MeshView.ts';
export { PACKET_LOOKS, BADGE_LOOKS, COLOURS } from './palette.ts';
export { layoutOf, type Layout } from './layout.ts';
export { loadFollow } from './framing.ts';
