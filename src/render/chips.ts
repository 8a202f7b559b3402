/**
 * Chips: a few words in a rounded box, coloured by tone (the words carry the meaning; the colour
 * repeats it). Pod cards list their state as chips; the control plane shows whether it runs.
 */
import { Container, Graphics, type Text } from 'pixi.js';
import type { StateTone } from '../player/index.ts';
import { COLOURS } from './palette.ts';
import { FONT } from './layout.ts';
import { label } from './text.ts';

export const TONES: Record<StateTone, { fill: number; line: number; text: number }> = {
  ok: { fill: 0xe3f3ec, line: COLOURS.green, text: 0x0b5e46 },
  warn: { fill: 0xfdf0d8, line: COLOURS.orange, text: 0x7a4f00 },
  bad: { fill: 0xfbe1d3, line: COLOURS.vermillion, text: 0x8f2f00 },
  neutral: { fill: 0xf1f1f1, line: 0x9a9a9a, text: 0x3d3d3d },
};

export interface ChipSpec {
  text: string;
  tone: StateTone;
}

export const CHIP_H = 15;

/** A row of chips that wraps inside a width and drops what does not fit in `lines` lines. */
export class ChipRow {
  readonly root = new Container();
  private key = '';
  private readonly pool: { root: Container; bg: Graphics; text: Text }[] = [];

  /** `align: 'right'`: the row ends at the root's x (for a chip right of a title). */
  constructor(
    private readonly width: number,
    private readonly lines: number,
    private readonly lineH = CHIP_H + 2,
    private readonly align: 'left' | 'right' = 'left',
  ) {}

  /** Shows `chips` (redrawn only when they changed). */
  set(chips: readonly ChipSpec[]): void {
    const key = chips.map((c) => `${c.tone}:${c.text}`).join('|');
    if (key === this.key) return;
    this.key = key;
    let x = 0;
    let line = 0;
    let n = 0;
    for (const c of chips) {
      const chip = this.pool[n] ?? this.make();
      chip.text.text = c.text;
      const w = Math.ceil(chip.text.width) + 10;
      if (x > 0 && x + w > this.width) {
        line++;
        x = 0;
      }
      if (line >= this.lines) break;
      const tone = TONES[c.tone];
      chip.text.style.fill = tone.text;
      chip.bg.clear().roundRect(0, 0, w, CHIP_H, 7).fill(tone.fill).stroke({ width: 1, color: tone.line });
      chip.root.position.set(x, line * this.lineH);
      chip.root.visible = true;
      x += w + 4;
      n++;
    }
    for (let i = n; i < this.pool.length; i++) this.pool[i]!.root.visible = false;
    if (this.align === 'right') for (let i = 0; i < n; i++) this.pool[i]!.root.x -= x - 4;
  }

  private make(): { root: Container; bg: Graphics; text: Text } {
    const root = new Container();
    const bg = new Graphics();
    const text = label('', { fontSize: FONT.text }, true);
    text.position.set(5, 0.5);
    root.addChild(bg, text);
    this.root.addChild(root);
    const chip = { root, bg, text };
    this.pool.push(chip);
    return chip;
  }
}
