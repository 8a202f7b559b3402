/**
 * The still part of the picture: the cluster, its bands (namespaces or Kubernetes nodes),
 * services with their counters, pod cards with their state chips, the control plane (drawn
 * stopped while it is down), external hosts, and the faint wires every flight travels along.
 * Redrawn only when a state or counter changes.
 */
import { Container, Graphics, type Text } from 'pixi.js';
import { requestTargets, statePhrase, type ComponentState, type ServiceCounters, type Trace, type View } from '../player/index.ts';
import { COLOURS } from './palette.ts';
import { FONT, centre, type Box, type BoxRole, type Layout, type NodeBox, type PodCard } from './layout.ts';
import { label } from './text.ts';
import { ChipRow, type ChipSpec } from './chips.ts';
import type { ProxyChips } from './proxyChips.ts';
import { drawWires } from './sceneWires.ts';
import { STRIP_CAPTION_X, stripCaptionY } from './layoutTypes.ts';
import { CLUSTER_TITLE, CONTROL_PLANE_STATE, controlPlaneTitle } from './controlPlanePlace.ts';

const BOX_FILL: Record<BoxRole, number> = {
  app: COLOURS.app,
  sidecar: COLOURS.proxy,
  gateway: COLOURS.proxy,
  waypoint: COLOURS.proxy,
  'node-proxy': COLOURS.proxy,
  'control-plane': 0xffffff,
  external: COLOURS.external,
  client: COLOURS.external,
};

/** A box a change deploys (a waypoint): drawn faint and dashed, with its wires, until it exists. */
interface Deferred {
  pod: string;
  atMs: number;
  /** The box, its wires and pipes: faint before the deploy. */
  holder: Container;
  /** The dashed outline and "deployed at 5 s": shown before the deploy only. */
  mark: Container;
  /** Its pipes' labels: over the cards, as the other pipes' labels are, faint with the box. */
  words: Container;
  deployed: boolean | null;
}

interface CardView {
  card: PodCard;
  frame: Graphics;
  chips: ChipRow;
  /** The workload's state, right of the title (null: it leads the chips). */
  status: ChipRow | null;
  crashed: boolean;
}

export class SceneStatic {
  readonly root = new Container();
  private readonly cards: CardView[] = [];
  private readonly serviceCounters = new Map<string, Text>();
  /** Services no request names (a caller, or a service reached only through an ingress): no counter. */
  private readonly uncounted = new Set<string>();
  /** The card each pod is drawn in. */
  private readonly cardOfPod = new Map<string, CardView>();
  private readonly cpFrame = new Graphics();
  private readonly cpStatus: ChipRow;
  private readonly cpBoxes: Container[] = [];
  /** The chips of the proxies that are no pod's sidecar: ztunnel strips, waypoints. */
  private readonly proxyChips: ProxyChips;
  private cpDown: boolean | null = null;
  /** Boxes a change deploys, by node. */
  private readonly deferred = new Map<string, Deferred>();
  private lastStateVersion = -1;
  private lastCounters: readonly ServiceCounters[] | null = null;
  /** Words drawn beyond the layout's boxes, titles and chips (the pipes' labels, "deployed at"): what other labels keep off. */
  readonly words: Box[] = [];
  /**
   * The pipes' labels, added after the cards and boxes: a label goes where nothing is written,
   * which may be a card's empty corner — drawn under the card, its end was hidden there.
   */
  private readonly pipeWords = new Container();

