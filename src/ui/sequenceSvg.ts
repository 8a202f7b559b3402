/**
 * A sequence diagram drawn as SVG from the player's model: lifelines in columns, packets as
 * arrows (responses dashed), decisions and outcomes as notes. Every label is set as text.
 */
import { formatClock, type SequenceDiagram } from '../player/index.ts';
import { svg } from './dom.ts';

const COL = 150;
const TOP = 54;
const ROW = 30;
const NOTE_W = 140;

/** Cuts a label to `n` characters (the full text is in the element's title). */
function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function sequenceSvg(d: SequenceDiagram): SVGSVGElement {
  const width = Math.max(320, d.participants.length * COL + 20);
  const height = TOP + d.items.length * ROW + 30;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'sequence', 'aria-label': `Sequence diagram: ${d.title}` });
  const defs = svg('defs');
  const marker = svg('marker', { id: 'seq-arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0,0 L8,4 L0,8 z', fill: '#1e1e1e' }));
  defs.append(marker);
  root.append(defs, svg('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  root.append(
    svg('text', { x: 10, y: 16, 'font-size': 12, 'font-weight': 600, 'font-family': 'sans-serif', fill: '#1e1e1e' }, cut(d.title, Math.floor(width / 7))),
  );
  const x = (i: number): number => 10 + COL / 2 + i * COL;
  d.participants.forEach((p, i) => {
    const g = svg('g', { class: 'participant' });
    g.append(svg('rect', { x: x(i) - COL / 2 + 8, y: 24, width: COL - 16, height: 20, rx: 4, fill: '#e5f1f9', stroke: '#0072b2' }));
    const label = svg('text', { x: x(i), y: 38, 'font-size': 11, 'text-anchor': 'middle', 'font-family': 'sans-serif', fill: '#1e1e1e' }, cut(p.label, 22));
    label.append(svg('title', {}, p.label));
    g.append(label, svg('line', { x1: x(i), y1: 44, x2: x(i), y2: height - 10, stroke: '#8a8a8a', 'stroke-dasharray': '3 3' }));
    root.append(g);
  });
  d.items.forEach((item, k) => {
    const y = TOP + k * ROW + 14;
    const g = svg('g', { class: item.kind });
    if (item.kind === 'message') {
      const [a, b] = [x(item.from), x(item.to)];
      const self = a === b;
      g.append(
        self
          ? svg('path', {
              d: `M${a},${y} h24 v10 h-24`,
              fill: 'none',
              stroke: '#1e1e1e',
              'marker-end': 'url(#seq-arrow)',
              'stroke-dasharray': item.reply ? '5 3' : '',
            })
          : svg('line', { x1: a, y1: y, x2: b, y2: y, stroke: '#1e1e1e', 'marker-end': 'url(#seq-arrow)', 'stroke-dasharray': item.reply ? '5 3' : '' }),
      );
      const label = svg(
        'text',
        { x: self ? a + 28 : (a + b) / 2, y: y - 4, 'font-size': 10.5, 'text-anchor': self ? 'start' : 'middle', 'font-family': 'sans-serif', fill: '#1e1e1e' },
        cut(`${formatClock(item.timeMs)} ${item.text}`, self ? 40 : Math.max(16, Math.floor(Math.abs(b - a) / 6))),
      );
      label.append(svg('title', {}, `${formatClock(item.timeMs)} ${item.text}`));
      g.append(label);
    } else {
      const cx = x(item.over);
      g.append(svg('rect', { x: cx - NOTE_W / 2, y: y - 12, width: NOTE_W, height: 18, fill: '#fff6d6', stroke: '#b39200' }));
      const label = svg(
        'text',
        { x: cx, y: y + 1, 'font-size': 10, 'text-anchor': 'middle', 'font-family': 'sans-serif', fill: '#1e1e1e' },
        cut(item.text, 26),
      );
      label.append(svg('title', {}, item.text));
      g.append(label);
    }
    root.append(g);
  });
  return root;
}
