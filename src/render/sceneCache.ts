/**
 * The still scene — cluster, services, pods, wires, labels — drawn into a texture the view owns,
 * at {@link SCENE_CACHE_SCALE} times the screen's resolution for the current zoom, and shown as one
 * sprite: a frame draws one quad for the whole still scene and uploads nothing for it. The texture
 * is drawn again only when a state, a counter or the zoom changes ({@link SceneCache.changed},
 * {@link SceneCache.zoomed}), just before the next frame is rendered. Zoomed in so far that the
 * texture would pass {@link SCENE_CACHE_MAX_PX} a side, the scene is drawn live.
 *
 * pixi's own `cacheAsTexture` drew the same texture, but re-uploaded the stage's whole batch
 * (~16 KB) every frame to draw it (RenderGroupPipe._executeCacheAsTexture).
 */
import { Graphics, Matrix, Sprite, TexturePool, type Container, type Texture, type WebGLRenderer } from 'pixi.js';
import type { Box } from './geometry.ts';

/** The largest side of the still scene's cached texture, in pixels (WebGL offers at least this almost everywhere). */
const SCENE_CACHE_MAX_PX = 4096;

/**
 * Texels of the cached scene per screen pixel. Above 1, so that the sprite drawn at a fraction of
 * a pixel keeps the labels sharp, and its edges come out smooth without multisampling (1.5 × 1.5
 * samples a pixel). It was 2, multisampled on top: in software WebGL (SwiftShader, as on a machine
 * without a GPU) a redraw of the texture added ~500 ms to a step that changed a state chip or a
 * counter (a slow two-core machine, 1280×800); at 1.5 without multisampling, 130–260 ms, the
 * picture the same to the eye at 100 % and 300 % (session 36's screenshots).
 */
const SCENE_CACHE_SCALE = 1.5;

export class SceneCache {
  /** Shows the texture: goes where the scene would be drawn (the scene's root stays in the tree, for its bounds and texts, and is not drawn). */
  readonly sprite = new Sprite();
  private texture: Texture | null = null;
  /** The resolution the scene is cached at (0: drawn live). */
  private resolution = 0;
  private stale = false;

  /** `root`: the still scene, of `bounds` (the layout's). */
  constructor(
    private readonly renderer: WebGLRenderer,
    private readonly root: Container,
    private readonly bounds: Box,
  ) {
    // Left out of the stage's drawing while cached (drawing it into the texture makes it a render group).
    root.includeInBuild = false;
    this.sprite.visible = false;
  }

  /** The camera's zoom is now `zoom`: the texture at the resolution it wants, or the scene live when too big. */
  zoomed(zoom: number): void {
    const resolution = SCENE_CACHE_SCALE * Math.max(1, window.devicePixelRatio || 1) * zoom;
    if (Math.max(this.bounds.w, this.bounds.h) * resolution > SCENE_CACHE_MAX_PX) {
      if (!this.root.includeInBuild) this.live();
      return;
    }
    if (resolution === this.resolution) return;
    this.resolution = resolution;
    this.stale = true;
  }

  /** The scene's drawing changed: the texture is drawn again before the next frame. */
  changed(): void {
    if (this.resolution) this.stale = true;
  }

  /** Draws the texture if it is due; call just before the stage is rendered. */
  refresh(): void {
    if (!this.stale) return;
    this.stale = false;
    const root = this.root;
    // As pixi's cacheAsTexture: the scene's bounds in whole pixels, a pooled texture; not
    // multisampled (SCENE_CACHE_SCALE).
    const bounds = root.getLocalBounds();
    bounds.ceil();
    this.release();
    const texture = (this.texture = TexturePool.getOptimalTexture({
      width: bounds.width,
      height: bounds.height,
      resolution: this.resolution,
      antialias: false,
    }));
    this.renderer.render({ container: root, target: texture, clear: true, transform: new Matrix().translate(-bounds.minX, -bounds.minY) });
    const sprite = this.sprite;
    sprite.texture = texture;
    sprite.position.set(bounds.minX, bounds.minY);
    if (!sprite.visible) {
      // From live: the stage draws the sprite instead of the scene (a visibility change rebuilds its instructions).
      root.includeInBuild = false;
      sprite.visible = true;
    }
  }

  /** Too big to cache: the stage draws the scene itself. */
  private live(): void {
    this.resolution = 0;
    this.stale = false;
    this.root.includeInBuild = true;
    this.sprite.visible = false;
    this.release();
  }

  private release(): void {
    if (this.texture) TexturePool.returnTexture(this.texture);
    this.texture = null;
  }

  destroy(): void {
    this.release();
    this.sprite.destroy();
  }
}

/**
 * Draws every Graphics of the still scene through pixi's batcher, with the one shader program
 * sprites, text and small Graphics use. pixi draws a Graphics of over 400 vertex floats (the
 * cluster, its bands and wires are one) with a shader of its own instead: a second program that
 * would be compiled and linked before the first frame, the slowest step of the first frame in
 * software WebGL. The still scene is drawn into its cached texture, not each frame, so batching
 * its vertices on the CPU costs nothing per frame.
 */
export function batchStill(root: Container): void {
  if (root instanceof Graphics) root.context.batchMode = 'batch';
  for (const child of root.children) batchStill(child);
}
