/**
 * The links between pods as they are now: thicker with load, red with errors, a lock where an
 * mTLS connection is open, and a tag with the rate, the share of the caller's requests (a
 * canary's weight, a balancer's spread) and the error share. An endpoint the caller took out of
 * load balancing (ejected, in its failure-accrual penalty, on probation) is marked on that
 * caller's link, next to the endpoint — the state belongs to the caller's view of that pod.
 */
import { Container, Graphics, type Text } from 'pixi.js';
import { statePhrase, type ComponentState, type EdgeView, type NodeId } from '../player/index.ts';
import { COLOURS } from './palette.ts';
import { FONT, type Box, type Layout } from './layout.ts';
import type { Point } from './linkEnds.ts';
import { placeholderBoxes } from './layoutTypes.ts';
import { label } from './text.ts';
import { TONES } from './chips.ts';
import { wordObstacles, type Obstacle } from './freeSpot.ts';
import { mtlsOpen } from './describe.ts';
import { PLAINTEXT_LINE, healthLine, plaintextOpen, sameTraffic, soleLinks, splitCallers, tagLines, weightedCallers, type Line } from './edgeWords.ts';
import { placeLock } from './lockSpot.ts';
import { tracePolyline } from './polyline.ts';
import { meanBox, packetEnds, segment, type Seg } from './tagSpots.ts';
import { placeTag } from './tagPlace.ts';

/** A link as drawn: its line (width 0: none, an endpoint's state or a lock only), its tag, its lock (world coordinates). */
export interface LinkDrawn {
  from: NodeId;
  to: NodeId;
  /** The visible part of the line between the two boxes: its ends, and every point of it (more than two where it bends). */
  points: readonly Point[];
  ax: number;
  ay: number;
  bx: number;
  by: number;
  width: number;
  tag: (Box & { text: string }) | null;
  lock: Box | null;
}

interface Tag {
  root: Container;
  bg: Graphics;
  lines: Text[];
  from: NodeId;
  to: NodeId;
  w: number;
  h: number;
}

/** How the link at a rate looks: its width in world units. */
export function loadWidth(rate: number): number {
  return 1.5 + Math.min(4.5, rate / 8);
}

export class EdgeLayer {
  readonly root = new Container();
  /**
   * The tags, drawn above the packets on their opaque plates (MeshView): packets and their locks
   * passing under a tag no longer cover its words (authorization under Istio at 2.5 s: a packet's
   * lock on "2/s · 50%").
   */
  readonly tagRoot = new Container();
  private readonly lines = new Graphics();
  private readonly locks = new Graphics();
  private readonly tags: Tag[] = [];
  /** The links drawn last, by `from>to`. */
  private links = new Map<string, LinkDrawn>();
  /** The components' states drawn last (endpoint health, mTLS, plaintext), as a string; '' to draw anew. */
  private key = '';
  /** The inputs drawn last: the same components list and traffic reading the same change nothing (checked before the key is made). */
  private drawnEdges: readonly EdgeView[] = [];
  private drawnComponents: readonly ComponentState[] | null = null;
  /** Changes whenever the tags are drawn anew (what is placed around them reads it). */
  version = 0;
  /** What the tags keep off besides words: where badge lists claimed a spot a tag was in (keepClear). */
  private clear: readonly Box[] = [];
  private clearKey = '';
  /** How many tags found no spot clear of words, other tags and the rings at the links' ends (tagSpots.ts). */
  private worse = 0;

  /** What a tag keeps off: the words drawn, empty sidecars' boxes, and pods' cards (a tag over a card hides what it shows). */
  private readonly obstacles: Obstacle[];

  /** `words`: what the still scene writes beyond the layout's boxes and titles (the pipes' labels, "deployed at"). */
  constructor(
    private readonly layout: Layout,
    words: readonly Box[] = [],
  ) {
    this.root.addChild(this.lines, this.locks);
    // And the dashed boxes where a sidecar would be, with their words ("node proxy ↓", "no sidecar").
    const placeholders = placeholderBoxes(layout).map((box) => ({ box, weight: 1 }));
    this.obstacles = [...wordObstacles(layout, 1), ...placeholders, ...words.map((box) => ({ box, weight: 1 }))];
  }

