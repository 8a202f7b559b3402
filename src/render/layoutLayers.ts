/**
 * The layers one layout is drawn with: the still scene (and its cached texture), the links, the
 * packets, the badges, the guide's veil and the narration's callouts. MeshView makes a new set for
 * each layout (a new trace, a resize that changes the arrangement, a group of replicas opened) and
 * retires the old set once the new one has been rendered.
 */
import type { Container, WebGLRenderer } from 'pixi.js';
import type { Trace, View } from '../player/index.ts';
import type { Layout } from './layout.ts';
import { SceneStatic } from './sceneStatic.ts';
import { PacketLayer } from './packetLayer.ts';
import { BadgeLayer } from './badgeLayer.ts';
import { countedServices } from './freeSpot.ts';
import { EdgeLayer } from './edgeLayer.ts';
import type { PacketAtlas } from './packetAtlas.ts';
import type { Camera } from './camera.ts';
import { SceneCache, batchStill } from './sceneCache.ts';
import { NarrationLayer } from './narrationLayer.ts';
import { GuideLayer } from './guideLayer.ts';

export interface LayersContext {
  renderer: WebGLRenderer;
  atlas: PacketAtlas;
  camera: Camera;
  /** The canvas's size, CSS px. */
  screen: () => { width: number; height: number };
  /** Called once the guide's veil is made after guided mode was turned on (see guideLayer.ts). */
  guideLoaded: () => void;
}

export class LayoutLayers {
  readonly scene: SceneStatic;
  /** The still scene as one texture (see sceneCache.ts). */
  readonly cache: SceneCache;
  readonly edges: EdgeLayer;
  readonly packets: PacketLayer;
  readonly badges: BadgeLayer;
  readonly guide: GuideLayer;
  readonly narration: NarrationLayer;

  constructor(
    readonly layout: Layout,
    trace: Trace,
    context: LayersContext,
  ) {
    const { renderer, atlas, camera, screen } = context;
    this.scene = new SceneStatic(layout, trace);
    batchStill(this.scene.root);
    this.cache = new SceneCache(renderer, this.scene.root, layout.bounds);
    this.edges = new EdgeLayer(layout, this.scene.words);
    const counted = countedServices(trace);
    this.packets = new PacketLayer(layout, atlas, this.scene.words, counted);
    this.badges = new BadgeLayer(layout, camera, screen, counted, this.scene.words);
    this.guide = new GuideLayer(layout, context.guideLoaded);
    this.narration = new NarrationLayer(layout, camera, screen, () => [
      ...this.scene.words,
      ...this.edges.tagsDrawn(),
      ...this.badges.drawn(),
      ...this.packets.keepClear(),
    ]);
  }

  /** Puts the layers in the world, around the rings and the keyboard's focus ring, and the callouts on the stage. */
  mount(world: Container, stage: Container, rings: Container, focus: Container): void {
    world.addChild(this.cache.sprite, this.scene.root, this.edges.root, this.guide.root, rings, this.packets.root);
    world.addChild(this.edges.tagRoot, this.packets.above, this.badges.root, focus); // the links' tags above the packets, the caption above them
    stage.addChild(this.narration.root);
  }

  /**
   * Takes the layers off the stage and drops the cached texture; returns the roots to destroy after
   * the next render (words both layouts write keep their text textures: text.ts).
   */
  retire(): Container[] {
    this.narration.root.removeFromParent();
    this.cache.destroy();
    return [
      this.scene.root,
      this.edges.root,
      this.packets.root,
      this.badges.root,
      this.guide.root,
      this.narration.root,
      this.edges.tagRoot,
      this.packets.above,
    ];
  }

  /**
   * Draws the view's still scene, links, badges and packets (the step's flight and the selected
   * packet marked).
   */
  update(view: View, motion: boolean, stepFlightSeq: number | null, selectedSeq: number | null): void {
    if (this.scene.update(view)) this.cache.changed();
    this.edges.update(view.edges, view.components);
    this.badges.update(view.badges, motion, this.edges);
    this.packets.keepOff(this.edges, this.badges);
    this.packets.update(view.packets, motion, stepFlightSeq, selectedSeq);
  }
}
