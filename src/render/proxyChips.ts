/**
 * State chips of the proxies that are no pod's sidecar (Istio ambient): each node proxy's strip
 * (a ztunnel) ends in its config chip and a summary of the certificates it holds, one per
 * identity of its node's pods ("cert ✓ ×2"; the worst state first) — or, a strip too narrow for
 * them beside its caption, lists them under it (NodeBox.chipsBelow); a waypoint has a config chip
 * beside its box. The places are fixed when the scene is built, so labels can keep off them
 * ({@link ProxyChips.areas}); what a place cannot hold is shortened, then dropped.
 */
import { Container } from 'pixi.js';
import { statePhrase, type ComponentState, type Trace } from '../player/index.ts';
import { segmentCrosses, type Box } from './geometry.ts';
import { FONT, STRIP_CAPTION_X, stripChipsY, type Layout, type NodeBox } from './layoutTypes.ts';
import { textWidth } from './textMetrics.ts';
import { CHIP_H, ChipRow } from './chips.ts';
import { obstaclesOf } from './labelSpots.ts';
import { GAP, certSummary, chipWidth, configForms, fitChips, type ChipForms } from './proxyChipWords.ts';

/** A place for chips: where the row ends (right-aligned) or starts, and how wide it may be. */
interface ChipPlace {
  box: NodeBox;
  row: ChipRow;
  /** The area reserved, in world coordinates. */
  area: Box;
  /** The certificates' entities (a node proxy's), in the trace's order. */
  certs: string[];
}

/** The widest a config chip gets: a two-digit version, stale. */
const CONFIG_W = chipWidth('config v10 · stale');
/** A waypoint's config chip: room for "config v10 ✓" or "config stale" ("config v1 · stale" is shortened to fit). */
const WAYPOINT_W = Math.max(chipWidth('config v10 ✓'), chipWidth('config stale'));

export class ProxyChips {
  readonly root = new Container();
  private readonly places: ChipPlace[] = [];

  /** `wires`: the lines drawn between boxes, which a waypoint's chip keeps off. */
  constructor(layout: Layout, trace: Trace, wires: readonly [{ x: number; y: number }, { x: number; y: number }][]) {
    const proxies = new Map((trace.topology.proxies ?? []).map((p) => [p.id, p]));
    const certStates = trace.machines.certificate?.states ?? ['issued.valid'];
    for (const b of layout.boxes) {
      const proxy = proxies.get(b.node.id);
      if (b.role === 'node-proxy') {
        const certs = proxy?.identities.map((i) => i.certificate) ?? [];
        const widestCert = certs.length ? Math.max(...certStates.map((s) => chipWidth(`${statePhrase('certificate', s).short} ×${certs.length}`))) : 0;
        const right = b.x + b.w - GAP;
        const want = CONFIG_W + (widestCert ? GAP + widestCert : 0);
        if (b.chipsBelow) {
          // On a line of their own, under the caption: from where it starts.
          const x = b.x + STRIP_CAPTION_X;
          const area = { x, y: stripChipsY(b), w: Math.min(right - x, want), h: CHIP_H };
          const row = new ChipRow(area.w, 1, 0, 'left');
          row.root.position.set(x, area.y);
          this.add({ box: b, row, area, certs });
          continue;
        }
        const free = right - (b.x + STRIP_CAPTION_X + Math.ceil(textWidth(b.caption, FONT.text, true)) + 2 * GAP);
        const w = Math.min(free, want);
        if (w < chipWidth('stale')) continue;
        const row = new ChipRow(w, 1, 0, 'right');
        const area = { x: right - w, y: b.y + (b.h - CHIP_H) / 2, w, h: CHIP_H };
        row.root.position.set(right, area.y);
        this.add({ box: b, row, area, certs });
      } else if (b.role === 'waypoint') {
        const spot = waypointSpot(b, WAYPOINT_W, layout, wires);
        if (!spot) continue;
        const { area, align } = spot;
        const row = new ChipRow(area.w, 1, 0, align);
        row.root.position.set(align === 'right' ? area.x + area.w : area.x, area.y);
        this.add({ box: b, row, area, certs: [] });
      }
    }
  }

  private add(place: ChipPlace): void {
    this.places.push(place);
    this.root.addChild(place.row.root);
  }

  /** The areas the chips may take, for labels to keep off. */
  areas(): Box[] {
    return this.places.map((p) => p.area);
  }

  /** Shows each proxy's states at the cursor. */
  update(components: readonly ComponentState[]): void {
    const config = new Map<string, ComponentState>();
    const certs = new Map<string, ComponentState>();
    for (const c of components) {
      if (c.machine === 'proxyConfig') config.set(c.node, c);
      else if (c.machine === 'certificate') certs.set(c.entity, c);
    }
    for (const p of this.places) {
      const chips: ChipForms[] = [];
      const cert = certSummary(p.certs.map((e) => certs.get(e)));
      if (cert) chips.push(cert);
      const c = config.get(p.box.node.id);
      if (c) chips.push(configForms(c));
      // Before a proxy has any state (a waypoint not deployed yet) it shows nothing.
      p.row.set(c || p.certs.some((e) => certs.has(e)) ? fitChips(chips, p.area.w) : []);
    }
  }
}

/**
 * Where a waypoint's config chip goes: under its box (at its right, its left, its middle), right
 * of it, left of it, above it — in its band, on nothing written (boxes, titles, chips): the
 * first spot no wire crosses, else the one the fewest cross; none when no spot is free.
 */
function waypointSpot(
  b: Box,
  w: number,
  layout: Layout,
  wires: readonly [{ x: number; y: number }, { x: number; y: number }][],
): { area: Box; align: 'left' | 'right' } | null {
  const h = CHIP_H;
  const below = b.y + b.h + 3;
  const middle = b.y + (b.h - h) / 2;
  // The chip starts at the spot's left (its right, 'right'): level with the box's edge nearest it.
  const spots: { x: number; y: number; align: 'left' | 'right' }[] = [
    { x: b.x + b.w - w, y: below, align: 'right' },
    { x: b.x, y: below, align: 'left' },
    { x: b.x + (b.w - w) / 2, y: below, align: 'left' },
    { x: b.x + b.w + 4, y: middle, align: 'left' },
    { x: b.x - 4 - w, y: middle, align: 'right' },
    { x: b.x + b.w - w, y: b.y - 3 - h, align: 'right' },
  ];
  const band = layout.bands.find((x) => inside(b, x)) ?? layout.cluster;
  const obstacles = obstaclesOf(layout);
  let best: { area: Box; align: 'left' | 'right' } | null = null;
  let least = Infinity;
  for (const s of spots) {
    const area = { x: s.x, y: s.y, w, h };
    if (!inside(area, band) || obstacles.some((o) => overlaps(area, o))) continue;
    const crossed = wires.filter(([p, q]) => segmentCrosses(p, q, area)).length;
    if (crossed === 0) return { area, align: s.align };
    if (crossed < least) {
      least = crossed;
      best = { area, align: s.align };
    }
  }
  return best;
}

/** Whether `a` lies inside `b`, 2 px in from its edge. */
const inside = (a: Box, b: Box): boolean => a.x >= b.x + 2 && a.y >= b.y + 2 && a.x + a.w <= b.x + b.w - 2 && a.y + a.h <= b.y + b.h - 2;

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
