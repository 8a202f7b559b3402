import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anchors, clipTo, layoutOf, type Layout, type NodeBox } from '../../src/render/layout.ts';
import { segmentCrosses } from '../../src/render/geometry.ts';
import { runScenario } from '../../src/player/index.ts';
import { EdgeIndexes } from '../../src/player/edges.ts';
import { offeredMeshes } from '../../src/player/run.ts';
import { loadScenarioOrThrow } from '../../src/scenario/index.ts';

/** The page's picture at 1280×800, a compare pane of two, and a small one. */
const VIEWPORTS = [
  { w: 838, h: 424 },
  { w: 467, h: 398 },
  { w: 300, h: 300 },
];

/** The app box of the card `b` (a sidecar, an app) is in, if any. */
function appOf(l: Layout, b: NodeBox): NodeBox | undefined {
  const card = l.pods.find((p) => b.x >= p.x && b.x + b.w <= p.x + p.w && b.y >= p.y && b.y + b.h <= p.y + p.h);
  return card ? l.nodes.get(card.app) : undefined;
}

/** The links `l` draws (edgeLayer.ts: one straight line per link, clipped to its boxes) that cross an app of their own ends' cards. */
function crossings(l: Layout, links: readonly { from: string; to: string }[]): string[] {
  const out: string[] = [];
  for (const { from, to } of links) {
    const a = l.nodes.get(from);
    const b = l.nodes.get(to);
    if (!a || !b || a === b) continue;
    const [ca, cb] = anchors(a, b);
    const p = clipTo(a, ca, cb);
    const q = clipTo(b, cb, ca);
    for (const app of [appOf(l, a), appOf(l, b)])
      if (app && app !== a && app !== b && segmentCrosses(p, q, app)) out.push(`${from} → ${to} crosses ${app.node.id}`);
  }
  return out;
}

describe('links and their own pods', () => {
  it("draws no link through the app box of either end's pod, on every library scenario × offered mesh (but a grid of compact cards)", () => {
    const found: string[] = [];
    let checked = 0;
    for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))) {
      const id = file.slice(0, -'.yaml'.length);
      const text = readFileSync(`scenarios/${file}`, 'utf8');
      for (const mesh of offeredMeshes(loadScenarioOrThrow(text, file))) {
        const outcome = runScenario({ text, file, mesh });
        if (!outcome.ok) throw new Error(`${id}:${mesh}`);
        const links = new EdgeIndexes(outcome.trace).edges;
        for (const viewport of VIEWPORTS) {
          const l = layoutOf(outcome.trace, { viewport });
          // A grid's compact cards sit level in rows: a service called from the left that calls
          // to the right has a link on each side of its one row, and one of them passes its app.
          if (l.variant.startsWith('grid')) continue;
          checked += links.length;
          for (const c of crossings(l, links)) found.push(`${id}:${mesh} ${viewport.w}×${viewport.h} ${l.variant}: ${c}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(found).toEqual([]);
  });

  it('puts the sidecar on the side of its peers: ingress-nginx under Linkerd above its app, orders in a wrapped compare pane right of it', () => {
    const trace = (id: string, mesh: string) => {
      const file = `scenarios/${id}.yaml`;
      const outcome = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
      if (!outcome.ok) throw new Error(id);
      return outcome.trace;
    };
    const ingress = layoutOf(trace('ingress-gateway', 'linkerd'), { viewport: { w: 838, h: 424 } });
    const nginx = (role: string) => ingress.nodes.get(`ingress-nginx-controller-0/${role}`)!;
    // Called by the browser at its left, calling productpage at its right: its sidecar above its app.
    expect(nginx('proxy').y + nginx('proxy').h).toBeLessThan(nginx('app').y);
    const storm = layoutOf(trace('retry-storm', 'istio'), { viewport: { w: 467, h: 398 } });
    expect(storm.variant).toMatch(/wrapped/);
    // orders starts the second line: its caller api above-right, its callee db right.
    expect(storm.nodes.get('orders-0/proxy')!.x).toBeGreaterThan(storm.nodes.get('orders-0/app')!.x);
  });
});
