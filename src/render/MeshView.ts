/**
 * The mesh, drawn with pixi.js: the still scene, packets, badges, and rings around what the
 * current step and the learner's selection point at. It reads a player `View` each frame and
 * draws it; it keeps no simulation state. Lifecycle: create → setTrace → draw (each frame) → destroy.
 */
import 'pixi.js/unsafe-eval';
import { Container, type WebGLRenderer } from 'pixi.js';
import type { NodeId, PacketView, Trace, View } from '../player/index.ts';
import { layoutModel, type Layout, type LayoutMemo } from './layout.ts';
import { modelOf, type LayoutModel } from './layoutModel.ts';
import { KeyboardFocus } from './keyboardFocus.ts';
import { describeScene } from './describe.ts';
import { createPacketAtlas, type PacketAtlas } from './packetAtlas.ts';
import { Camera, MIN_ZOOM } from './camera.ts';
import { Framing } from './framing.ts';
import { createCanvas } from './canvas.ts';
import { setTextResolution } from './text.ts';
import * as onScreen from './onScreen.ts';
import type { CalloutOnScreen } from './narrationLayer.ts';
import { LayoutLayers } from './layoutLayers.ts';
import { RingLayer } from './ringLayer.ts';
import { FrameClock } from './frameClock.ts';
import { MoreTabs } from './moreTabs.ts';

/** Room kept free around what guided mode frames, CSS px: its nodes stay off the canvas's edge. */
const GUIDE_MARGIN_PX = 40;

/** What the learner clicked (or picked by keyboard): a node (app, proxy, control plane, host), a link between two nodes, or a packet. */
export type Selection =
  { kind: 'node'; node: NodeId } | { kind: 'edge'; from: NodeId; to: NodeId } | { kind: 'packet'; seq: number; packet: PacketView } | null;

export interface DrawOptions {
  /** False under prefers-reduced-motion: packets hold still mid-link, badges do not fade. */
  motion: boolean;
  selection: Selection;
}

export class MeshView {
  /** Called when the learner clicks something (or empty space: null), or picks it with Enter. */
  onSelect: (selection: Selection) => void = () => {};
  /** Called when the keyboard's focus ring moves (null: it left the picture), with what it is on, in words. */
  onKeyboardFocus: (text: string | null) => void = () => {};
  /** What the camera frames when the learner has not moved it (readable fit; in compare panes, following the step). */
  readonly framing: Framing;
  /** The node ringed as this pane's difference (compare mode). */
  private differs: NodeId | null = null;
  /** Guided mode: frame the nodes the current narration is about and dim the rest (see guideLayer.ts). */
  private guidedOn = false;
  private readonly world = new Container();
  private readonly rings = new RingLayer();
  /** The keyboard's focus ring. */
  private readonly focus: KeyboardFocus;
  private readonly camera: Camera;
  private atlas: PacketAtlas;
  private model: LayoutModel | null = null;
  /** Services whose folded replicas the learner opened. */
  private expanded = new Set<string>();
  /** The arrangements placed for the model and its opened groups (see layoutTypes.ts): a resize re-chooses among them. */
  private readonly memo: LayoutMemo = { placed: new Map(), placements: 0 };
  /** The current layout's layers (see layoutLayers.ts). */
  private layers: LayoutLayers | null = null;
  /** The last view drawn, to draw again after a re-layout. */
  private lastView: { view: View; options: DrawOptions } | null = null;
  private readonly resizeObserver: ResizeObserver;
  private dirty = true;
  private painted = false;
  private destroyed = false;
  private readonly retired: (Container | undefined)[] = []; // a previous layout's layers, destroyed after the next render (build)

  /** What is drawn: the world (moved by the camera) on a stage the size of the canvas. */
  private readonly stage = new Container();
  /** Tabs at the canvas's edges the picture goes on past. */
  private readonly more = new MoreTabs(
    () => {
      const l = this.layers;
      return this.model && l
        ? { trace: this.model.trace, pipes: l.scene.words, badges: l.badges, tags: l.edges, packets: l.packets, callouts: l.narration }
        : null;
    },
    () => this.viewMoved(),
  );

