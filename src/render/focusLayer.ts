/**
 * The keyboard's focus on the picture: what the arrow keys can land on (every box, every link
 * with traffic or state, every packet drawn), the ring drawn around it, and the words read out
 * for it. Picking with Enter is handed to the view's selection.
 */
import type { Graphics } from 'pixi.js';
import type { View } from '../player/index.ts';
import { CanvasNavigator, type NavTarget } from './keyboardNav.ts';
import type * as Describe from './describe.ts';
import type { Layout } from './layoutTypes.ts';
import type { EdgeLayer } from './edgeLayer.ts';
import type { PacketLayer } from './packetLayer.ts';
import type { Selection } from './MeshView.ts';

/** What the focus layer reads from the view it belongs to. */
export interface FocusSource {
  layout(): Layout | null;
  edges(): EdgeLayer | null;
  packets(): PacketLayer | null;
  view(): View | null;
  /** Something changed on screen: render again. */
  changed(): void;
  /** Enter picked a target (null: Escape let go). */
  select(selection: Selection): void;
  /** The ring moved (null: it left the picture), with what it is on, in words. */
  focused(text: string | null): void;
}

export class FocusLayer {
  private readonly navigator: CanvasNavigator;

  /** `root`: where the ring is drawn, in the world above the packets (handed in: this module imports nothing from pixi.js at run time, see keyboardFocus.ts). */
  constructor(
    private readonly root: Graphics,
    canvas: HTMLCanvasElement,
    private readonly source: FocusSource,
    byPointer: boolean,
    /** describe.ts, handed in too (importing it would move it into a chunk shared with this one). */
    private readonly words: typeof Describe,
  ) {
    this.navigator = new CanvasNavigator(
      canvas,
      () => this.targets(),
      (t) => {
        this.draw(t);
        source.focused(t ? this.describe(t) : null);
      },
      (t) =>
        source.select(
          t === null
            ? null
            : t.kind === 'node'
              ? { kind: 'node', node: t.node }
              : t.kind === 'edge'
                ? { kind: 'edge', from: t.from, to: t.to }
                : { kind: 'packet', seq: t.seq, packet: t.packet },
        ),
      byPointer,
    );
  }

  /** What the keyboard can land on. */
  private targets(): NavTarget[] {
    const layout = this.source.layout();
    if (!layout) return [];
    const out: NavTarget[] = [];
    for (const b of layout.boxes) out.push({ kind: 'node', node: b.node.id, label: this.words.boxName(b), x: b.x + b.w / 2, y: b.y + b.h / 2, w: b.w, h: b.h });
    for (const t of this.source.edges()?.tagsDrawn() ?? [])
      out.push({ kind: 'edge', from: t.from, to: t.to, label: t.text, x: t.x + t.w / 2, y: t.y + t.h / 2, w: t.w, h: t.h });
    for (const { packet, x, y } of this.source.packets()?.drawnPackets() ?? [])
      out.push({ kind: 'packet', seq: packet.seq, packet, label: packet.label, x, y, w: 16, h: 16 });
    return out;
  }

  private describe(t: NavTarget): string {
    const layout = this.source.layout();
    const view = this.source.view();
    if (!layout || !view) return t.label;
    if (t.kind === 'node') return this.words.describeNode(layout, view, t.node);
    if (t.kind === 'edge') return this.words.describeEdge(layout, view, t.from, t.to);
    return this.words.describePacket(layout, t.packet);
  }

  /** Draws the ring around `t`, or clears it. */
  draw(t: NavTarget | null): void {
    const g = this.root.clear();
    if (t) {
      const pad = t.kind === 'packet' ? 4 : 5;
      g.roundRect(t.x - t.w / 2 - pad, t.y - t.h / 2 - pad, t.w + 2 * pad, t.h + 2 * pad, 6).stroke({ width: 2.5, color: 0x1e1e1e });
      g.roundRect(t.x - t.w / 2 - pad - 2.5, t.y - t.h / 2 - pad - 2.5, t.w + 2 * pad + 5, t.h + 2 * pad + 5, 8).stroke({ width: 2, color: 0xffffff });
    }
    this.source.changed();
  }

  /** A key pressed on the canvas before this was loaded (keyboardFocus.ts). */
  key(e: KeyboardEvent): void {
    this.navigator.keydown(e);
  }

  destroy(): void {
    this.navigator.destroy();
  }
}
