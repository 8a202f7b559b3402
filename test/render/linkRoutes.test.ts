/**
 * Where links run and where their packets fly (issue 12, linkEnds.ts, linkRoute.ts), measured on
 * the layouts the page draws (838 × 424 full size, 410 × 424 narrow, 467 × 398 a compare pane):
 * - config-push at 2.4 s: the packets arriving at reviews-v2-0 came down a steep line to its
 *   sidecar's side, past the card's corner, and stood on "reviews-v2-0". Packets flying between
 *   two pods, either way, keep their ring (15 world units from the centre, a pixel's grace) off
 *   every pod's title.
 * - sidecar-vs-ambient-footprint under ambient: the HBONE pipes between ztunnels two nodes apart
 *   ran under the strips, along the cluster's bottom line (a gap 8 units wide). No stretch of a
 *   line between two ztunnels runs along the cluster's frame.
 * - retries-flaky-pod, config-push, authorization, canary-split under Istio: lines routed down one
 *   gap lay on each other (productpage's lines to reviews-1 and reviews-2 read as one). Laid as the
 *   page lays them (the wires, all at once: sceneWires.ts), no two lines share a stretch.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requestTargets, runScenario, wireFlights, type Trace } from '../../src/player/index.ts';
import type { NodeBox } from '../../src/render/layoutTypes.ts';

// Loaded after the setup file's navigator stand-in: pixi.js reads it when loaded (packetPaths.ts draws nothing, but its atlas module loads pixi).
const { layoutOf, FONT } = await import('../../src/render/layout.ts');
const { layLinks, linkLine } = await import('../../src/render/linkEnds.ts');
const { pathBetween, placeOnBent } = await import('../../src/render/packetPaths.ts');
const { textWidth } = await import('../../src/render/textMetrics.ts');
const { CLUSTER_TITLE } = await import('../../src/render/controlPlanePlace.ts');

type Rect = { x: number; y: number; w: number; h: number };

function traceOf(id: string, mesh: string): Trace {
  const file = `scenarios/${id}.yaml`;
  const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
  if (!run.ok) throw new Error(`${id} does not run under ${mesh}`);
  return run.trace;
}

/** How far point (x, y) is from rectangle `r` (0 inside). */
const distance = (x: number, y: number, r: Rect): number => Math.hypot(Math.max(r.x - x, 0, x - r.x - r.w), Math.max(r.y - y, 0, y - r.y - r.h));

const VIEWS = { full: { w: 838, h: 424 }, narrow: { w: 410, h: 424 } };

/** The links a trace's wires draw, by their ends' names, laid out as the picture lays them (layLinks). */
function laidLinks(trace: Trace, layout: ReturnType<typeof layoutOf>): Map<string, [NodeBox, NodeBox]> {
  const pairs = new Map<string, [NodeBox, NodeBox]>();
  for (const e of wireFlights(trace)) {
    const a = layout.nodes.get(e.from);
    const b = layout.nodes.get(e.to);
    if (a && b && a !== b) pairs.set([e.from, e.to].sort().join(' ~ '), [a, b]);
  }
  layLinks(layout, pairs.values());
  return pairs;
}