  private constructor(
    private readonly renderer: WebGLRenderer,
    private readonly host: HTMLElement,
  ) {
    this.stage.addChild(this.world, this.more.root);
    this.atlas = createPacketAtlas(renderer);
    this.camera = new Camera(
      this.world,
      renderer.canvas,
      (x, y) => this.pick(x, y),
      (zoom) => {
        setTextResolution(devicePixelRatio * zoom);
        this.layers?.cache.zoomed(this.camera.zoom);
        this.viewMoved();
      },
      () => this.viewMoved(),
    );
    this.framing = new Framing(this.camera, () => this.renderer.screen);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(host);
    this.focus = new KeyboardFocus(renderer.canvas, {
      layout: () => this.layout,
      edges: () => this.layers?.edges ?? null,
      packets: () => this.layers?.packets ?? null,
      view: () => this.lastView?.view ?? null,
      changed: () => (this.dirty = true),
      select: (selection) => this.onSelect(selection),
      focused: (text) => this.onKeyboardFocus(text),
    });
  }

  /** The camera moved or the canvas resized: the badge lists keep inside the view, the callouts beside their nodes. */
  private viewMoved(): void {
    this.layers?.badges.arrange();
    this.layers?.narration.place();
    if (this.layout) this.more.update(this.camera, this.layout, this.renderer.screen);
    this.dirty = true;
  }

  /** Points the canvas's accessible description at the element with id `id` (a text view of the scene). */
  describeWith(id: string): void {
    this.renderer.canvas.setAttribute('aria-describedby', id);
  }

  /** The scene in words, one line per box, link, packet and badge (for a text view). */
  describe(): string[] {
    const view = this.lastView?.view;
    return this.layout && view ? describeScene(this.layout, view) : [];
  }

  /** Creates the canvas inside `host`, sized to it (see canvas.ts). */
  static async create(host: HTMLElement): Promise<MeshView> {
    const view = new MeshView(await createCanvas(host), host);
    // What setting up the context and the packet atlas asked of the GPU process goes to it now:
    // it is done there (shaders compiled, in software WebGL slowly) while the page simulates,
    // not when the first picture is drawn.
    view.renderer.gl.flush();
    return view;
  }

