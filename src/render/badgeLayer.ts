/**
 * Badges: a word with a symbol beside a node for a moment after an outcome (↻ retry, ✕ 503,
 * ◷ timeout, ⊘ denied; glyphs Debian's DejaVu fonts have). Each box gets one list above it, alike
 * badges merged with a count; they fade out, or stay steady with reduced motion.
 */
import { Container, Graphics, type Text } from 'pixi.js';
import type { BadgeView } from '../player/index.ts';
import { BADGE_LOOKS, COLOURS } from './palette.ts';
import type { Box, Layout, NodeBox, PodCard } from './layout.ts';
import { label } from './text.ts';

interface BadgeSprite {
  root: Container;
  bg: Graphics;
  text: Text;
  key: string;
  width: number;
}

/** Rows of a box's badge list before "+N more". */
const MAX_ROWS = 2;
const ROW_H = 19;

export class BadgeLayer {
  readonly root = new Container();
  private readonly pool: BadgeSprite[] = [];

  private readonly cardOf = new Map<NodeBox, PodCard>();

  constructor(private readonly layout: Layout) {
    for (const p of layout.pods)
      for (const b of layout.boxes) if (b.x >= p.x && b.y >= p.y && b.x + b.w <= p.x + p.w && b.y + b.h <= p.y + p.h) this.cardOf.set(b, p);
  }

  /**
   * Shows the badges: per box a list, newest first, alike badges merged with a count ("✕ 503 ×3"),
   * at most {@link MAX_ROWS} rows and a "+N more" row, sitting on the box's top edge.
   */
  update(badges: readonly BadgeView[], motion: boolean): void {
    const lists = new Map<Box, { key: string; kind: BadgeView['kind']; text: string; count: number; age: number }[]>();
    // Newest first, so the latest outcome sits nearest its node.
    for (let i = badges.length - 1; i >= 0; i--) {
      const b = badges[i]!;
      const node = this.layout.nodes.get(b.node);
      if (!node) continue;
      // A pod's badges (app and sidecar alike) share one list on its card; a lone box has its own.
      const box: Box = this.cardOf.get(node) ?? node;
      const list = lists.get(box) ?? lists.set(box, []).get(box)!;
      const key = `${b.kind}:${b.text}`;
      const same = list.find((x) => x.key === key);
      if (same) same.count++;
      else list.push({ key, kind: b.kind, text: b.text, count: 1, age: b.age });
    }
    let n = 0;
    for (const [box, list] of lists) {
      const rows = list.length > MAX_ROWS + 1 ? [...list.slice(0, MAX_ROWS), null] : list;
      const more = list.length - MAX_ROWS;
      const card = this.layout.pods.includes(box as PodCard) ? (box as PodCard) : null;
      // Over a card: right-aligned over its title row, so the pod's name stays readable on the left.
      const bottom = card ? card.y + 20 : box.y - 2;
      rows.forEach((row, level) => {
        const sprite = this.pool[n] ?? this.make();
        n++;
        const text = row ? `${BADGE_LOOKS[row.kind].symbol} ${row.text}${row.count > 1 ? ` ×${row.count}` : ''}` : `+${more} more`;
        const colour = row ? BADGE_LOOKS[row.kind].colour : COLOURS.grey;
        const key = `${colour}:${text}`;
        if (sprite.key !== key) {
          sprite.key = key;
          sprite.text.text = text;
          sprite.width = Math.ceil(sprite.text.width) + 10;
          sprite.bg
            .clear()
            .roundRect(0, 0, sprite.width, ROW_H - 2, 8)
            .fill(0xffffff)
            .stroke({ width: 2, color: colour });
        }
        sprite.root.visible = true;
        sprite.root.position.set(card ? box.x + box.w - 4 - sprite.width : box.x, bottom - (level + 1) * ROW_H);
        const age = row ? row.age : list[MAX_ROWS]!.age;
        sprite.root.alpha = motion ? 1 - 0.6 * age * age : 1;
      });
    }
    for (let i = n; i < this.pool.length; i++) this.pool[i]!.root.visible = false;
  }

  /** The badges drawn now, in world coordinates (what callouts keep off). */
  drawn(): Box[] {
    const out: Box[] = [];
    for (const b of this.pool) if (b.root.visible) out.push({ x: b.root.x, y: b.root.y, w: b.width, h: ROW_H - 2 });
    return out;
  }

  private make(): BadgeSprite {
    const root = new Container();
    const bg = new Graphics();
    const text = label('', { fontSize: 11, fontWeight: 'bold' });
    text.position.set(5, 1);
    root.addChild(bg, text);
    this.root.addChild(root);
    const sprite = { root, bg, text, key: '', width: 0 };
    this.pool.push(sprite);
    return sprite;
  }
}