  constructor(
    private readonly layout: Layout,
    trace: Trace,
  ) {
    const g = new Graphics();
    this.root.addChild(g);
    const { cluster, controlPlane } = layout;
    for (const x of trace.topology.proxies ?? [])
      if (x.deployedAtMs !== undefined && x.pod && layout.nodes.has(x.id))
        this.deferred.set(x.id, { pod: x.pod, atMs: x.deployedAtMs, holder: new Container(), mark: new Container(), words: new Container(), deployed: null });
    g.roundRect(cluster.x, cluster.y, cluster.w, cluster.h, 14).fill(COLOURS.cluster).stroke({ width: 2, color: COLOURS.clusterLine });
    this.text(CLUSTER_TITLE, cluster.x + 12, cluster.y + 5, { fontSize: FONT.title, fill: COLOURS.muted, fontWeight: 'bold' });
    for (const band of layout.bands) {
      g.roundRect(band.x, band.y, band.w, band.h, 10)
        .fill(band.kind === 'k8s-node' ? 0xf3f1ea : COLOURS.namespace)
        .stroke({ width: 1, color: band.kind === 'k8s-node' ? 0xb5ad96 : COLOURS.namespaceLine });
      this.text(band.label, band.x + 8, band.y + 3, { fontSize: FONT.text, fill: COLOURS.muted });
    }
    // Counters are by the service a request names; one reached only through a gateway has none.
    const named = new Set([...requestTargets(trace)].map((to) => to.split('.')[0]!));
    const headed = new Set<string>();
    for (const s of layout.services) {
      g.roundRect(s.x, s.y, s.w, s.h, 8).fill(COLOURS.service).stroke({ width: 1, color: 0xc8c8c8 });
      // A grid of compact cards heads each service with its name alone, on one line: its counts
      // are in the metrics table (and the service's inspector).
      // A grid of named cards has no header: the name is in the app's box.
      if (layout.namedBoxes) continue;
      if (layout.compactHeaders) {
        this.text(s.label, s.x + 6, s.y + 2, { fontSize: FONT.title, fontWeight: 'bold' });
        continue;
      }
      this.text(`service ${s.label}`, s.x + 6, s.y + 4, { fontSize: FONT.title, fontWeight: 'bold' });
      // A service spread over several Kubernetes nodes has a region in each; one counter is enough.
      if (headed.has(s.label)) continue;
      headed.add(s.label);
      const counters = this.text('', s.x + 6, s.y + 20, { fontSize: FONT.text, fill: COLOURS.muted });
      if (!named.has(s.label)) this.uncounted.add(s.label);
      this.serviceCounters.set(s.label, counters);
    }
    if (controlPlane) {
      this.root.addChild(this.cpFrame);
      this.text(controlPlaneTitle(trace.mesh), controlPlane.x + 10, controlPlane.y + 4, { fontSize: FONT.text, fill: COLOURS.muted, fontWeight: 'bold' });
    }
    this.cpStatus = new ChipRow(120, 1, 0, 'right');
    if (controlPlane) {
      // Beside the cluster the control plane is narrow: its state chip goes under its title.
      this.cpStatus.root.position.set(controlPlane.x + controlPlane.w - 8, controlPlane.y + (layout.controlPlaneBeside ? 22 : 4));
      this.root.addChild(this.cpStatus.root);
    }
    // "deployed at …" under each box a change deploys, written first: the pipes' labels keep off it.
    for (const [id, d] of this.deferred) {
      const b = layout.nodes.get(id)!;
      const dashes = new Graphics();
      d.mark.addChild(dashes);
      dashedRect(dashes, { x: b.x - 3, y: b.y - 3, w: b.w + 6, h: b.h + 6 }, COLOURS.purple);
      const t = label(`deployed at ${formatSeconds(d.atMs)}`, { fontSize: FONT.text, fill: COLOURS.muted, stroke: { color: 0xffffff, width: 4 } });
      t.anchor.set(0.5, 0);
      t.position.set(b.x + b.w / 2, b.y + b.h + 5);
      d.mark.addChild(t);
      this.words.push({ x: t.x - t.width / 2, y: t.y, w: t.width, h: t.height });
    }
    const wires = drawWires(layout, trace, g, this.deferred, this.pipeWords, this.words);
    this.proxyChips = wires.chips;
    this.words.push(...wires.words);
    for (const card of layout.pods) {
      const chips = new ChipRow(card.chips.w, card.chipLines);
      const status = card.status ? new ChipRow(100, 1, 0, 'right') : null;
      if (status && card.status) status.root.position.set(card.status.x, card.status.y);
      const view: CardView = { card, frame: new Graphics(), chips, status, crashed: false };
      this.root.addChild(view.frame);
      this.drawCard(view);
      this.text(card.title, card.x + 8, card.y + 4, { fontSize: FONT.title, fontWeight: 'bold' });
      if (card.placeholder) {
        const p = card.placeholder;
        const dashes = new Graphics();
        this.root.addChild(dashes);
        dashedRect(dashes, p, card.sidecar === 'node' ? COLOURS.purple : 0xb0b0b0);
        this.caption(card.sidecar === 'node' ? 'node proxy ↓' : 'no sidecar', p, COLOURS.muted);
      }
      chips.root.position.set(card.chips.x, card.chips.y);
      this.root.addChild(chips.root);
      if (status) this.root.addChild(status.root);
      this.cards.push(view);
      for (const m of card.members) this.cardOfPod.set(m, view);
    }
    const cp = new Set(controlPlane ? layout.boxes.filter((b) => b.role === 'control-plane') : []);
    for (const b of layout.boxes) {
      const later = this.deferred.get(b.node.id)?.holder;
      if (later) {
        this.drawBox(b, later);
        continue;
      }
      const holder = cp.has(b) ? new Container() : this.root;
      if (holder !== this.root) {
        this.root.addChild(holder);
        this.cpBoxes.push(holder);
      }
      this.drawBox(b, holder);
    }
    this.root.addChild(this.pipeWords);
    for (const d of this.deferred.values()) {
      // Its wires and pipes under the other boxes, as every other wire is; its pipes' labels and its mark over them.
      this.root.addChildAt(d.holder, 1);
      this.root.addChild(d.words, d.mark);
    }
    this.root.addChild(this.proxyChips.root);
    if (layout.outside) this.text('outside the cluster', layout.outside.x, layout.outside.y, { fontSize: FONT.text, fill: COLOURS.muted });
  }

