/**
 * What a link's tag says (edgeLayer.ts places it): the rate, the share of the caller's requests,
 * the error share, "plaintext" on a connection without TLS, an endpoint's state in the caller's
 * view — and the padlock drawn on a link that carries mTLS.
 */
import type { Graphics } from 'pixi.js';
import { statePhrase, type ComponentState, type EdgeView } from '../player/index.ts';
import { COLOURS } from './palette.ts';
import type { Box } from './geometry.ts';

const HEALTH_SYMBOL: Record<string, string> = { ejected: '⏏', unavailable: '◔', probation: '◐' };

/** A line of a tag. */
export interface Line {
  text: string;
  colour: number;
  bold?: boolean;
  /** The link's error share: a tag with one is never left out. */
  error?: boolean;
}

/** The word on a link whose connection is open without TLS (the mTLS links carry a lock instead). */
export const PLAINTEXT_LINE: Line = { text: 'plaintext', colour: 0x7a4f00, bold: true };

/** Whether `c` is a connection open without TLS: from its TCP handshake straight to established (FIDELITY A8). */
export function plaintextOpen(c: ComponentState): boolean {
  return c.machine === 'tlsConnection' && c.state === 'established' && c.previous === 'tcpHandshake';
}

/** How far apart a caller's shares lie where the split itself is worth reading rather than an even spread. */
const WEIGHTED = 0.05;

/**
 * Callers whose requests split unevenly over their links: a route's weights (canary-split's 90/10,
 * 45% · 45% · 10% over the pods) or a balancer favouring some pods (load-balancing-slow-pod under
 * Linkerd at 2 s: 55% · 45%, reviews-2 none), the lesson's figures, as against an even spread
 * (strict-vs-permissive's 50% · 50%). At 20 points apart Linkerd's "11/s · 55%" was left out there.
 */
export function weightedCallers(edges: readonly EdgeView[], sole: ReadonlySet<string> = new Set()): Set<string> {
  const shares = new Map<string, number[]>();
  for (const e of edges) if (e.requests > 0 && e.share !== null) (shares.get(e.from) ?? shares.set(e.from, []).get(e.from)!).push(e.share);
  const out = new Set([...shares].filter(([, s]) => Math.max(...s) - Math.min(...s) >= WEIGHTED).map(([from]) => from));
  for (const e of edges) if (sole.has(`${e.from}>${e.to}`)) out.add(e.from);
  return out;
}

/**
 * Callers whose requests split over several links (each tag then reads its share), even or not,
 * each link carrying {@link SOLE_MIN} requests or more in the window: a balancer's spread, not
 * chance (authorization in compare at 2.5 s: productpage's two requests on each of two pods). Where
 * some of such a caller's tags show, one left out shows too (edgeLayer.ts): the halves of an even
 * split are read side by side as much as an uneven split's (locality-failover in compare at 4 s:
 * Linkerd's pane read backend-1's "10/s · 50%" and no tag on backend-0's link, whose spot lay under
 * the step's ring, against Istio's "20/s · 100%"; OSM's round robin in outlier-vs-failure-accrual
 * read 35% and 30% of three, reviews-0's 35% left out).
 */
export function splitCallers(edges: readonly EdgeView[]): Set<string> {
  const links = new Map<string, number>();
  for (const e of edges)
    if (e.requests > 0 && e.share !== null && e.share < 0.995) links.set(e.from, (links.get(e.from) ?? 0) + (e.requests >= SOLE_MIN ? 1 : -Infinity));
  return new Set([...links].filter(([, n]) => n > 1).map(([from]) => from));
}

/**
 * The links (`from>to`) that carry all of their caller's requests to a service of several pods:
 * the others idle, the most uneven split there is (locality-failover under Istio: frontend's
 * sidecar keeps everything on backend-0 in its zone while backend-1 waits — the lesson, which
 * compare mode's picture showed only as a missing tag). `podsOf(to)`: how many pods the
 * endpoint's service has (0 if `to` is no pod's).
 */
export function soleLinks(edges: readonly EdgeView[], podsOf: (to: string) => number): Set<string> {
  return new Set(edges.filter((e) => e.requests >= SOLE_MIN && (e.share ?? 1) >= 0.995 && podsOf(e.to) > 1).map((e) => `${e.from}>${e.to}`));
}