describe('packets between two pods keep off the pods’ titles', () => {
  for (const mesh of ['istio', 'linkerd'])
    for (const [name, viewport] of Object.entries(VIEWS))
      it(`config-push under ${mesh}, ${name}`, () => {
        const trace = traceOf('config-push', mesh);
        const layout = layoutOf(trace, { viewport });
        // Each card's title as drawn (sceneStatic.ts: 8 and 4 in from the card's corner, bold, 15 high).
        const titles = layout.pods
          .filter((p) => p.title)
          .map((p) => ({ text: p.title, x: p.x + 8, y: p.y + 4, w: textWidth(p.title, FONT.title, true), h: 15 }));
        expect(titles.map((t) => t.text)).toContain('reviews-v2-0');
        const inPod = (id: string): boolean => {
          const n = layout.nodes.get(id);
          return !!n && layout.pods.some((p) => n.x >= p.x && n.y >= p.y && n.x + n.w <= p.x + p.w && n.y + n.h <= p.y + p.h);
        };
        const out = new Float64Array(2);
        const near: string[] = [];
        const seen = new Set<string>();
        let checked = 0;
        for (const e of wireFlights(trace)) {
          const key = [e.from, e.to].sort().join('>');
          if (seen.has(key) || e.from === e.to || !inPod(e.from) || !inPod(e.to)) continue;
          seen.add(key);
          for (const [from, to] of [
            [e.from, e.to],
            [e.to, e.from],
          ] as const) {
            const path = pathBetween(layout, [], from, to)!;
            // An app's hop to its own sidecar stays inside its card, under the title.
            if (path.short) continue;
            checked++;
            let worst = { d: Infinity, title: '' };
            for (let d = 0; d <= path.len; d += 0.5) {
              let x = path.ax + path.ux * d;
              let y = path.ay + path.uy * d;
              if (path.bends) {
                placeOnBent(path, d, 0, out);
                [x, y] = [out[0]!, out[1]!];
              }
              for (const t of titles) {
                const q = distance(x, y, t);
                if (q < worst.d) worst = { d: q, title: t.text };
              }
            }
            if (worst.d < 14) near.push(`${from} → ${to}: ${worst.d.toFixed(1)} from "${worst.title}"`);
          }
        }
        expect(checked).toBeGreaterThan(8);
        expect(near).toEqual([]);
      });
});

describe('a line between two ztunnels keeps off the cluster’s frame', () => {
  for (const [name, viewport] of Object.entries(VIEWS))
    it(`sidecar-vs-ambient-footprint under ambient, ${name}`, () => {
      const trace = traceOf('sidecar-vs-ambient-footprint', 'ambient');
      const layout = layoutOf(trace, { viewport });
      const { x, y, w, h } = layout.cluster;
      const along: string[] = [];
      let pairs = 0;
      for (const e of wireFlights(trace)) {
        const a = layout.nodes.get(e.from);
        const b = layout.nodes.get(e.to);
        if (!a || !b || a === b || a.role !== 'node-proxy' || b.role !== 'node-proxy') continue;
        pairs++;
        const points = linkLine(layout, a, b).points;
        for (let i = 1; i < points.length; i++) {
          const p = points[i - 1]!;
          const q = points[i]!;
          // A level stretch within 12 of the frame's top or bottom, or an upright one of its sides.
          const level = Math.abs(p.y - q.y) < 0.5 && Math.min(Math.abs(p.y - y), Math.abs(p.y - y - h)) < 12;
          const upright = Math.abs(p.x - q.x) < 0.5 && Math.min(Math.abs(p.x - x), Math.abs(p.x - x - w)) < 12;
          if ((level || upright) && Math.hypot(q.x - p.x, q.y - p.y) > 20) along.push(`${e.from} → ${e.to}: ${JSON.stringify(points)}`);
        }
      }
      expect(pairs).toBeGreaterThan(3);
      expect(along).toEqual([]);
    });
});

type P = { x: number; y: number };

/** How long a stretch two upright or two level stretches share (0: none, or not in one line). */
function shared(p: P, q: P, r: P, s: P): number {
  const upright = (a: P, b: P): boolean => Math.abs(a.x - b.x) < 0.5;
  const level = (a: P, b: P): boolean => Math.abs(a.y - b.y) < 0.5;
  const overlap = (a: number, b: number, c: number, d: number): number => Math.min(Math.max(a, b), Math.max(c, d)) - Math.max(Math.min(a, b), Math.min(c, d));
  if (upright(p, q) && upright(r, s) && Math.abs(p.x - r.x) < 2) return overlap(p.y, q.y, r.y, s.y);
  if (level(p, q) && level(r, s) && Math.abs(p.y - r.y) < 2) return overlap(p.x, q.x, r.x, s.x);
  return 0;
}

/**
 * Two lines may meet for a lane's width: where the control plane's wire comes to a sidecar along
 * the gap line another line took as its lane, the two lie on each other where one turns off
 * (retries-flaky-pod under Istio: istiod's wire to reviews-0 and productpage's line to reviews-2, 8 long).
 */
const JUNCTION = 8;

