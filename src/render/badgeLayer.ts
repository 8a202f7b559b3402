/**
 * Badges: a word with a symbol beside a node for a moment after an outcome (↻ retry, ✕ 503,
 * ◷ timeout, ⊘ denied; glyphs Debian's DejaVu fonts have). They stack above the node and fade out, or stay steady with reduced motion.
 */
import { Container, Graphics, type Text } from 'pixi.js';
import type { BadgeView } from '../player/index.ts';
import { BADGE_LOOKS } from './palette.ts';
import type { Layout } from './layout.ts';
import { label } from './text.ts';

interface BadgeSprite {
  root: Container;
  bg: Graphics;
  text: Text;
  key: string;
}

export class BadgeLayer {
  readonly root = new Container();
  private readonly pool: BadgeSprite[] = [];

  constructor(private readonly layout: Layout) {}

  update(badges: readonly BadgeView[], motion: boolean): void {
    const stack = new Map<string, number>();
    let n = 0;
    // Newest first, so the latest outcome sits nearest its node.
    for (let i = badges.length - 1; i >= 0; i--) {
      const b = badges[i]!;
      const box = this.layout.nodes.get(b.node);
      if (!box) continue;
      const level = stack.get(b.node) ?? 0;
      stack.set(b.node, level + 1);
      if (level >= 3) continue;
      const sprite = this.pool[n] ?? this.make();
      const key = `${b.kind}:${b.text}`;
      if (sprite.key !== key) {
        sprite.key = key;
        const look = BADGE_LOOKS[b.kind];
        sprite.text.text = `${look.symbol} ${b.text}`;
        const w = sprite.text.width + 10;
        sprite.bg.clear().roundRect(0, 0, w, 17, 8).fill(0xffffff).stroke({ width: 2, color: look.colour });
      }
      sprite.root.visible = true;
      sprite.root.position.set(box.x + box.w - 16 + level * 6, box.y - 14 - level * 19);
      sprite.root.alpha = motion ? 1 - 0.6 * b.age * b.age : 1;
      n++;
    }
    for (let i = n; i < this.pool.length; i++) this.pool[i]!.root.visible = false;
  }

  private make(): BadgeSprite {
    const root = new Container();
    const bg = new Graphics();
    const text = label('', { fontSize: 11, fontWeight: 'bold' });
    text.position.set(5, 1);
    root.addChild(bg, text);
    this.root.addChild(root);
    const sprite = { root, bg, text, key: '' };
    this.pool.push(sprite);
    return sprite;
  }
}