  private text(content: string, x: number, y: number, style: Parameters<typeof label>[1], parent: Container = this.root): Text {
    const t = label(content, style);
    t.position.set(x, y);
    parent.addChild(t);
    return t;
  }

  /** A caption centred in a box. */
  private caption(content: string, b: Box, fill: number = COLOURS.text, parent: Container = this.root, bold = false): Text {
    const t = label(content, { fontSize: FONT.text, fill, fontWeight: bold ? 'bold' : 'normal' });
    const c = centre(b);
    t.anchor.set(0.5);
    t.position.set(c.x, c.y);
    parent.addChild(t);
    return t;
  }

  private drawBox(b: NodeBox, parent: Container): void {
    const g = new Graphics();
    parent.addChild(g);
    const standalone = b.role === 'gateway' || b.role === 'waypoint' || b.role === 'node-proxy';
    g.roundRect(b.x, b.y, b.w, b.h, 6)
      .fill(BOX_FILL[b.role])
      .stroke({ width: standalone ? 2 : 1.2, color: standalone ? COLOURS.purple : 0x6d6d6d });
    // A node proxy's strip is written at its left: its chips end it at the right (proxyChips.ts).
    if (b.role === 'node-proxy')
      this.text(b.caption, b.x + STRIP_CAPTION_X, stripCaptionY(b), { fontSize: FONT.text, fill: COLOURS.text, fontWeight: 'bold' }, parent).anchor.set(0, 0.5);
    else this.caption(b.caption, b, COLOURS.text, parent, b.role === 'control-plane' || standalone);
  }

  private drawCard(v: CardView): void {
    const p = v.card;
    v.frame
      .clear()
      .roundRect(p.x, p.y, p.w, p.h, 8)
      .fill({ color: v.crashed ? 0xfbe9e0 : 0xffffff })
      .stroke(v.crashed ? { width: 2.5, color: COLOURS.crashed } : { width: p.members.length > 1 ? 2 : 1, color: 0x9a9a9a });
    // A folded group looks like a stack of cards.
    if (p.members.length > 1) v.frame.roundRect(p.x + 4, p.y + p.h, p.w - 8, 4, 2).fill(0xdedede);
  }