/**
 * How many requests in the window make "all on one pod" a split rather than chance: two requests
 * both on one of two pods (authorization in compare at 2.5 s, sleep's 2/s under Linkerd) read
 * "100%" as if a policy kept them there; five land on one of two by chance one time in sixteen.
 */
const SOLE_MIN = 5;

/**
 * The lines of the tag of `links` (one caller's, or several replicas' of one caller, to one
 * endpoint): the rate while requests leave on them, with their share of the callers' requests
 * when those split (and the callers split alike) or all go to one of several pods (`sole`), the error share of the responses
 * back, and "plaintext" where the connection has no TLS. A link idle now (a response still coming
 * back) has no rate to show.
 */
export function tagLines(links: readonly EdgeView[], plain: boolean, sole = false): Line[] {
  const out: Line[] = [];
  if (plain) out.push(PLAINTEXT_LINE);
  const requests = links.reduce((n, e) => n + e.requests, 0);
  if (requests > 0) {
    const rate = links.reduce((n, e) => n + e.rate, 0);
    // The share only when the caller's requests split (all of them on one link says nothing).
    const shares = links.filter((e) => e.requests > 0 && e.share !== null && e.share < 0.995).map((e) => Math.round(e.share! * 100));
    // Callers that split alike (a balancer's even spread, a route's weight): that share; callers
    // that split differently: none (a range would widen the tag past the gap it sits in).
    // All of them on one of several pods (soleLinks): 100%, the others none.
    const share = sole ? ' · 100%' : shares.length && shares.every((x) => x === shares[0]) ? ` · ${shares[0]}%` : '';
    out.push({ text: `${formatRate(rate)}${share}`, colour: COLOURS.text });
  }
  const responses = links.reduce((n, e) => n + e.responses, 0);
  const errors = links.reduce((n, e) => n + Math.round(e.errorShare * e.responses), 0);
  if (responses && errors > 0) out.push({ text: `✕ ${Math.round((errors / responses) * 100)}%`, colour: 0x8f2f00, error: true });
  return out;
}

/**
 * Whether two lists of links read the same: their counts, shares and rates as written. The tag
 * layer redraws for the traffic on this alone (edgeLayer.ts). The rate too: within the first
 * second it is measured over the time there was (player/edges.ts), so it moves while the counts
 * stay — left out, a tag kept the rate of the moment it was drawn at ("1000/s" at 1 ms, still
 * shown at 1.5 s where it reads "1/s"; session 38).
 */
export function sameTraffic(a: readonly EdgeView[], b: readonly EdgeView[]): boolean {
  const same = (x: EdgeView, y: EdgeView): boolean =>
    x.from === y.from &&
    x.to === y.to &&
    x.requests === y.requests &&
    x.responses === y.responses &&
    x.share === y.share &&
    x.errorShare === y.errorShare &&
    formatRate(x.rate) === formatRate(y.rate);
  return a.length === b.length && a.every((x, i) => same(x, b[i]!));
}

export function healthLine(h: ComponentState): Line {
  const p = statePhrase('endpointHealth', h.state);
  return { text: `${HEALTH_SYMBOL[h.state] ?? ''} ${p.short}`.trim(), colour: p.tone === 'warn' ? 0x7a4f00 : 0x8f2f00, bold: true };
}

function formatRate(rate: number): string {
  return rate >= 10 ? `${Math.round(rate)}/s` : `${Math.round(rate * 10) / 10}/s`;
}

/** A small padlock: the link carries mTLS. Returns where it is. */
export function drawLock(g: Graphics, x: number, y: number): Box {
  g.roundRect(x - 6, y - 7, 12, 14, 3).fill({ color: 0xffffff, alpha: 0.9 });
  g.moveTo(x - 3, y - 1)
    .arc(x, y - 1, 3, Math.PI, 0)
    .stroke({ width: 1.6, color: COLOURS.text });
  g.rect(x - 4, y - 1, 8, 6).fill(COLOURS.text);
  return { x: x - 6, y: y - 7, w: 12, h: 14 };
}
