/**
 * The picture in words: what each box, link and packet shows, for the keyboard's focus ring (read
 * out as it moves) and for a text view of the whole scene (what a screen reader reads instead of
 * the canvas). Read from the same view the picture is drawn from.
 */
import { mtlsEstablished, statePhrase, type ComponentState, type EdgeView, type NodeId, type PacketView, type View } from '../player/index.ts';
import type { Layout, NodeBox } from './layout.ts';

const ROLE_WORDS: Record<NodeBox['role'], string> = {
  app: 'app',
  sidecar: 'sidecar proxy',
  'node-proxy': 'node proxy',
  waypoint: 'waypoint proxy',
  gateway: 'gateway',
  'control-plane': 'control plane',
  external: 'host outside the cluster',
  client: 'client outside the cluster',
};

/** A box's name: `reviews-2 sidecar proxy`, `istiod (control plane)`. */
export function boxName(b: NodeBox): string {
  if (b.role === 'app' || b.role === 'sidecar') return `${b.node.pod ?? b.node.label} ${ROLE_WORDS[b.role]}`;
  return `${b.node.label} (${ROLE_WORDS[b.role]})`;
}

function nodeName(layout: Layout, id: NodeId): string {
  const b = layout.nodes.get(id);
  return b ? boxName(b) : id;
}

/** The states of the components drawn on a node (its pod's workload, certificate and config for an app or sidecar). */
function statesOf(layout: Layout, view: View, id: NodeId): string[] {
  const b = layout.nodes.get(id);
  const pod = b?.node.pod;
  const out: string[] = [];
  for (const c of view.components) {
    const mine = pod ? c.entity === pod || c.entity === `cert:${pod}` || c.entity === `config:${pod}` : c.node === id && !c.peer;
    if (!mine) continue;
    const p = statePhrase(c.machine, c.state, c.previous);
    out.push(c.machine === 'proxyConfig' && c.version !== undefined ? `config v${c.version}: ${p.long}` : p.long);
  }
  if (b?.role === 'control-plane') out.push(view.controlPlane.down ? 'stopped' : 'running');
  return out;
}

/** A node in words, with the states drawn on it. */
export function describeNode(layout: Layout, view: View, id: NodeId): string {
  const states = statesOf(layout, view, id);
  return `${nodeName(layout, id)}${states.length ? `: ${states.join(', ')}` : ''}`;
}

/** A link in words: its traffic now, the endpoint's health as its caller sees it, mTLS. */
export function describeEdge(layout: Layout, view: View, from: NodeId, to: NodeId): string {
  const e: EdgeView | undefined = view.edges.find((x) => x.from === from && x.to === to);
  const parts: string[] = [];
  if (e) {
    parts.push(`${Math.round(e.rate * 10) / 10} requests a second`);
    if (e.share !== null) parts.push(`${Math.round(e.share * 100)}% of the caller's requests`);
    if (e.responses) parts.push(`${Math.round(e.errorShare * 100)}% errors`);
  }
  const between = (c: ComponentState): boolean => c.node === from && c.peer === to;
  const health = view.components.find((c) => c.machine === 'endpointHealth' && between(c));
  if (health) parts.push(`endpoint ${statePhrase('endpointHealth', health.state).long}`);
  if (view.components.some((c) => mtlsOpen(c) && between(c))) parts.push('mTLS connection open');
  return `link from ${nodeName(layout, from)} to ${nodeName(layout, to)}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/**
 * Whether `c` is a connection open with mTLS: established through the TLS handshake
 * (serverAuthenticated → established). A plaintext connection (a client without a sidecar) goes
 * from its TCP handshake straight to established: open, but no mTLS (FIDELITY A8).
 */
export function mtlsOpen(c: ComponentState): boolean {
  return mtlsEstablished(c.machine, c.state, c.previous);
}

/** A packet in words. */
export function describePacket(layout: Layout, p: PacketView): string {
  const extra = [p.attempt && p.attempt > 1 ? `attempt ${p.attempt}` : '', p.mtls ? 'inside mTLS' : ''].filter(Boolean);
  return `packet ${p.label} from ${nodeName(layout, p.from)} to ${nodeName(layout, p.to)}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** Everything the picture shows, one line each: boxes and their states, links with traffic, packets in flight. */
export function describeScene(layout: Layout, view: View): string[] {
  const lines: string[] = [];
  for (const b of layout.boxes) lines.push(describeNode(layout, view, b.node.id));
  for (const e of view.edges) lines.push(describeEdge(layout, view, e.from, e.to));
  for (const p of view.packets) lines.push(describePacket(layout, p));
  for (const b of view.badges) lines.push(`${nodeName(layout, b.node)}: ${b.text}`);
  return lines;
}