  /** Draws the control plane running or stopped; whether that changed. */
  private drawControlPlane(down: boolean, sinceMs: number): boolean {
    const cp = this.layout.controlPlane;
    if (!cp || down === this.cpDown) return false;
    this.cpDown = down;
    this.cpFrame
      .clear()
      .roundRect(cp.x, cp.y, cp.w, cp.h, 10)
      .fill(down ? 0xe4e4e4 : COLOURS.controlPlane)
      .stroke({ width: down ? 2.5 : 1.5, color: down ? COLOURS.vermillion : COLOURS.orange });
    if (down) for (let x = cp.x + 8; x < cp.x + cp.w - 4; x += 12) this.cpFrame.moveTo(x, cp.y + cp.h - 3).lineTo(x + 6, cp.y + cp.h - 9);
    if (down) this.cpFrame.stroke({ width: 1, color: 0xb0b0b0 });
    for (const c of this.cpBoxes) c.alpha = down ? 0.45 : 1;
    this.cpStatus.set([down ? { text: CONTROL_PLANE_STATE.down, tone: 'bad' } : { text: CONTROL_PLANE_STATE.up, tone: 'ok' }]);
    void sinceMs;
    return true;
  }

  /**
   * Shows component states, the control plane and counters, when they changed; whether anything
   * did (a cached picture of the scene is then stale).
   */
  update(view: Pick<View, 'components' | 'stateVersion' | 'counters' | 'controlPlane'>): boolean {
    let changed = this.drawControlPlane(view.controlPlane.down, view.controlPlane.sinceMs);
    if (view.stateVersion !== this.lastStateVersion) {
      changed = true;
      this.lastStateVersion = view.stateVersion;
      const byPod = new Map<string, { workload?: ComponentState; cert?: ComponentState; config?: ComponentState; connection?: ComponentState }>();
      for (const c of view.components) {
        const pod = podOfEntity(c);
        if (!pod || !this.cardOfPod.has(pod)) continue;
        const s = byPod.get(pod) ?? {};
        byPod.set(pod, s);
        if (c.machine === 'workload') s.workload = c;
        else if (c.machine === 'certificate') s.cert = c;
        else if (c.machine === 'proxyConfig') s.config = c;
        else s.connection = c; // a vWire (its client) or a registration (its endpoint): never both on one pod
      }
      // A deployed box exists once its pod has a state (its workload started with the change).
      for (const d of this.deferred.values()) {
        const deployed = view.components.some((c) => podOfEntity(c) === d.pod || c.entity === d.pod);
        if (deployed === d.deployed) continue;
        d.deployed = deployed;
        d.holder.alpha = deployed ? 1 : 0.3;
        d.words.alpha = d.holder.alpha;
        d.mark.visible = !deployed;
      }
      this.proxyChips.update(view.components);
      for (const v of this.cards) {
        const s = byPod.get(v.card.members[0]!);
        // Beside the title: the sidecar's certificate (a pod without one: its workload). Below the
        // boxes: what is wrong with the workload, the config version, and last — dropped first
        // when the row is full — that all is well ("ready").
        const chips: ChipSpec[] = [];
        if (v.card.members.length > 1) chips.push({ text: `${v.card.members.length} alike · click to open`, tone: 'neutral' });
        const workload = s?.workload ? phraseChip(s.workload) : { text: 'not started', tone: 'neutral' as const };
        const own = v.card.sidecar === 'own';
        const cert = own && s?.cert ? phraseChip(s.cert) : own ? { text: 'no cert', tone: 'neutral' as const } : null;
        const ready = s?.workload?.state === 'ready';
        const title = v.status ? (cert ?? workload) : null;
        if (v.status) v.status.set(title ? [title] : []);
        if (!ready && title !== workload) chips.push(workload);
        if (cert && title !== cert) chips.push(cert);
        if (s?.config && own) chips.push(configChip(s.config));
        if (s?.connection) chips.push(connectionChip(s.connection));
        if (ready && title !== workload) chips.push(workload);
        v.chips.set(chips);
        const crashed = s?.workload?.state === 'crashed';
        if (crashed !== v.crashed) {
          v.crashed = crashed;
          this.drawCard(v);
        }
      }
    }
    const counters = view.counters;
    if (!sameCounters(counters, this.lastCounters)) {
      changed = true;
      this.lastCounters = counters;
      for (const c of counters) {
        const t = this.serviceCounters.get(c.service);
        if (t && !this.uncounted.has(c.service)) t.text = c.ok + c.failed ? `✓ ${c.ok} ok · ✕ ${c.failed} failed` : 'no request finished yet';
      }
    }
    return changed;
  }
}

