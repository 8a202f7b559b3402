/**
 * A machine drawn as a small statechart from its graph in the trace: states in columns by
 * distance from the initial state (nested states under their parent), transitions as arrows,
 * the current state lit and the last transition marked.
 */
import type { MachineGraph } from '../player/index.ts';
import { svg } from './dom.ts';

/** The narrowest state box; a longer name widens every box (no name is cut: "serverAuthenticated"). */
const MIN_BOX_W = 56;
const BOX_H = 22;
/** The gap between columns, for the arrows. */
const GAP = 30;
const ROW = 30;
const FONT_PX = 11;
/** Text starts this far into its box; as much is left on its right. */
const PAD = 7;

let measurer: CanvasRenderingContext2D | null | undefined;

/** How wide `text` is drawn at the statechart's font, in CSS pixels (an estimate where no canvas can measure). */
function textWidth(text: string): number {
  if (measurer === undefined) {
    measurer = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    if (measurer) measurer.font = `${FONT_PX}px ${getComputedStyle(document.documentElement).fontFamily || 'sans-serif'}`;
  }
  return measurer ? measurer.measureText(text).width : text.length * FONT_PX * 0.62;
}

/** A state's label: its name, a nested state's last part after a dot. */
const labelOf = (s: string): string => (s.includes('.') ? `· ${s.split('.').pop()}` : s);

/** Draws `graph`, lighting `current` (dotted) and marking the transition `previous` → `current`. */
export function statechart(graph: MachineGraph, current: string | null, previous: string | null): SVGSVGElement {
  const top = (s: string): string => s.split('.')[0]!;
  const tops = graph.states.filter((s) => !s.includes('.'));
  const depth = new Map<string, number>([[top(graph.initial), 0]]);
  const queue = [top(graph.initial)];
  while (queue.length) {
    const s = queue.shift()!;
    for (const t of graph.transitions) {
      if (top(t.from) !== s || depth.has(top(t.to))) continue;
      depth.set(top(t.to), depth.get(s)! + 1);
      queue.push(top(t.to));
    }
  }
  // Each column as wide as its longest label needs (a nested box is indented 8 px), so no name is cut.
  const colOf = (s: string): number => depth.get(top(s)) ?? 0;
  const boxW = new Map<number, number>();
  for (const s of graph.states)
    boxW.set(colOf(s), Math.max(boxW.get(colOf(s)) ?? MIN_BOX_W, Math.ceil(textWidth(labelOf(s))) + 2 * PAD + (s.includes('.') ? 8 : 0)));
  const colX: number[] = [4];
  for (let c = 1; c <= Math.max(0, ...boxW.keys()); c++) colX[c] = colX[c - 1]! + (boxW.get(c - 1) ?? MIN_BOX_W) + GAP;
  const pos = new Map<string, { x: number; y: number }>();
  const rows = new Map<number, number>();
  for (const s of tops) {
    const col = depth.get(s) ?? 0;
    let row = rows.get(col) ?? 0;
    pos.set(s, { x: colX[col]!, y: 4 + row * ROW });
    row++;
    for (const child of graph.states.filter((c) => c.startsWith(`${s}.`))) {
      pos.set(child, { x: colX[col]! + 8, y: 4 + row * ROW });
      row++;
    }
    rows.set(col, row + 0.3);
  }
  /** The width of `s`'s box. */
  const w = (s: string): number => (boxW.get(colOf(s)) ?? MIN_BOX_W) - (s.includes('.') ? 8 : 0);
  const width = Math.max(...[...pos].map(([s, p]) => p.x + w(s))) + 12;
  const height = Math.max(...[...pos.values()].map((p) => p.y)) + BOX_H + 8;
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    class: 'statechart',
    'aria-label': `${graph.id} state machine${current ? `, now ${current}` : ''}`,
  });
  const defs = svg('defs');
  for (const [id, colour] of [
    ['arrow', '#8a8a8a'],
    ['arrow-last', '#d55e00'],
  ] as const) {
    const marker = svg('marker', { id: `sc-${id}`, viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M0,0 L8,4 L0,8 z', fill: colour }));
    defs.append(marker);
  }
  root.append(defs);
  const lit = (s: string): boolean => current !== null && (current === s || current.startsWith(`${s}.`));
  for (const t of graph.transitions) {
    const a = pos.get(t.from);
    const b = pos.get(t.to);
    if (!a || !b) continue;
    const last =
      previous !== null && current !== null && t.to === current && (t.from === previous || previous.startsWith(`${t.from}.`) || t.from === top(previous));
    const attrs = {
      fill: 'none',
      stroke: last ? '#d55e00' : '#8a8a8a',
      'stroke-width': last ? 2.5 : 1,
      'marker-end': `url(#sc-${last ? 'arrow-last' : 'arrow'})`,
      class: last ? 'last-transition' : '',
    };
    let path: SVGPathElement;
    if (t.from === t.to) {
      path = svg('path', { ...attrs, d: `M${a.x + w(t.from) - 20},${a.y} c 10,-14 24,-8 16,${BOX_H / 2}` });
    } else {
      const forward = b.x > a.x;
      const x1 = forward ? a.x + w(t.from) : b.x < a.x ? a.x : a.x + w(t.from) / 2;
      const y1 = forward || b.x < a.x ? a.y + BOX_H / 2 : b.y > a.y ? a.y + BOX_H : a.y;
      const x2 = forward ? b.x : b.x < a.x ? b.x + w(t.to) : b.x + w(t.to) / 2;
      const y2 = forward || b.x < a.x ? b.y + BOX_H / 2 : b.y > a.y ? b.y : b.y + BOX_H;
      const bend = b.x < a.x ? 18 : 0;
      path = svg('path', { ...attrs, d: `M${x1},${y1} C${x1 + (forward ? 30 : -bend)},${y1 + bend} ${x2 - (forward ? 30 : -bend)},${y2 + bend} ${x2},${y2}` });
    }
    path.append(svg('title', {}, `${t.from} → ${t.to} on ${t.event}`));
    root.append(path);
  }
  for (const [s, p] of pos) {
    const on = lit(s);
    const g = svg('g', { class: on ? 'state current' : 'state' });
    g.append(
      svg('rect', {
        x: p.x,
        y: p.y,
        width: w(s),
        height: BOX_H,
        rx: 6,
        fill: on ? '#0072b2' : '#ffffff',
        stroke: s === graph.initial ? '#1e1e1e' : '#8a8a8a',
        'stroke-width': s === graph.initial ? 1.6 : 1,
      }),
    );
    g.append(svg('text', { x: p.x + PAD, y: p.y + 15, 'font-size': FONT_PX, fill: on ? '#ffffff' : '#1e1e1e' }, labelOf(s)));
    root.append(g);
  }
  return root;
}