  /** Draws the links' traffic and state (only when it changed). */
  update(edges: readonly EdgeView[], components: readonly ComponentState[]): void {
    const sameEdges = sameTraffic(edges, this.drawnEdges);
    if (components === this.drawnComponents && sameEdges) return;
    this.drawnEdges = edges;
    this.drawnComponents = components;
    const health = new Map<string, ComponentState>();
    const mtls = new Set<string>();
    /** Connections open without TLS (a client without a sidecar): the link is named plaintext. */
    const plain = new Set<string>();
    for (const c of components) {
      if (!c.peer) continue;
      if (c.machine === 'endpointHealth' && c.state !== 'healthy') health.set(`${c.node}>${c.peer}`, c);
      else if (mtlsOpen(c)) mtls.add(`${c.node}>${c.peer}`);
      else if (plaintextOpen(c)) plain.add(`${c.node}>${c.peer}`);
    }
    // What the components add to the picture; the traffic's part is sameTraffic's alone.
    const key = `${[...health.entries()].map(([k, c]) => `${k}=${c.state}`).join('|')}#${[...mtls].join('|')}#${[...plain].join('|')}`;
    if (sameEdges && key === this.key) return;
    this.key = key;
    this.version++;
    const g = this.lines.clear();
    const locks = this.locks.clear();
    let n = 0;
    const drawn = new Set<string>();
    const placed: Box[] = [...this.clear];
    this.worse = 0;
    this.links = new Map();
    const link = (from: NodeId, to: NodeId): LinkDrawn | null => {
      const a = this.layout.nodes.get(from);
      const b = this.layout.nodes.get(to);
      if (!a || !b || a === b) return null;
      const k = `${from}>${to}`;
      const known = this.links.get(k);
      if (known) return known;
      const made: LinkDrawn = { from, to, ...segment(a, b, this.layout), width: 0, tag: null, lock: null };
      this.links.set(k, made);
      return made;
    };
    /** Where packets stand at the drawn links' ends, and on the short ones (stops), with the current step's ring: a tag keeps off (tagSpots.ts). */
    let [ends, stops]: [Point[], Point[]] = [[], []];
    /** The lines drawn, by caller (a tag keeps nearer its own than another caller's). */
    const lines: { from: NodeId; to: NodeId; s: Seg }[] = [];
    /**
     * A tag for the links of `callers` to `to`. One with no spot that reads as its own line's, or
     * that would cover words or another tag, or have its words under a packet standing at a link's
     * end (tagSpots.ts: strict-vs-permissive compare at 3 s, Linkerd's "1/s · 50%" read "s · 50%"
     * under web-0's ring) is left out (the link's rate is in its inspector) — unless `keep`: an
     * endpoint's state, a plaintext connection or an error share, which the picture must show; or,
     * off its own line or under a ring but not over words, an uneven split's share (`weight`,
     * edgeWords.ts weightedCallers). Whether it is drawn.
     */
    const tagAt = (callers: readonly NodeId[], to: NodeId, texts: Line[], tone: keyof typeof TONES | null, keep: boolean, weight = false): boolean => {
      const from = callers[0]!;
      const a = this.layout.nodes.get(from);
      const b = this.layout.nodes.get(to);
      if (!a || !b || a === b || !texts.length) return false;
      // Several callers' links to one endpoint: placed along the middle one (they converge on it) — or
      // the first's, where that bends around boxes (linkRoute.ts) and a straight middle one would cross them.
      const routed = segment(a, b, this.layout);
      const s = routed.points.length > 2 ? routed : segment(callers.length > 1 ? meanBox(callers.map((c) => this.layout.nodes.get(c)!).filter(Boolean)) : a, b);
      const tag = this.tags[n] ?? this.make();
      n++;
      let w = 0;
      texts.forEach((t, i) => {
        const line = tag.lines[i] ?? this.addLine(tag);
        line.text = t.text;
        line.style.fill = t.colour;
        line.style.fontWeight = t.bold ? 'bold' : 'normal';
        line.visible = true;
        line.position.set(4, 1 + i * 14);
        w = Math.max(w, line.width);
      });
      for (let i = texts.length; i < tag.lines.length; i++) tag.lines[i]!.visible = false;
      const h = texts.length * 14 + 3;
      tag.from = from;
      tag.to = to;
      const tw = w + 8;
      tag.w = tw;
      tag.h = h;
      const look = tone ? TONES[tone] : { fill: 0xffffff, line: 0xc8c8c8 };
      tag.bg.clear().roundRect(0, 0, tw, h, 5).fill(look.fill).stroke({ width: 1, color: look.line });
      const { spot, worse } = placeTag(
        { callers, to, a, b, s, w: tw, h, tone: tone !== null, keep, weight },
        { layout: this.layout, obstacles: this.obstacles, placed, lines, ends, stops },
      );
      if (worse) this.worse++;
      if (!spot) {
        tag.root.visible = false;
        n--;
        return false;
      }
      tag.root.position.set(spot.x, spot.y);
      placed.push({ x: spot.x, y: spot.y, w: tw, h });
      tag.root.visible = true;
      const drawnTag = { x: spot.x, y: spot.y, w: tw, h, text: tagText(tag) };
      for (const c of callers) {
        const l = link(c, to);
        if (l) l.tag = drawnTag;
      }
      return true;
    };
    // The lines; then one tag per endpoint and calling service: the links from replicas of one
    // caller to one endpoint converge on it, and their tags would pile up side by side (config-push:
    // four alike tags in the gap between two frontends and two reviews pods).
    const groups = new Map<string, { to: NodeId; links: EdgeView[]; plain: boolean }>();
    for (const e of edges) {
      const a = this.layout.nodes.get(e.from);
      const b = this.layout.nodes.get(e.to);
      if (!a || !b || a === b) continue;
      const s = segment(a, b, this.layout);
      const bad = e.errorShare >= 0.2;
      const width = loadWidth(e.rate);
      tracePolyline(g, s.points).stroke({ width, color: bad ? COLOURS.vermillion : 0x7f9fb5, alpha: 0.55 });
      link(e.from, e.to)!.width = width;
      lines.push({ from: e.from, to: e.to, s });
      const k = `${e.from}>${e.to}`;
      drawn.add(k);
      const plainLink = plain.has(k);
      // An endpoint's state is the one caller's view of it: its tag is that link's alone.
      const group = health.has(k) ? k : `${a.node.service ?? e.from}>${e.to}${plainLink ? '>plain' : ''}`;
      const entry = groups.get(group) ?? groups.set(group, { to: e.to, links: [], plain: plainLink }).get(group)!;
      entry.links.push(e);
    }
    // The tags: those that must show first (an endpoint's state, plaintext, errors), then the others.
    const wanted: { callers: NodeId[]; to: NodeId; texts: Line[]; tone: keyof typeof TONES | null; keep: boolean; weight?: boolean; split?: boolean }[] = [];
    const podsOf = (to: string): number => {
      const card = this.layout.pods.find((c) => c.proxy === to);
      return card ? this.layout.pods.filter((c) => c.service === card.service).reduce((n, c) => n + c.members.length, 0) : 0;
    };
    const sole = soleLinks(edges, podsOf);
    const weighted = weightedCallers(edges, sole);
    const split = splitCallers(edges);
    for (const { to, links, plain: plainLinks } of groups.values()) {
      const first = links[0]!;
      const h = links.length === 1 ? health.get(`${first.from}>${to}`) : undefined;
      const texts = tagLines(
        links,
        plainLinks,
        links.every((e) => sole.has(`${e.from}>${e.to}`)),
      );
      if (h) texts.unshift(healthLine(h));
      const tone = h ? (statePhrase('endpointHealth', h.state).tone === 'warn' ? 'warn' : 'bad') : null;
      const keep = h !== undefined || plainLinks || texts.some((t) => t.error === true);
      wanted.push({
        callers: links.map((e) => e.from),
        to,
        texts,
        tone,
        keep,
        weight: links.some((e) => weighted.has(e.from)),
        split: links.some((e) => split.has(e.from)),
      });
    }
    // An endpoint out of load balancing carries no traffic from that caller: mark it all the same;
    // and a plaintext connection open, whether or not a request is on it now.
    for (const [k, h] of health)
      if (!drawn.has(k))
        wanted.push({
          callers: [h.node],
          to: h.peer!,
          texts: [healthLine(h)],
          tone: statePhrase('endpointHealth', h.state).tone === 'warn' ? 'warn' : 'bad',
          keep: true,
        });
    for (const k of plain)
      if (!drawn.has(k) && !health.has(k)) {
        const [from, to] = k.split('>') as [NodeId, NodeId];
        wanted.push({ callers: [from], to, texts: [PLAINTEXT_LINE], tone: null, keep: true });
      }
    wanted.sort((a, b) => Number(b.keep) - Number(a.keep));
    const pairs = [...edges.map((e) => [e.from, e.to] as const), ...wanted.flatMap((t) => t.callers.map((c) => [c, t.to] as const))];
    ({ ends, stops } = packetEnds(this.layout, pairs));
    const shown = wanted.map((t) => tagAt(t.callers, t.to, t.texts, t.tone, t.keep, t.weight));
    // A split reads whole: where some of a caller's shares show, one left out shows too, as an
    // uneven split's would (edgeWords.ts splitCallers).
    wanted.forEach((t, i) => {
      const sibling = (o: (typeof wanted)[number], j: number): boolean =>
        j !== i && shown[j]! && o.split === true && o.callers.some((c) => t.callers.includes(c));
      if (t.split && !shown[i] && wanted.some(sibling)) tagAt(t.callers, t.to, t.texts, t.tone, t.keep, true);
    });
    for (const k of mtls) {
      const [from, to] = k.split('>') as [NodeId, NodeId];
      const s = link(from, to);
      if (!s) continue;
      s.lock = placeLock(locks, s.points, [...placed, this.layout.nodes.get(from)!, this.layout.nodes.get(to)!]);
      placed.push(s.lock);
    }
    for (let i = n; i < this.tags.length; i++) this.tags[i]!.root.visible = false;
  }