/**
 * The pod a component belongs to: `reviews-0`, `cert:reviews-0`, `config:reviews-0`; a connection
 * mesh's client and endpoint: `vwire:alpine-0` (its vWire: up, healing — the state the NSM lesson
 * is about, drawn nowhere before), `registration:nse-kernel-0` (listed, or still listed but gone).
 */
function podOfEntity(c: ComponentState): string | undefined {
  if (c.machine === 'workload') return c.entity;
  if (POD_MACHINES.has(c.machine)) return c.entity.slice(c.entity.indexOf(':') + 1);
  return undefined;
}

/** Machines kept one per pod, their entity `<kind>:<pod>` (FIDELITY-MORE K3, K4 for vWires and registrations). */
const POD_MACHINES = new Set(['certificate', 'proxyConfig', 'vwire', 'nseRegistration']);

function phraseChip(c: ComponentState): ChipSpec {
  const p = statePhrase(c.machine, c.state, c.previous);
  return { text: p.short, tone: p.tone };
}

/**
 * A vWire up names the endpoint it joins (its peer, the endpoint's app: `nse-kernel-1/app`): a
 * heal joins another one, which the NSM lesson is about (FIDELITY-MORE K4). Healing and the
 * endpoints' registrations read as their states.
 */
function connectionChip(c: ComponentState): ChipSpec {
  const chip = phraseChip(c);
  if (c.machine !== 'vwire' || c.state !== 'up' || !c.peer) return chip;
  const slash = c.peer.indexOf('/');
  return { ...chip, text: `vWire ↔ ${slash < 0 ? c.peer : c.peer.slice(0, slash)}` };
}

/** A proxy's config version, and whether the control plane has newer. */
function configChip(c: ComponentState): ChipSpec {
  const v = c.version ?? 0;
  if (c.state === 'synced') return { text: `config v${v} ✓`, tone: 'ok' };
  if (c.state === 'stale') return { text: `config v${v} · stale`, tone: 'warn' };
  return phraseChip(c);
}

/** `5 s`, `2.06 s`, `1.5 h`: a deploy time as a learner reads it. */
function formatSeconds(ms: number): string {
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(2)} h`;
  return `${+(ms / 1000).toFixed(3)} s`;
}

function dashedRect(g: Graphics, b: Box, color: number): void {
  const dash = 5;
  const gap = 4;
  const edge = (x1: number, y1: number, x2: number, y2: number): void => {
    const len = Math.hypot(x2 - x1, y2 - y1);
    for (let d = 0; d < len; d += dash + gap) {
      const e = Math.min(len, d + dash);
      g.moveTo(x1 + ((x2 - x1) * d) / len, y1 + ((y2 - y1) * d) / len).lineTo(x1 + ((x2 - x1) * e) / len, y1 + ((y2 - y1) * e) / len);
    }
  };
  edge(b.x, b.y, b.x + b.w, b.y);
  edge(b.x + b.w, b.y, b.x + b.w, b.y + b.h);
  edge(b.x + b.w, b.y + b.h, b.x, b.y + b.h);
  edge(b.x, b.y + b.h, b.x, b.y);
  g.stroke({ width: 1.2, color });
}

/** Whether two views' counters read the same (the same services, each with the same counts). */
function sameCounters(a: readonly ServiceCounters[], b: readonly ServiceCounters[] | null): boolean {
  if (a === b) return true;
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.service !== y.service || x.ok !== y.ok || x.failed !== y.failed) return false;
  }
  return true;
}