  /**
   * Calls `frame(realMs)` once per animation frame (realMs: frameClock.ts), then renders if anything changed. Rendering
   * only on change keeps an idle or paused page from using the CPU (and the GPU).
   */
  onFrame(frame: (realMs: number) => void): void {
    const clock = new FrameClock();
    const tick = (now: number): void => {
      if (this.destroyed) return;
      frame(clock.tick(now));
      // Nothing is rendered before there is a picture (see canvas.ts).
      if (this.dirty && this.layout) this.renderNow();
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  /** Renders at once (the frame loop does this when something changed). */
  renderNow(): void {
    this.dirty = false;
    this.layers?.cache.refresh();
    this.renderer.render({ container: this.stage });
    for (const layer of this.retired.splice(0)) layer?.destroy({ children: true });
    if (!this.painted && this.layout) {
      this.painted = true;
      this.renderer.canvas.style.visibility = '';
      // Navigation to first frame, for test/bench/browser.bench.ts.
      performance.mark('mesh-sim:first-frame');
    }
  }

  /** Lays out a new trace's topology. Keeps the camera if the learner moved it. */
  setTrace(trace: Trace, options: { requestsScale?: number } = {}): void {
    if (this.model?.trace.scenario.id !== trace.scenario.id) this.expanded = new Set();
    this.model = modelOf(trace, options);
    this.memo.placed.clear(); // placed for another model
    // The canvas at its host's size now (one layout of the page), so the picture is laid out and
    // fitted once for the size it is drawn at — not drawn at the old size and again when the
    // resize observer reports the new one a frame later.
    this.sizeToHost();
    this.build();
  }

  private get layout(): Layout | null {
    return this.layers?.layout ?? null;
  }

  private get viewport(): { w: number; h: number } {
    return { w: this.renderer.screen.width, h: this.renderer.screen.height };
  }

  /** The model laid out for the viewport and the opened groups (placing only arrangements not placed before). */
  private layOut(model: LayoutModel): Layout {
    return layoutModel(model, { viewport: this.viewport, expanded: this.expanded, memo: this.memo });
  }

  /** How many arrangements this view has placed (for tests: a resize that keeps the arrangement places none). */
  get placements(): number {
    return this.memo.placements;
  }

  /** (Re)builds the layers for the current model, viewport and unfolded groups (`layout`: laid out already for them). */
  private build(layout = this.model && this.layOut(this.model)): void {
    const model = this.model;
    if (!model || !layout) return;
    this.world.removeChildren();
    // The rings stay; the old layers go after the next render (see layoutLayers.ts).
    if (this.layers) this.retired.push(...this.layers.retire());
    this.layers = new LayoutLayers(layout, model.trace, {
      renderer: this.renderer,
      atlas: this.atlas,
      camera: this.camera,
      screen: () => this.renderer.screen,
      guideLoaded: () => this.setGuided(this.guidedOn, true),
    });
    this.layers.mount(this.world, this.stage, this.rings.root, this.focus.root);
    this.focus.clear();
    this.rings.reset();
    this.lastView = null;
    if (!this.camera.moved) this.fit();
    this.layers.cache.zoomed(this.camera.zoom);
    this.dirty = true;
  }

  /** Draws the view. */
  draw(view: View, options: DrawOptions): void {
    this.lastView = { view, options };
    if (!this.layers) return;
    this.dirty = true;
    const step = view.step;
    const stepFlightSeq = step?.kind === 'flight' ? step.seq : null;
    const selectedSeq = options.selection?.kind === 'packet' ? options.selection.seq : null;
    this.layers.update(view, options.motion, stepFlightSeq, selectedSeq);
    this.rings.draw(this.layout!, step?.nodes ?? [], options.selection?.kind === 'node' ? options.selection.node : null, this.differs);
    this.drawNarration(view);
    if (!this.guidedOn || !this.layers?.guide.framed) this.framing.followStep(this.layout!, step?.seq ?? -1, step?.nodes ?? []);
    this.more.update(this.camera, this.layout!, this.renderer.screen);
  }

  /** Compare mode: rings `node`, where this pane just did what another did not (null: none). Drawn with the next view. */
  markDifference(node: NodeId | null): void {
    this.differs = node;
  }

  /** Guided mode on or off (a course can start with it on). */
  setGuided(on: boolean, again = false): void {
    if (on === this.guidedOn && !again) return;
    this.guidedOn = on;
    if (this.lastView) this.drawNarration(this.lastView.view);
    this.dirty = true;
  }

  /** The narration current at the view: callouts beside their nodes; in guided mode, the veil and the framing. */
  private drawNarration(view: View): void {
    if (!this.layers) return;
    const guide = this.layers.guide.update(view.narrationNow, view.step?.nodes ?? [], this.guidedOn, this.renderer.screen);
    if (guide === 'whole') {
      if (!this.camera.moved) this.fit();
    } else if (guide) this.camera.fit(guide, this.renderer.screen.width, this.renderer.screen.height, MIN_ZOOM, GUIDE_MARGIN_PX);
    if (this.layers.narration.update(view.narrationNow)) this.dirty = true;
  }

  private pick(x: number, y: number): void {
    if (!this.layout || !this.layers) return;
    const w = this.camera.toWorld(x, y);
    const packet = this.layers.packets.hit(w.x, w.y, 12 / Math.min(1, this.camera.zoom));
    if (packet) return this.onSelect({ kind: 'packet', seq: packet.seq, packet });
    const inside = (b: { x: number; y: number; w: number; h: number }): boolean => w.x >= b.x && w.x <= b.x + b.w && w.y >= b.y && w.y <= b.y + b.h;
    // A folded group of replicas opens when clicked.
    const group = this.layout.pods.find((p) => p.members.length > 1 && inside(p));
    if (group) {
      this.expanded.add(group.service);
      this.memo.placed.clear(); // placed with the group folded
      const last = this.lastView;
      this.build();
      if (last) this.draw(last.view, last.options);
      return;
    }
    for (const b of this.layout.boxes) if (inside(b)) return this.onSelect({ kind: 'node', node: b.node.id });
    this.onSelect(null);
  }

  /** Packets as drawn last, in CSS pixels relative to the canvas (for tests and embedders). */
  packetsOnScreen(): ReturnType<typeof onScreen.packetsOnScreen> {
    return onScreen.packetsOnScreen(this.camera, this.layers?.packets ?? null);
  }

  /** Where a node is drawn, in CSS pixels relative to the canvas. */
  nodeOnScreen(id: NodeId): { x: number; y: number } | null {
    return onScreen.nodeOnScreen(this.camera, this.layout, id);
  }

  /** Where a pod's card is drawn (the card of its group, if folded), in CSS pixels relative to the canvas. */
  cardOnScreen(pod: string): onScreen.ScreenRect | null {
    return onScreen.cardOnScreen(this.camera, this.layout, pod);
  }

  /** The layout on screen (CSS pixels relative to the canvas): bands, cards and boxes, for tests and embedders. */
  layoutOnScreen(): (onScreen.LayoutOnScreen & { more: ReturnType<MoreTabs['onScreen']> }) | null {
    const l = onScreen.layoutOnScreen(this.camera, this.layout);
    return l && { ...l, more: this.more.onScreen() };
  }

  /** Where the control plane is drawn, in CSS pixels relative to the canvas. */
  controlPlaneOnScreen = (): onScreen.ScreenRect | null => (this.layout?.controlPlane ? onScreen.rectOnScreen(this.camera, this.layout.controlPlane) : null);

  /** Frames the picture (see framing.ts): readable by default; `whole` frames all of it whatever the label size (the Fit to view button). */
  fit(whole = false): void {
    if (this.layout) this.framing.fit(this.layout, whole);
  }

  zoom(factor: number): void {
    this.camera.zoomAt(factor, this.renderer.screen.width / 2, this.renderer.screen.height / 2);
  }

  /** Sizes the canvas to its host; false when it was already. */
  private sizeToHost(): boolean {
    const w = Math.max(1, this.host.clientWidth);
    const h = Math.max(1, this.host.clientHeight);
    if (w === this.renderer.screen.width && h === this.renderer.screen.height) return false;
    this.renderer.resize(w, h);
    return true;
  }

  private resize(): void {
    if (!this.sizeToHost()) return;
    const { w, h } = this.viewport;
    // Another viewport may want another arrangement (side by side, stacked, folded): laid out once, and built with.
    const layout = this.model && !this.camera.moved ? this.layOut(this.model) : null;
    if (layout && layout.variant !== this.layout?.variant) {
      const last = this.lastView;
      this.build(layout);
      if (last) this.draw(last.view, last.options);
    }
    if (!this.camera.moved) {
      const framed = this.guidedOn ? this.layers?.guide.framed : null;
      if (framed) this.camera.fit(framed, w, h, MIN_ZOOM, GUIDE_MARGIN_PX);
      else {
        this.fit();
        if (this.layout) this.framing.followStep(this.layout, this.lastView?.view.step?.seq ?? -1, this.lastView?.view.step?.nodes ?? []);
      }
    }
    this.viewMoved();
  }

  /** The narration callouts as drawn, in CSS pixels relative to the canvas. */
  calloutsOnScreen = (): CalloutOnScreen[] => this.layers?.narration.onScreen() ?? [];
  /** The badges (one per row of a box's list), and the links (line, tag, lock) drawn, in CSS pixels relative to the canvas. */
  badgesOnScreen = (): onScreen.WordsOnScreen[] => onScreen.wordsOnScreen(this.camera, this.layers?.badges.drawn());
  linksOnScreen = (): onScreen.LinkOnScreen[] => onScreen.linksOnScreen(this.camera, this.layers?.edges.linksDrawn());

  /** The boxes of the current step's nodes as drawn, in CSS pixels relative to the canvas. */
  stepOnScreen(): ReturnType<typeof onScreen.boxesOnScreen> {
    return onScreen.boxesOnScreen(this.camera, this.layout, this.lastView?.view.step?.nodes ?? []);
  }

  /** The box ringed as this pane's difference (compare mode), in CSS pixels relative to the canvas; null if none. */
  differenceOnScreen(): ReturnType<typeof onScreen.boxesOnScreen>[number] | null {
    return onScreen.boxesOnScreen(this.camera, this.layout, this.differs ? [this.differs] : [])[0] ?? null;
  }

  /** In guided mode, the boxes left bright (the rest is dimmed), in CSS pixels relative to the canvas; empty otherwise. */
  guideOnScreen(): onScreen.ScreenRect[] {
    return (this.layers?.guide.brightBoxes() ?? []).map((b) => onScreen.rectOnScreen(this.camera, b));
  }

  /**
   * Every label drawn, with its size on screen in CSS px (font size × zoom), for tests that check
   * the picture is readable. Labels hidden or fully transparent are left out.
   */
  textsOnScreen(): onScreen.TextOnScreen[] {
    return onScreen.textsOnScreen(this.world);
  }

  /** Which arrangement the layout chose (see layout.ts). */
  get layoutVariant(): string {
    return this.layout?.variant ?? '';
  }

  destroy(): void {
    this.destroyed = true;
    this.focus.destroy();
    this.resizeObserver.disconnect();
    this.camera.destroy();
    this.atlas.destroy();
    this.layers?.cache.destroy();
    for (const layer of this.retired.splice(0)) layer?.destroy({ children: true });
    this.stage.destroy({ children: true });
    this.renderer.destroy(true);
  }
}