  /**
   * Tags (and locks) keep off `boxes` from now on, besides words: the spots badge lists claimed
   * where a tag was (badgeLayer.ts; lists are drawn above tags). Places them again when the boxes
   * changed: 1; unless that left a tag with no clear spot where it had one, with boxes added only:
   * then they keep off the boxes they kept off before, -1. 0: the boxes are those kept off.
   */
  keepClear(boxes: readonly Box[]): number {
    const key = boxes.map((b) => `${b.x},${b.y},${b.w},${b.h}|`).join('');
    const was = this.clear;
    const wasKey = this.clearKey;
    const worse = this.worse;
    if (key === wasKey) return 0;
    this.replace(boxes, key);
    if (this.worse <= worse || !wasKey.split('|').every((b) => key.includes(`${b}|`))) return 1;
    this.replace(was, wasKey);
    return -1;
  }

  private replace(boxes: readonly Box[], key: string): void {
    this.clear = boxes;
    this.clearKey = key;
    this.key = '';
    const components = this.drawnComponents;
    this.drawnComponents = null;
    if (components) this.update(this.drawnEdges, components);
  }

  /** The tags and the locks drawn, in world coordinates. */
  drawn(): Box[] {
    const locks = [...this.links.values()].flatMap((l) => (l.lock ? [l.lock] : []));
    return [...this.tags.filter((t) => t.root.visible).map((t) => ({ x: t.root.x, y: t.root.y, w: t.w, h: t.h })), ...locks];
  }

  /** The tags drawn: which link, their text, and where (world coordinates). */
  tagsDrawn(): { from: NodeId; to: NodeId; text: string; x: number; y: number; w: number; h: number }[] {
    return this.tags
      .filter((t) => t.root.visible)
      .map((t) => ({
        from: t.from,
        to: t.to,
        text: tagText(t),
        x: t.root.x,
        y: t.root.y,
        w: t.w,
        h: t.h,
      }));
  }

  /** The links drawn: their lines, tags and locks (world coordinates). */
  linksDrawn(): LinkDrawn[] {
    return [...this.links.values()];
  }

  private make(): Tag {
    const root = new Container();
    const bg = new Graphics();
    root.addChild(bg);
    this.tagRoot.addChild(root);
    const tag: Tag = { root, bg, lines: [], from: '', to: '', w: 0, h: 0 };
    this.tags.push(tag);
    return tag;
  }

  private addLine(tag: Tag): Text {
    const t = label('', { fontSize: FONT.text }, true);
    tag.root.addChild(t);
    tag.lines.push(t);
    return t;
  }
}

/** A tag's lines as one text. */
function tagText(t: Tag): string {
  return t.lines
    .filter((l) => l.visible)
    .map((l) => l.text)
    .join(' · ');
}
