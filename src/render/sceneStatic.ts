/**
 * The still part of the picture: the cluster, namespace bands, services with their counters,
 * pod cards (app beside sidecar) with their machine states, the control plane, external hosts,
 * and the faint wires every flight travels along. Redrawn only when a state or counter changes.
 */
import { Container, Graphics, type Text } from 'pixi.js';
import type { ComponentState, ServiceCounters, Trace } from '../player/index.ts';
import { COLOURS } from './palette.ts';
import { centre, type Layout, type Box } from './layout.ts';
import { label } from './text.ts';

export class SceneStatic {
  readonly root = new Container();
  private readonly podStates = new Map<string, { text: Text; card: Graphics; box: Box }>();
  private readonly serviceCounters = new Map<string, Text>();
  /** Services no request names (a caller, or a service reached only through an ingress): no counter. */
  private readonly uncounted = new Set<string>();
  /** The pod each app and sidecar node belongs to. */
  private readonly podOfNode = new Map<string, string>();
  private lastStateVersion = -1;
  private lastCounters: readonly ServiceCounters[] | null = null;

  constructor(
    private readonly layout: Layout,
    trace: Trace,
  ) {
    const g = new Graphics();
    this.root.addChild(g);
    const { cluster, controlPlane } = layout;
    g.roundRect(cluster.x, cluster.y, cluster.w, cluster.h, 14).fill(COLOURS.cluster).stroke({ width: 2, color: COLOURS.clusterLine });
    this.text('Kubernetes cluster', cluster.x + 12, cluster.y + 5, { fontSize: 12, fill: COLOURS.muted, fontWeight: 'bold' });
    for (const ns of layout.namespaces) {
      g.roundRect(ns.x, ns.y + 4, ns.w, ns.h - 4, 10)
        .fill(COLOURS.namespace)
        .stroke({ width: 1, color: COLOURS.namespaceLine });
      this.text(ns.label, ns.x + 10, ns.y + 8, { fontSize: 11, fill: COLOURS.muted });
    }
    // Counters are by the service a request names; one reached only through a gateway has none.
    const named = new Set<string>();
    for (const e of trace.events) if (e.type === 'request' && e.phase === 'start') named.add(e.to.split('.')[0]!);
    for (const s of layout.services) {
      g.roundRect(s.x, s.y, s.w, s.h, 8).fill(COLOURS.service).stroke({ width: 1, color: 0xc8c8c8 });
      this.text(`service ${s.label}`, s.x + 8, s.y + 6, { fontSize: 12, fontWeight: 'bold' });
      const counters = this.text('', s.x + 8, s.y + 22, { fontSize: 11, fill: COLOURS.muted });
      if (!named.has(s.label)) this.uncounted.add(s.label);
      this.serviceCounters.set(s.label, counters);
    }
    if (controlPlane) {
      g.roundRect(controlPlane.x, controlPlane.y, controlPlane.w, controlPlane.h, 10).fill(COLOURS.controlPlane).stroke({ width: 1.5, color: COLOURS.orange });
      this.text(`control plane (${trace.mesh})`, controlPlane.x + 10, controlPlane.y + 4, { fontSize: 11, fill: COLOURS.muted, fontWeight: 'bold' });
    }
    this.drawWires(g, trace);
    for (const p of layout.pods) {
      this.podOfNode.set(p.app, p.pod);
      if (p.proxy) this.podOfNode.set(p.proxy, p.pod);
      const card = new Graphics();
      this.root.addChild(card);
      this.text(p.pod + (p.meshed ? '' : '  (no sidecar)'), p.x + 10, p.y + 5, { fontSize: 11, fontWeight: 'bold' });
      const state = this.text('', p.x + 10, p.y + p.h - 20, { fontSize: 10.5, fill: COLOURS.muted });
      this.podStates.set(p.pod, { text: state, card, box: p });
      this.drawCard(card, p, false);
    }
    for (const b of layout.nodes.values()) {
      const fill =
        b.node.kind === 'app' ? COLOURS.app : b.node.kind === 'proxy' ? COLOURS.proxy : b.node.kind === 'control-plane' ? 0xffffff : COLOURS.external;
      g.roundRect(b.x, b.y, b.w, b.h, 6).fill(fill).stroke({ width: 1.2, color: 0x6d6d6d });
      const caption = b.node.kind === 'app' ? 'app' : b.node.kind === 'proxy' ? 'sidecar proxy' : b.node.label;
      const t = this.text(caption, 0, 0, {
        fontSize: b.node.kind === 'proxy' || b.node.kind === 'app' ? 11 : 11.5,
        fontWeight: b.node.kind === 'control-plane' ? 'bold' : 'normal',
      });
      const c = centre(b);
      t.anchor.set(0.5);
      t.position.set(c.x, c.y);
      if (t.width > b.w - 6) t.scale.set((b.w - 6) / t.width);
    }
    if (layout.nodes.size && [...layout.nodes.values()].some((b) => b.node.kind === 'external')) {
      const first = [...layout.nodes.values()].find((b) => b.node.kind === 'external')!;
      this.text('outside the cluster', first.x, first.y - 18, { fontSize: 10.5, fill: COLOURS.muted });
    }
  }

