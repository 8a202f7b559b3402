/**
 * Colours and shapes. The palette is Okabe–Ito (safe for the common colour-vision deficiencies),
 * and every meaning also has a shape or a word: a packet's kind is its shape, an error response
 * carries a cross, an mTLS packet a lock, a badge its word.
 */
import type { BadgeKind, FlightKind, PacketView } from '../player/index.ts';

export const COLOURS = {
  background: 0xf6f5f0,
  cluster: 0xffffff,
  clusterLine: 0x3d3d3d,
  namespace: 0xeaf1f7,
  namespaceLine: 0x9bb3c7,
  service: 0xf7f7f7,
  controlPlane: 0xfff6e0,
  app: 0xdde8f3,
  proxy: 0xe7dff0,
  external: 0xf0f0f0,
  text: 0x1e1e1e,
  muted: 0x5c5c5c,
  link: 0xb9b9b9,
  highlight: 0x0072b2,
  selected: 0xd55e00,
  /** Compare mode: where a pane did what another did not (the Compare panel's ≠ colour). */
  differs: 0xcc79a7,
  crashed: 0xd55e00,
  blue: 0x0072b2,
  green: 0x009e73,
  vermillion: 0xd55e00,
  purple: 0xcc79a7,
  orange: 0xe69f00,
  sky: 0x56b4e9,
  yellow: 0xf0e442,
  grey: 0x8a8a8a,
} as const;

/** The shapes of the packet atlas. */
export type PacketShape = 'circle' | 'square' | 'square-cross' | 'triangle' | 'diamond' | 'hexagon' | 'hexagon-ring' | 'pentagon' | 'star';

/** How each kind of packet looks, and what the legend calls it. */
export const PACKET_LOOKS: Record<FlightKind | 'http-error', { shape: PacketShape; colour: number; glyph: string; name: string }> = {
  'http-request': { shape: 'circle', colour: COLOURS.blue, glyph: '●', name: 'HTTP request' },
  'http-response': { shape: 'square', colour: COLOURS.green, glyph: '■', name: 'HTTP response' },
  'http-error': { shape: 'square-cross', colour: COLOURS.vermillion, glyph: '⊠', name: 'error response (4xx/5xx)' },
  tcp: { shape: 'triangle', colour: COLOURS.grey, glyph: '▲', name: 'TCP (SYN, RST)' },
  tls: { shape: 'diamond', colour: COLOURS.purple, glyph: '◆', name: 'TLS handshake' },
  config: { shape: 'hexagon', colour: COLOURS.orange, glyph: '⬢', name: 'config push' },
  discovery: { shape: 'hexagon-ring', colour: COLOURS.sky, glyph: '⬡', name: 'discovery' },
  csr: { shape: 'pentagon', colour: COLOURS.yellow, glyph: '⬟', name: 'CSR' },
  certificate: { shape: 'star', colour: COLOURS.yellow, glyph: '★', name: 'certificate' },
  grpc: { shape: 'hexagon', colour: COLOURS.blue, glyph: '⬢', name: 'connection request (gRPC)' },
  ip: { shape: 'triangle', colour: COLOURS.green, glyph: '▲', name: 'IP packet (ping)' },
};

/** The look of a packet: an HTTP response with status ≥ 400 (or none) is an error. */
export function lookOf(p: Pick<PacketView, 'kind' | 'status'>): (typeof PACKET_LOOKS)[keyof typeof PACKET_LOOKS] {
  if (p.kind === 'http-response' && (p.status === undefined || p.status === 0 || p.status >= 400)) return PACKET_LOOKS['http-error'];
  return PACKET_LOOKS[p.kind];
}

/** Badge colours and leading symbols; the word says the rest. */
export const BADGE_LOOKS: Record<BadgeKind, { colour: number; symbol: string }> = {
  retry: { colour: COLOURS.orange, symbol: '↻' },
  timeout: { colour: COLOURS.purple, symbol: '◷' },
  error: { colour: COLOURS.vermillion, symbol: '✕' },
  denied: { colour: COLOURS.vermillion, symbol: '⊘' },
  ejected: { colour: COLOURS.grey, symbol: '⏏' },
  overflow: { colour: COLOURS.orange, symbol: '⇶' },
  fault: { colour: COLOURS.grey, symbol: '⚡' },
  'gave-up': { colour: COLOURS.vermillion, symbol: '✕' },
};