describe('lines sharing a gap run side by side', () => {
  for (const id of ['retries-flaky-pod', 'config-push', 'authorization', 'canary-split'])
    it(`${id} under istio, full size`, () => {
      const trace = traceOf(id, 'istio');
      const layout = layoutOf(trace, { viewport: VIEWS.full });
      const pairs = laidLinks(trace, layout);
      const stretches = [...pairs].flatMap(([name, [a, b]]) => {
        const points = linkLine(layout, a, b).points;
        return points.slice(1).map((q, i) => ({ name, p: points[i]!, q }));
      });
      const both: string[] = [];
      for (const [i, s] of stretches.entries())
        for (const t of stretches.slice(i + 1))
          if (s.name !== t.name && shared(s.p, s.q, t.p, t.q) > JUNCTION) both.push(`${s.name} and ${t.name}: ${shared(s.p, s.q, t.p, t.q).toFixed(0)} long`);
      expect(stretches.length).toBeGreaterThan(pairs.size);
      expect(both).toEqual([]);
    });
});

/**
 * The control plane's lines to the proxies ran straight across the frames' words: "service reviews
 * / no request finished yet", "node node-2", "Kubernetes cluster" (retries-flaky-pod, canary-split,
 * authorization… under Linkerd, Istio, Consul, OSM): a wide box's route started on a grid line
 * outside it, found none, and the line stayed straight. No line, as laid for the page, crosses a
 * service's header (its name, and the counter line of a service requests name), a band's title or
 * the cluster's, as sceneStatic.ts writes them.
 */
describe('lines keep off the services’ headers and the frames’ titles', () => {
  const CASES: [string, string, keyof typeof VIEWS | 'pane'][] = [
    ['hello-mesh', 'istio', 'full'],
    ['retries-flaky-pod', 'istio', 'narrow'],
    ['canary-split', 'linkerd', 'pane'],
    ['authorization', 'linkerd', 'full'],
    ['authorization', 'osm', 'full'],
    ['config-push', 'istio', 'narrow'],
    ['certificate-rotation', 'linkerd', 'full'],
    ['strict-vs-permissive', 'linkerd', 'full'],
    ['ambient-waypoint-l7', 'istio', 'pane'],
    ['ambient-l4-mtls', 'ambient', 'full'],
    ['osm-permissive-vs-smi', 'osm', 'full'],
    ['consul-intentions', 'consul', 'full'],
  ];

  for (const [id, mesh, view] of CASES)
    it(`${id} under ${mesh}, ${view}`, () => {
      const trace = traceOf(id, mesh);
      const layout = layoutOf(trace, { viewport: view === 'pane' ? { w: 467, h: 398 } : VIEWS[view] });
      const named = new Set([...requestTargets(trace)].map((to) => to.split('.')[0]!));
      const words: (Rect & { text: string })[] = [];
      const written = (text: string, x: number, y: number, size: number, bold: boolean): void => {
        words.push({ text, x, y, w: textWidth(text, size, bold), h: size + 3 });
      };
      written(CLUSTER_TITLE, layout.cluster.x + 12, layout.cluster.y + 5, FONT.title, true);
      for (const b of layout.bands) written(b.label, b.x + 8, b.y + 3, FONT.text, false);
      for (const s of layout.services)
        if (!layout.namedBoxes && !layout.compactHeaders) {
          written(`service ${s.label}`, s.x + 6, s.y + 4, FONT.title, true);
          if (named.has(s.label)) written('✓ 99 ok · ✕ 99 failed', s.x + 6, s.y + 20, FONT.text, false);
        }
      expect(words.some((w) => w.text.startsWith('service '))).toBe(true);
      const pairs = laidLinks(trace, layout);
      const over: string[] = [];
      let fromControlPlane = 0;
      for (const [name, [a, b]] of pairs) {
        if (a.role === 'control-plane' || b.role === 'control-plane') fromControlPlane++;
        const points = linkLine(layout, a, b).points;
        for (let i = 1; i < points.length; i++) {
          const p = points[i - 1]!;
          const q = points[i]!;
          const n = Math.ceil(Math.hypot(q.x - p.x, q.y - p.y) * 2);
          for (const w of words)
            for (let k = 0; k <= n; k++) {
              const x = p.x + ((q.x - p.x) * k) / n;
              const y = p.y + ((q.y - p.y) * k) / n;
              if (x > w.x && x < w.x + w.w && y > w.y && y < w.y + w.h) {
                over.push(`${name} over "${w.text}"`);
                break;
              }
            }
        }
      }
      expect(fromControlPlane).toBeGreaterThan(1);
      expect([...new Set(over)]).toEqual([]);
    });
});