  private text(content: string, x: number, y: number, style: Parameters<typeof label>[1]): Text {
    const t = label(content, style);
    t.position.set(x, y);
    this.root.addChild(t);
    return t;
  }

  private drawCard(card: Graphics, p: Box, crashed: boolean): void {
    card.clear();
    card
      .roundRect(p.x, p.y, p.w, p.h, 8)
      .fill({ color: 0xffffff, alpha: crashed ? 0.5 : 1 })
      .stroke(crashed ? { width: 2.5, color: COLOURS.crashed } : { width: 1, color: 0x9a9a9a });
  }

  /** Faint lines between every pair of nodes that ever exchange a packet. */
  private drawWires(g: Graphics, trace: Trace): void {
    const seen = new Set<string>();
    for (const e of trace.events) {
      if (e.type !== 'flight') continue;
      const key = e.from < e.to ? `${e.from}|${e.to}` : `${e.to}|${e.from}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const a = this.layout.nodes.get(e.from);
      const b = this.layout.nodes.get(e.to);
      if (!a || !b) continue;
      const ca = centre(a);
      const cb = centre(b);
      g.moveTo(ca.x, ca.y).lineTo(cb.x, cb.y);
    }
    g.stroke({ width: 1, color: COLOURS.link, alpha: 0.8 });
  }

  /** Shows component states and counters, when they changed. */
  update(components: readonly ComponentState[], stateVersion: number, counters: readonly ServiceCounters[]): void {
    if (stateVersion !== this.lastStateVersion) {
      this.lastStateVersion = stateVersion;
      const byPod = new Map<string, { workload?: string; cert?: string; config?: string; conns: number }>();
      for (const c of components) {
        const pod = this.podOfNode.get(c.node);
        if (!pod) continue;
        const s = byPod.get(pod) ?? { conns: 0 };
        byPod.set(pod, s);
        if (c.machine === 'workload') s.workload = c.state;
        else if (c.machine === 'certificate') s.cert = c.state;
        else if (c.machine === 'proxyConfig') s.config = c.state;
        else if (c.machine === 'tlsConnection' && c.state === 'established') s.conns++;
      }
      for (const [pod, entry] of this.podStates) {
        const s = byPod.get(pod);
        const parts = s
          ? [s.workload ?? '', s.cert ? `cert ${s.cert.replace('issued.', '')}` : '', s.conns ? `${s.conns} conn${s.conns > 1 ? 's' : ''} open` : '']
          : ['not started'];
        entry.text.text = parts.filter(Boolean).join(' · ');
        this.drawCard(entry.card, entry.box, s?.workload === 'crashed');
      }
    }
    if (!sameCounters(counters, this.lastCounters)) {
      this.lastCounters = counters;
      for (const c of counters) {
        const t = this.serviceCounters.get(c.service);
        if (t && !this.uncounted.has(c.service)) t.text = c.ok + c.failed ? `callers saw ✓ ${c.ok} ok · ✕ ${c.failed} failed` : 'no request finished yet';
      }
    }
  }
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
