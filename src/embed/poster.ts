/**
 * The `<mesh-sim>` poster: a small drawing of pods, their sidecars and a few packets, in the
 * simulator's colours, drawn as SVG nodes (no markup strings, so it runs under any CSP). It costs
 * a few hundred bytes where a screenshot would cost tens of kilobytes; an author who wants a
 * real picture gives `poster="...png"`.
 */
const SVG = 'http://www.w3.org/2000/svg';

function node<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Three services in columns, each pod an app beside its sidecar, links between sidecars. */
export function posterDrawing(): SVGSVGElement {
  const root = node('svg', { viewBox: '0 0 320 180', 'aria-hidden': 'true', preserveAspectRatio: 'xMidYMid meet' });
  root.append(node('rect', { x: 0, y: 0, width: 320, height: 180, fill: '#f6f5f0' }));
  root.append(node('rect', { x: 12, y: 30, width: 296, height: 138, rx: 8, fill: '#eaf1f7', stroke: '#9bb3c7' }));
  root.append(node('rect', { x: 110, y: 6, width: 100, height: 16, rx: 4, fill: '#fff6e0', stroke: '#3d3d3d', 'stroke-width': 0.6 }));
  const pods: [number, number][] = [
    [30, 86],
    [130, 50],
    [130, 90],
    [130, 130],
    [230, 86],
  ];
  for (const [x, y] of pods) {
    root.append(node('rect', { x, y, width: 28, height: 22, rx: 3, fill: '#dde8f3', stroke: '#3d3d3d', 'stroke-width': 0.6 }));
    root.append(node('rect', { x: x + 30, y, width: 28, height: 22, rx: 3, fill: '#e7dff0', stroke: '#3d3d3d', 'stroke-width': 0.6 }));
  }
  for (const [, y] of pods.slice(1, 4)) root.append(node('line', { x1: 88, y1: 97, x2: 130, y2: y + 11, stroke: '#b9b9b9', 'stroke-width': 1.2 }));
  root.append(node('line', { x1: 188, y1: 101, x2: 230, y2: 97, stroke: '#b9b9b9', 'stroke-width': 1.2 }));
  const packets: [number, number, string][] = [
    [106, 80, '#0072b2'],
    [112, 114, '#009e73'],
    [206, 99, '#0072b2'],
  ];
  for (const [cx, cy, fill] of packets) root.append(node('circle', { cx, cy, r: 4, fill, stroke: '#1e1e1e', 'stroke-width': 0.8 }));
  root.append(node('rect', { x: 100, y: 128, width: 7, height: 7, fill: '#d55e00', stroke: '#1e1e1e', 'stroke-width': 0.8 }));
  return root;
}
