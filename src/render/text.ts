/**
 * Text in the scene: canvas text (never HTML), rendered at a resolution that follows the device
 * pixel ratio and the camera zoom so labels stay sharp when zoomed or on high-DPI screens.
 */
import { Text, TextStyle, type TextStyleOptions } from 'pixi.js';

const FONT = 'system-ui, "DejaVu Sans", "Segoe UI", Roboto, sans-serif';

/** Every label made here, so their resolution can follow the zoom. */
const labels = new Set<Text>();
let resolution = 2;

/**
 * One TextStyle per set of options: pixi keys a text's texture by its words, its style object and
 * its resolution, and labels with the same key share one texture (counting its users). So a
 * layout's repeated words ("sidecar", "not started") are drawn once, and a mesh switch's new layout
 * reuses the old one's textures for the words both write (MeshView.build) instead of drawing them again.
 */
const styles = new Map<string, TextStyle>();

function sharedStyle(options: TextStyleOptions): TextStyle {
  const key = JSON.stringify(options);
  let shared = styles.get(key);
  if (!shared) styles.set(key, (shared = new TextStyle(options)));
  return shared;
}

/**
 * A label; `text` is shown as text, whatever it contains. `ownStyle`: for a label whose style is
 * changed after (its colour, its wrap): a style object of its own, not the shared one.
 */
export function label(text: string, style: TextStyleOptions = {}, ownStyle = false): Text {
  const options = { fontFamily: FONT, fontSize: 12, fill: 0x1e1e1e, ...style };
  const t = new Text({ text, style: ownStyle ? options : sharedStyle(options), resolution });
  labels.add(t);
  t.on('destroyed', () => labels.delete(t));
  return t;
}

/** Sets the resolution of every label (device pixel ratio × zoom, capped). */
export function setTextResolution(value: number): void {
  const next = Math.min(6, Math.max(1, Math.round(value * 2) / 2));
  if (next === resolution) return;
  resolution = next;
  for (const t of labels) t.resolution = next;
}
