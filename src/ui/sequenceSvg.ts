/**
 * A sequence diagram drawn as SVG from the player's model: lifelines in columns, packets as
 * arrows (responses dashed), decisions and outcomes as notes. Every label is set as text, and
 * wrapped onto as many lines as it needs (a row grows with its label) rather than cut.
 */
import { formatClock, type SequenceDiagram } from '../player/index.ts';
import { svg } from './dom.ts';

const COL = 150;
const TOP = 54;
/** A one-line row; a row of several lines grows by {@link LINE} per line. */
const ROW = 30;
const LINE = 12.5;
/** A note spans its lifeline's column and most of the next two. */
const NOTE_W = 2 * COL - 16;
/** Characters per line of a note at its 10 px font (about 6 px each), and of a message label at 10.5 px. */
const NOTE_CHARS = Math.floor((NOTE_W - 12) / 6);
const CHAR_PX = 6.4;

/** Breaks `s` into lines of at most `n` characters, at spaces where it can (a longer word is split). */
export function wrap(s: string, n: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.length > n) {
      if (line) lines.push(line);
      lines.push(w.slice(0, n));
      w = w.slice(n);
      line = '';
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= n) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

/** A participant's name cut to `n` characters (the full text is in the element's title). */
function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** A text element of several lines (tspans), the first baseline at `y`. */
function lines(text: string[], attrs: Record<string, string | number>, y: number, title: string): SVGTextElement {
  const t = svg('text', { ...attrs, y });
  text.forEach((l, i) => t.append(svg('tspan', { x: attrs.x!, dy: i === 0 ? 0 : LINE }, l)));
  t.append(svg('title', {}, title));
  return t;
}

export function sequenceSvg(d: SequenceDiagram): SVGSVGElement {
  const width = Math.max(320, d.participants.length * COL + 20);
  const x = (i: number): number => 10 + COL / 2 + i * COL;
  // Each item's lines, and from them its row's height.
  const laid = d.items.map((item) => {
    if (item.kind === 'message') {
      const self = item.from === item.to;
      const span = self ? COL - 36 : Math.abs(x(item.to) - x(item.from)) - 8;
      return { item, text: wrap(`${formatClock(item.timeMs)} ${item.text}`, Math.max(16, Math.floor(span / CHAR_PX))) };
    }
    return { item, text: wrap(item.text, NOTE_CHARS) };
  });
  const heights = laid.map((l) => ROW + (l.text.length - 1) * LINE);
  const titleLines = wrap(d.title, Math.floor((width - 20) / 7));
  const top = TOP + (titleLines.length - 1) * 15;
  const height = top + heights.reduce((a, b) => a + b, 0) + 30;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'sequence', 'aria-label': `Sequence diagram: ${d.title}` });
  const defs = svg('defs');
  const marker = svg('marker', { id: 'seq-arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0,0 L8,4 L0,8 z', fill: '#1e1e1e' }));
  defs.append(marker);
  root.append(defs, svg('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  const title = svg('text', { x: 10, y: 16, 'font-size': 12, 'font-weight': 600, 'font-family': 'sans-serif', fill: '#1e1e1e' });
  titleLines.forEach((l, i) => title.append(svg('tspan', { x: 10, dy: i === 0 ? 0 : 15 }, l)));
  root.append(title);
  d.participants.forEach((p, i) => {
    const g = svg('g', { class: 'participant' });
    const y = top - 30;
    g.append(svg('rect', { x: x(i) - COL / 2 + 8, y, width: COL - 16, height: 20, rx: 4, fill: '#e5f1f9', stroke: '#0072b2' }));
    const label = svg('text', { x: x(i), y: y + 14, 'font-size': 11, 'text-anchor': 'middle', 'font-family': 'sans-serif', fill: '#1e1e1e' }, cut(p.label, 22));
    label.append(svg('title', {}, p.label));
    g.append(label, svg('line', { x1: x(i), y1: y + 20, x2: x(i), y2: height - 10, stroke: '#8a8a8a', 'stroke-dasharray': '3 3' }));
    root.append(g);
  });
  let rowTop = top;
  laid.forEach(({ item, text }, k) => {
    const extra = (text.length - 1) * LINE;
    // The arrow or note sits at the bottom of its row; a label of several lines rises above it.
    const y = rowTop + extra + 14;
    rowTop += heights[k]!;
    const g = svg('g', { class: item.kind });
    if (item.kind === 'message') {
      const [a, b] = [x(item.from), x(item.to)];
      const self = a === b;
      const dash = item.reply ? '5 3' : '';
      g.append(
        self
          ? svg('path', { d: `M${a},${y} h24 v10 h-24`, fill: 'none', stroke: '#1e1e1e', 'marker-end': 'url(#seq-arrow)', 'stroke-dasharray': dash })
          : svg('line', { x1: a, y1: y, x2: b, y2: y, stroke: '#1e1e1e', 'marker-end': 'url(#seq-arrow)', 'stroke-dasharray': dash }),
      );
      const attrs = {
        x: self ? a + 28 : (a + b) / 2,
        'font-size': 10.5,
        'text-anchor': self ? 'start' : 'middle',
        'font-family': 'sans-serif',
        fill: '#1e1e1e',
      };
      g.append(lines(text, attrs, y - 4 - extra, `${formatClock(item.timeMs)} ${item.text}`));
    } else {
      // Centred on its lifeline, kept inside the diagram.
      const left = Math.min(Math.max(4, x(item.over) - NOTE_W / 2), width - NOTE_W - 4);
      g.append(svg('rect', { x: left, y: y - 12 - extra, width: NOTE_W, height: 18 + extra, fill: '#fff6d6', stroke: '#b39200' }));
      const attrs = { x: left + NOTE_W / 2, 'font-size': 10, 'text-anchor': 'middle', 'font-family': 'sans-serif', fill: '#1e1e1e' };
      g.append(lines(text, attrs, y + 1 - extra, item.text));
    }
    root.append(g);
  });
  return root;
}
