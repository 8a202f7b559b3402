/**
 * How wide a label will be, without a canvas: the advance widths of DejaVu Sans (what
 * `system-ui` is on Debian's Chromium, and among the widest sans-serif fonts), so a box sized
 * by this estimate holds its label in any of the fonts the page asks for.
 */

// Advance widths of the printable ASCII characters (space to tilde), in hundredths of an em,
// measured in Chromium with DejaVu Sans.
const NORMAL = [
  32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34, 84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 58,
  77, 75, 29, 29, 66, 56, 86, 75, 79, 60, 79, 69, 63, 61, 73, 68, 99, 69, 61, 69, 39, 34, 39, 84, 50, 50, 61, 63, 55, 63, 62, 35, 63, 63, 28, 28, 58, 28, 97,
  63, 61, 63, 63, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64, 34, 64, 84,
];
const BOLD = [
  35, 46, 52, 84, 70, 100, 87, 31, 46, 46, 52, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70, 70, 70, 70, 40, 40, 84, 84, 84, 58, 100, 77, 76, 73, 83, 68, 68,
  82, 84, 37, 37, 77, 64, 100, 84, 85, 73, 85, 77, 72, 68, 81, 77, 110, 77, 72, 73, 46, 37, 46, 84, 50, 50, 67, 72, 59, 72, 68, 44, 72, 71, 34, 34, 67, 34, 104,
  71, 69, 72, 72, 49, 60, 48, 71, 65, 92, 65, 65, 58, 71, 37, 71, 84,
];
/** Symbols outside ASCII (✓ ✕ × → ⏏ ↻ …) are about this wide, or narrower. */
const OTHER = 100;

/** Estimated width in px of `text` set at `size` px. */
export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? BOLD : NORMAL;
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w += c >= 32 && c < 127 ? table[c - 32]! : c === 0xb7 ? 32 : OTHER;
  }
  return (w * size) / 100;
}
