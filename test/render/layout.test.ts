import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FONT, anchors, fitZoom, layoutModel, layoutOf, type Box, type LayoutMemo } from '../../src/render/layout.ts';
import { modelOf } from '../../src/render/layoutModel.ts';
import { segmentCrosses } from '../../src/render/geometry.ts';
import { textWidth } from '../../src/render/textMetrics.ts';
import { runScenario } from '../../src/player/index.ts';
import { offeredMeshes } from '../../src/player/run.ts';
import { loadScenarioOrThrow } from '../../src/scenario/index.ts';
import { TOO_BIG } from '../helpers/pictures.ts';
import { retriesTrace } from '../player/fixtures.ts';
import type { Trace } from '../../src/sim/index.ts';

const trace = retriesTrace('istio');
const layout = layoutOf(trace);

function libraryTrace(id: string, mesh = 'istio'): Trace {
  const file = `scenarios/${id}.yaml`;
  const outcome = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.text).join('\n'));
  return outcome.trace;
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Box, b: Box): boolean => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;

describe('layoutOf', () => {
  it('draws each pod as its app beside its sidecar, the sidecar facing its callers', () => {
    expect(layout.variant).toBe('wide/1');
    for (const pod of layout.pods) {
      const app = layout.nodes.get(pod.app)!;
      const proxy = layout.nodes.get(pod.proxy!)!;
      expect(app.y).toBe(proxy.y);
      expect(overlaps(app, proxy)).toBe(false);
      expect(inside(app, pod) && inside(proxy, pod)).toBe(true);
    }
    const caller = layout.nodes.get('productpage-0/proxy')!;
    const callee = layout.nodes.get('reviews-0/proxy')!;
    expect(layout.nodes.get('productpage-0/app')!.x).toBeLessThan(caller.x);
    expect(caller.x).toBeLessThan(callee.x);
    expect(callee.x).toBeLessThan(layout.nodes.get('reviews-0/app')!.x);
  });

  it('puts the control plane above the cluster and nodes inside it', () => {
    const cp = layout.nodes.get('istiod')!;
    expect(cp.y + cp.h).toBeLessThan(layout.cluster.y);
    for (const pod of layout.pods) expect(inside(pod, layout.cluster)).toBe(true);
  });

  it('keeps cards, services and bands apart', () => {
    for (const l of [layout, layoutOf(libraryTrace('retry-storm')), layoutOf(libraryTrace('ingress-gateway', 'linkerd'))]) {
      for (const [i, a] of l.pods.entries()) for (const b of l.pods.slice(i + 1)) expect(overlaps(a, b), `${a.key} / ${b.key}`).toBe(false);
      for (const [i, a] of l.bands.entries()) for (const b of l.bands.slice(i + 1)) expect(overlaps(a, b), `${a.label} / ${b.label}`).toBe(false);
      for (const [i, a] of l.boxes.entries()) for (const b of l.boxes.slice(i + 1)) expect(overlaps(a, b), `${a.node.id} / ${b.node.id}`).toBe(false);
    }
  });

  it('puts external hosts outside the cluster, to its right', () => {
    const withHost: Trace = {
      ...trace,
      topology: { ...trace.topology, nodes: [...trace.topology.nodes, { id: 'ext:api.example.com', kind: 'external', label: 'api.example.com' }] },
    };
    const l = layoutOf(withHost);
    expect(l.nodes.get('ext:api.example.com')!.x).toBeGreaterThan(l.cluster.x + l.cluster.w);
    expect(l.bounds.x + l.bounds.w).toBeGreaterThan(l.nodes.get('ext:api.example.com')!.x);
  });

  it('draws no line from a pod to a host outside through the egress gateway (egress-control, the page and a compare pane)', () => {
    const t = libraryTrace('egress-control');
    for (const viewport of [undefined, { w: 467, h: 398 }]) {
      const l = layoutOf(t, viewport ? { viewport } : {});
      const gateway = l.boxes.find((b) => b.role === 'gateway' && b.node.label.includes('egress'))!;
      expect(gateway, l.variant).toBeDefined();
      expect(inside(gateway, l.cluster), l.variant).toBe(true);
      const externals = l.boxes.filter((b) => b.role === 'external');
      expect(externals.length).toBe(3);
      const sidecars = l.boxes.filter((b) => b.role === 'sidecar' || b.role === 'app');
      expect(sidecars.length).toBeGreaterThan(0);
      for (const a of sidecars)
        for (const e of externals) {
          const [p, q] = anchors(a, e);
          expect(segmentCrosses(p, q, gateway), `${l.variant}: ${a.node.id} → ${e.node.id}`).toBe(false);
        }
      for (const b of l.boxes) if (b !== gateway) expect(overlaps(b, gateway), `${b.node.id}`).toBe(false);
    }
  });

  it('fits egress-control whole in a compare pane with its egress gateway in a row under the bands, and leaves the page picture as it was', () => {
    for (const mesh of ['istio', 'consul']) {
      const t = libraryTrace('egress-control', mesh);
      const pane = { w: 467, h: 398 };
      const l = layoutOf(t, { viewport: pane });
      expect(fitZoom(l.bounds, pane), `${mesh} ${l.variant}`).toBeGreaterThanOrEqual(1);
      const gateway = l.boxes.find((b) => b.role === 'gateway')!;
      expect(inside(gateway, l.cluster), mesh).toBe(true);
      for (const b of l.bands) expect(gateway.y, `${mesh}: under ${b.label}`).toBeGreaterThan(b.y + b.h);
      // The page picture fits as before: the gateway in its column at the cluster's right edge, level with the pods.
      const page = layoutOf(t, { viewport: { w: 838, h: 424 } });
      const column = page.boxes.find((b) => b.role === 'gateway')!;
      expect(page.variant, mesh).not.toContain('below');
      expect(
        page.bands.some((b) => column.y < b.y + b.h && column.x >= b.x + b.w),
        mesh,
      ).toBe(true);
    }
  });

  it('fits canary-split, config-push and the ambient two-node panes whole in a compare pane, spaced tightly with the control plane in the header; the page picture as it was', () => {
    // A compare pane at 1280×800 (the canvas measured in the page).
    const pane = { w: 469, h: 401 };
    for (const [id, mesh] of [
      ['canary-split', 'istio'],
      ['canary-split', 'linkerd'],
      ['config-push', 'istio'],
      ['config-push', 'linkerd'],
      ['ambient-authz-fail-closed', 'ambient'],
      ['ambient-policy-closes-connections', 'ambient'],
    ] as const) {
      const t = libraryTrace(id, mesh);
      const l = layoutOf(t, { viewport: pane });
      const at = `${id}:${mesh} ${l.variant}`;
      expect(fitZoom(l.bounds, pane), at).toBeGreaterThanOrEqual(1);
      expect(l.variant, at).toMatch(/tight\/header/);
      // The control plane in the cluster's header: inside the cluster, right of its title, above every band.
      const cp = l.controlPlane!;
      expect(inside(cp, l.cluster), at).toBe(true);
      expect(cp.x, at).toBeGreaterThan(l.cluster.x + 12 + textWidth('Kubernetes cluster', FONT.title, true));
      for (const b of l.bands) expect(cp.y + cp.h, `${at}: ${b.label}`).toBeLessThanOrEqual(b.y);
      for (const b of l.boxes.filter((b) => b.role === 'control-plane')) expect(inside(b, cp), at).toBe(true);
      // Every box one 11 px line and room: 22 px.
      for (const b of l.boxes) expect(b.h, `${at}: ${b.node.id}`).toBeGreaterThanOrEqual(22);
      for (const [i, a] of l.pods.entries()) for (const b of l.pods.slice(i + 1)) expect(overlaps(a, b), `${at}: ${a.key} / ${b.key}`).toBe(false);
      for (const [i, a] of l.boxes.entries()) for (const b of l.boxes.slice(i + 1)) expect(overlaps(a, b), `${at}: ${a.node.id} / ${b.node.id}`).toBe(false);
      for (const p of l.pods) {
        expect(inside(p, l.cluster), `${at}: ${p.key}`).toBe(true);
        expect(inside(p.chips, p), `${at}: ${p.key}'s chips`).toBe(true);
      }
      // The page picture is not spaced tightly.
      expect(layoutOf(t, { viewport: { w: 838, h: 424 } }).variant, id).not.toMatch(/tight|header/);
    }
  });

  it('fits the page picture at 1280×800 at zoom 1 or more on every library scenario × offered mesh, but the named few', () => {
    // The page's picture at 1280×800 (838×424 CSS px; the e2e test measures the labels themselves).
    const viewport = { w: 838, h: 424 };
    const short: string[] = [];
    for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))) {
      const id = file.slice(0, -'.yaml'.length);
      for (const mesh of offeredMeshes(loadScenarioOrThrow(readFileSync(`scenarios/${file}`, 'utf8'), file))) {
        const l = layoutOf(libraryTrace(id, mesh), { viewport });
        const zoom = fitZoom(l.bounds, viewport);
        if (zoom < 1 !== TOO_BIG.has(`${id}:${mesh}`)) short.push(`${id}:${mesh} ${l.variant} zoom ${zoom.toFixed(2)}`);
      }
    }
    expect(short).toEqual([]);
  });

  it('chooses for each viewport what it chooses without the arrangements placed before, placing again none of them', () => {
    for (const [id, mesh] of [
      ['retries-flaky-pod', 'istio'],
      ['config-push', 'linkerd'],
      ['ambient-l4-mtls', 'ambient'],
      ['canary-split', 'istio'],
    ] as const) {
      const model = modelOf(libraryTrace(id, mesh));
      const memo: LayoutMemo = { placed: new Map(), placements: 0 };
      const viewports = [
        { w: 830, h: 520 },
        { w: 800, h: 500 },
        { w: 600, h: 700 },
        { w: 1200, h: 400 },
        { w: 400, h: 300 },
        { w: 830, h: 520 },
      ];
      for (const viewport of viewports) {
        const before = memo.placements;
        const kept = memo.placed.size;
        const chosen = layoutModel(model, { viewport, memo });
        // The same choice, boxes and all; placed only where it had not been.
        expect(chosen, `${id} under ${mesh} at ${viewport.w}×${viewport.h}`).toEqual(layoutModel(model, { viewport }));
        expect(memo.placements - before).toBe(memo.placed.size - kept);
      }
      // The first viewport again: nothing placed.
      const before = memo.placements;
      layoutModel(model, { viewport: viewports[0]!, memo });
      expect(memo.placements).toBe(before);
    }
  });

  it('puts the control plane beside the cluster, Kubernetes nodes side by side and columns in two lines when that fits', () => {
    const viewport = { w: 838, h: 424 };
    // retry-storm: four services in a chain, db with two pods — two lines of two columns (in a squarer picture).
    const storm = layoutOf(libraryTrace('retry-storm', 'linkerd'), { viewport: { w: 520, h: 520 } });
    expect(storm.variant).toMatch(/wrapped/);
    const x = (s: string): number => storm.services.find((r) => r.label === s)!.x;
    const y = (s: string): number => storm.services.find((r) => r.label === s)!.y;
    expect(x('web')).toBeLessThan(x('api'));
    expect(y('orders')).toBeGreaterThan(y('api'));
    expect(x('orders')).toBeLessThan(x('db'));
    // One namespace over both lines: one band around all four services, not one per line.
    expect(storm.bands.map((b) => b.label)).toEqual(['namespace default']);
    for (const s of storm.services) expect(inside(s, storm.bands[0]!), s.label).toBe(true);
    // config-push under Istio: the control plane at the cluster's left, its boxes in a column.
    const push = layoutOf(libraryTrace('config-push', 'istio'), { viewport });
    expect(push.variant).toMatch(/side/);
    expect(push.controlPlaneBeside).toBe(true);
    expect(push.controlPlane!.x + push.controlPlane!.w).toBeLessThan(push.cluster.x);
    for (const b of push.boxes.filter((b) => b.role === 'control-plane')) expect(inside(b, push.controlPlane!)).toBe(true);
    // Its title region (title, and the state chip under it) is in the layout's titles, above its first box.
    const cpTitle = push.titles.find((t) => t.x === push.controlPlane!.x && t.y === push.controlPlane!.y)!;
    expect(cpTitle.h).toBeGreaterThan(40);
    expect(Math.min(...push.boxes.filter((b) => b.role === 'control-plane').map((b) => b.y))).toBeGreaterThanOrEqual(cpTitle.y + cpTitle.h);
    // canary-split under ambient: the two Kubernetes nodes side by side, each with its ztunnel strip.
    const canary = layoutOf(libraryTrace('canary-split', 'ambient'), { viewport });
    expect(canary.variant).toMatch(/across/);
    const [n1, n2] = canary.bands;
    expect(n1!.y).toBe(n2!.y);
    expect(n1!.x + n1!.w).toBeLessThan(n2!.x);
    for (const l of [storm, push, canary]) {
      for (const [i, a] of l.pods.entries()) for (const b of l.pods.slice(i + 1)) expect(overlaps(a, b), `${a.key} / ${b.key}`).toBe(false);
      for (const [i, a] of l.boxes.entries()) for (const b of l.boxes.slice(i + 1)) expect(overlaps(a, b), `${a.node.id} / ${b.node.id}`).toBe(false);
      for (const p of l.pods) expect(inside(p, l.cluster), p.key).toBe(true);
      expect(inside(l.controlPlane!, l.bounds)).toBe(true);
    }
  });

  it('draws twenty one-pod services as a grid of compact cards, every pod and proxy counted, callers first', () => {
    const viewport = { w: 838, h: 424 };
    for (const mesh of ['istio', 'linkerd', 'ambient']) {
      const trace = libraryTrace('sidecar-vs-ambient-footprint', mesh);
      const l = layoutOf(trace, { viewport });
      expect(l.variant, mesh).toMatch(/^grid/);
      // Every pod of the twenty services (one each) has its own card and app box; every proxy the
      // mesh runs (under ambient the waypoint too, a pod of its own) has a box of its own.
      const proxies = trace.topology.proxies;
      expect(l.pods.length, mesh).toBe(20);
      expect(l.services.length, mesh).toBe(20);
      expect(new Set(l.pods.map((p) => l.nodes.get(p.app))).size, mesh).toBe(20);
      expect(new Set(proxies.map((p) => l.nodes.get(p.id))).size, mesh).toBe(proxies.length);
      for (const p of proxies) expect(l.nodes.get(p.id), p.id).toBeDefined();
      const roles = (r: string): number => l.boxes.filter((b) => b.role === r).length;
      if (mesh === 'ambient') {
        expect([roles('sidecar'), roles('node-proxy'), roles('waypoint')]).toEqual([0, 4, 1]);
        // A pod without a sidecar still shows where its traffic goes: the dashed 'node proxy' box.
        for (const p of l.pods) expect(p.sidecar, p.key).toBe('node');
      } else expect([roles('sidecar'), roles('node-proxy')]).toEqual([20, 0]);
      for (const [i, a] of l.pods.entries()) for (const b of l.pods.slice(i + 1)) expect(overlaps(a, b), `${a.key} / ${b.key}`).toBe(false);
      for (const [i, a] of l.boxes.entries()) for (const b of l.boxes.slice(i + 1)) expect(overlaps(a, b), `${a.node.id} / ${b.node.id}`).toBe(false);
      for (const [i, a] of l.services.entries()) for (const b of l.services.slice(i + 1)) expect(overlaps(a, b), `${a.label} / ${b.label}`).toBe(false);
      // Each compact card sits in its service's region under its header: one line, the name alone,
      // whose words (6 px in from the region's left) end inside the card.
      // Or, a grid of named cards (the waypoint in node-1's band leaves no room for headers under
      // ambient), no header: the service's name is its app's caption, whole inside the box.
      expect(l.compactHeaders, mesh).toBe(true);
      for (const p of l.pods) {
        const s = l.services.find((r) => r.label === p.service)!;
        expect(inside(p, s), p.key).toBe(true);
        if (l.namedBoxes) {
          const app = l.nodes.get(p.app)!;
          expect(app.caption, p.key).toBe(p.service);
          expect(textWidth(app.caption, FONT.text) + 8, p.key).toBeLessThanOrEqual(app.w);
        } else {
          expect(p.y, p.key).toBeGreaterThanOrEqual(s.y + 15);
          expect(p.y, p.key).toBeLessThan(s.y + 20);
          expect(s.x + 6 + textWidth(s.label, FONT.title, true), p.key).toBeLessThanOrEqual(p.x + p.w);
        }
        for (const b of l.boxes.filter((b) => b.node.id === p.app || b.node.id === p.proxy)) expect(inside(b, p), b.node.id).toBe(true);
      }
      expect(l.namedBoxes, mesh).toBe(mesh === 'ambient');
      // Callers before callees: frontend first, in the first column, top.
      const frontend = l.services.find((r) => r.label === 'frontend')!;
      expect(Math.min(...l.services.map((r) => r.x))).toBe(frontend.x);
      expect(frontend.y).toBe(Math.min(...l.services.filter((r) => r.x === frontend.x).map((r) => r.y)));
      const x = (name: string): number => l.services.find((r) => r.label === name)!.x;
      if (mesh !== 'ambient') {
        expect(x('catalog')).toBeLessThanOrEqual(x('pricing'));
        expect(x('pricing')).toBeLessThanOrEqual(x('currency'));
        expect(x('orders')).toBeLessThanOrEqual(x('notification'));
        expect(x('notification')).toBeLessThanOrEqual(x('email'));
      }
    }
  });

  it('puts namespaces that use different columns side by side', () => {
    const l = layoutOf(libraryTrace('strict-vs-permissive'));
    const [a, b] = l.bands;
    expect(l.bands.map((x) => x.label)).toEqual(['namespace default', 'namespace shop']);
    expect(a!.y).toBe(b!.y);
    expect(a!.x + a!.w).toBeLessThan(b!.x);
  });

  it('puts a service nobody calls, calling nobody, in the column of its namespace-mates', () => {
    // ingress-gateway: reviews is never called; productpage is, by the ingress.
    const l = layoutOf(libraryTrace('ingress-gateway', 'linkerd'));
    const x = (s: string): number => l.services.find((r) => r.label === s)!.x;
    expect(x('reviews')).toBe(x('productpage'));
    expect(x('ingress-nginx-controller')).toBeLessThan(x('productpage'));
  });

  describe('with node proxies and a waypoint (ambient-authz-fail-closed under Istio ambient)', () => {
    const authz = libraryTrace('ambient-authz-fail-closed', 'ambient');
    const l = layoutOf(authz);

    it('bands the pods by Kubernetes node, each band with its ztunnel as a strip along its bottom', () => {
      expect(l.bands.map((b) => [b.label, b.kind])).toEqual([
        ['node node-1', 'k8s-node'],
        ['node node-2', 'k8s-node'],
      ]);
      const band = (name: string) => l.bands.find((b) => b.label === `node ${name}`)!;
      const pod = (key: string) => l.pods.find((p) => p.members.includes(key))!;
      expect(inside(pod('productpage-0'), band('node-1')) && inside(pod('reviews-1'), band('node-1'))).toBe(true);
      expect(inside(pod('reviews-0'), band('node-2'))).toBe(true);
      for (const n of ['node-1', 'node-2']) {
        const strip = l.nodes.get(`${n}/ztunnel`)!;
        expect(strip.role).toBe('node-proxy');
        expect(inside(strip, band(n))).toBe(true);
        expect(strip.w).toBeGreaterThan(band(n).w - 30);
      }
      // No sidecar boxes: each card marks where the ztunnel takes the pod's traffic.
      expect(l.boxes.some((b) => b.role === 'sidecar')).toBe(false);
      expect(l.pods.every((p) => p.sidecar === 'node' && p.placeholder)).toBe(true);
    });

    it("draws the waypoint once, a pod on its Kubernetes node: in that node's band, above its ztunnel strip, on no card or box", () => {
      expect(l.boxes.filter((b) => b.node.id === 'waypoint-0/gateway').map((b) => b.role)).toEqual(['waypoint']);
      const w = l.nodes.get('waypoint-0/gateway')!;
      const node = authz.topology.proxies.find((p) => p.id === 'waypoint-0/gateway')!.nodeName;
      const band = l.bands.find((b) => b.label === `node ${node}`)!;
      expect(inside(w, band)).toBe(true);
      expect(w.y + w.h).toBeLessThanOrEqual(l.nodes.get(`${node}/ztunnel`)!.y);
      for (const p of l.pods) expect(overlaps(w, p), p.key).toBe(false);
      for (const b of l.boxes) if (b !== w) expect(overlaps(w, b), b.node.id).toBe(false);
    });
  });

  describe('in a viewport too small for every pod', () => {
    const small = layoutOf(trace, { viewport: { w: 360, h: 300 } });

    it('never folds a pod the lesson is about into a group', () => {
      // reviews-1 is the flaky pod and reviews-0 the first: reviews-2 alone is no group.
      expect(small.pods.map((p) => p.key)).toEqual(['productpage-0', 'reviews-0', 'reviews-1', 'reviews-2']);
    });

    it('folds a quiet service of several pods, and unfolds it when asked', () => {
      const text =
        'id: quiet\ntitle: Quiet\nduration: 1s\nservices:\n  - name: web\n  - name: reviews\n    replicas: 5\ntraffic:\n  - { from: web, to: reviews, rate: 20/s }\n';
      const run = runScenario({ text, file: 'quiet.yaml', mesh: 'istio' });
      if (!run.ok) throw new Error('quiet.yaml');
      const quiet = run.trace;
      const folded = layoutOf(quiet, { viewport: { w: 300, h: 260 } });
      expect(folded.variant).toMatch(/folded/);
      expect(folded.pods.map((p) => p.key)).toEqual(['web-0', 'reviews-0', 'group:reviews:default']);
      const group = folded.pods.find((p) => p.members.length > 1);
      expect(group?.title).toBe('reviews ×4');
      for (const m of group!.members) expect(folded.nodes.get(`${m}/app`)).toBe(folded.nodes.get(`${group!.members[0]}/app`));
      const open = layoutOf(quiet, { viewport: { w: 300, h: 260 }, expanded: new Set(['reviews']) });
      expect(open.pods.every((p) => p.members.length === 1)).toBe(true);
    });
  });
});
