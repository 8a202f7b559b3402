/**
 * Text in the scene: canvas text (never HTML), rendered at a resolution that follows the device
 * pixel ratio and the camera zoom so labels stay sharp when zoomed or on high-DPI screens.
 */
import { Text, type TextStyleOptions } from 'pixi.js';

const FONT = 'system-ui, "DejaVu Sans", "Segoe UI", Roboto, sans-serif';

/** Every label made here, so their resolution can follow the zoom. */
const labels = new Set<Text>();
let resolution = 2;

/** A label; `text` is shown as text, whatever it contains. */
export function label(text: string, style: TextStyleOptions = {}): Text {
  const t = new Text({ text, style: { fontFamily: FONT, fontSize: 12, fill: 0x1e1e1e, ...style }, resolution });
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
