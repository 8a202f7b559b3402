/**
 * Guided mode's place in the picture: the veil (guideVeil.ts) is loaded when guided mode is first
 * turned on, so a first play without it does not carry it (issue 11's first-play budget). Until
 * then, and while guided mode is off before that, nothing is dimmed and nothing framed.
 */
import { Container, Graphics } from 'pixi.js';
import type { NarrationNow, NodeId } from '../player/index.ts';
import type { Box } from './geometry.ts';
import type { GuideVeil } from './guideVeil.ts';
import type { Layout } from './layoutTypes.ts';
import { COLOURS } from './palette.ts';

/** guideVeil.ts, once loaded (one load for every pane). */
let veilModule: Promise<typeof import('./guideVeil.ts')> | null = null;

export class GuideLayer {
  /** Where the veil goes in the world: above the scene and links, below packets and badges. */
  readonly root = new Container();
  private veil: GuideVeil | null = null;

  /** `loaded`: called once the veil is made after guided mode was turned on (draw the narration again). */
  constructor(
    private readonly layout: Layout,
    private readonly loaded: () => void,
  ) {
    this.root.label = 'guide';
  }

  /** What is framed now, world coordinates (null: the whole picture). */
  get framed(): Box | null {
    return this.veil?.framed ?? null;
  }

  /** The veil's update (guideVeil.ts): a region to frame, the `whole` picture again, or nothing (null). */
  update(lines: readonly NarrationNow[], stepNodes: readonly NodeId[], on: boolean, screen: { width: number; height: number }): Box | 'whole' | null {
    if (this.veil) return this.veil.update(lines, stepNodes, on, screen);
    if (on) {
      veilModule ??= import('./guideVeil.ts');
      void veilModule.then((m) => {
        if (this.veil || this.root.destroyed) return;
        this.veil = new m.GuideVeil(this.layout, new Graphics(), COLOURS.background);
        this.root.addChild(this.veil.root);
        this.loaded();
      });
    }
    return null;
  }

  /** The boxes left bright (world coordinates). */
  brightBoxes(): readonly Box[] {
    return this.veil?.brightBoxes() ?? [];
  }
}
