/**
 * A trace's badges for replay (badges.ts says which events raise one): each where and when it is
 * drawn, in show order. A 5xx is badged once per attempt where it starts; an ejection goes on the
 * endpoint taken out; at a node proxy (a ztunnel) a badge names the pod the request was for.
 */
import { DECISION_KINDS, DECISION_KIND_LIST, type NodeId, type Trace, type TraceStore, type TransitionEvent } from '../sim/index.ts';
import { COL_DECISION, COL_FLIGHT, COL_NONE, COL_REQUEST_END, COL_TRANSITION, present, storeOf, stringId } from './columns.ts';
import { badgeAt, badgeTarget, type BadgeKind } from './badges.ts';
import type { ShowTimes } from './showTime.ts';

/** A decision or failed response drawn as a badge for a moment. */
export interface BadgeEvent {
  node: NodeId;
  kind: BadgeKind;
  text: string;
  seq: number;
  showMs: number;
  /** At a node proxy (a ztunnel): the pod the request was for. */
  pod?: string;
}

/**
 * Endpoints a caller took out of load balancing, by `caller@time`: the endpoint health machine's
 * move to ejected (outlier detection) or unavailable (failure accrual) names the endpoint as its peer.
 */
function endpointsTakenOut(trace: Trace, s: TraceStore): Map<string, NodeId> {
  const out = new Map<string, NodeId>();
  const machine = stringId(s, 'endpointHealth');
  if (machine < 0) return out;
  for (let i = 0; i < s.length; i++) {
    if (s.type[i] !== COL_TRANSITION || s.c[i] !== machine || present(s, s.b[i]!) === COL_NONE) continue;
    const e = trace.events[i] as TransitionEvent;
    if (e.to === 'ejected' || e.to === 'unavailable') out.set(`${e.node}@${e.t}`, e.peer!);
  }
  return out;
}

/** Whether event `i` may raise a badge (badges.ts), read from the columns: most events cannot. */
function mayBadge(s: TraceStore, i: number, httpResponse: number, badgeKinds: Uint8Array): boolean {
  switch (s.type[i]) {
    case COL_FLIGHT:
      return s.c[i] === httpResponse && s.e[i]! >= 500;
    case COL_REQUEST_END:
      return s.e[i] === 0 || s.e[i]! >= 500;
    case COL_DECISION:
      return badgeKinds[s.c[i]!] === 1;
    default:
      return false;
  }
}

/** The badges of `trace`, placed at `eventShow` (show time by `seq`), in (show, seq) order. */
export function badgesOf(trace: Trace, eventShow: ShowTimes): BadgeEvent[] {
  const store = storeOf(trace.events);
  const badges: BadgeEvent[] = [];
  const errorsBadged = new Set<string>();
  const outOfBalancing = endpointsTakenOut(trace, store);
  // A node proxy (ztunnel) serves every pod on its node: its badges name the pod they were for.
  const nodeProxies = new Set((trace.topology.proxies ?? []).filter((p) => p.kind === 'node').map((p) => p.id));
  const podByIp = new Map(trace.topology.pods.flatMap((p) => (p.ip ? [[p.ip, p.name] as const] : [])));
  const httpResponse = stringId(store, 'http-response');
  const badgeKinds = new Uint8Array(store.strings.length);
  for (const kind of DECISION_KIND_LIST) if ('badge' in DECISION_KINDS[kind] && stringId(store, kind) >= 0) badgeKinds[stringId(store, kind)] = 1;
  for (let seq = 0; seq < store.length; seq++) {
    if (!mayBadge(store, seq, httpResponse, badgeKinds)) continue;
    const badge = badgeAt(store, seq);
    if (!badge) continue;
    const type = store.type[seq];
    // A 5xx travels back hop by hop: badge it where it starts, once per attempt.
    const request = type === COL_FLIGHT ? store.requestIdAt(seq) : undefined;
    const once = request ? `${request}#${store.f[seq] === COL_NONE ? 1 : store.f[seq]}` : null;
    if (once && errorsBadged.has(once)) continue;
    if (once) errorsBadged.add(once);
    // A caller ejects an endpoint: the badge goes on the endpoint, where the learner looks for it.
    if (badge.kind === 'ejected' && type === COL_DECISION) badge.node = outOfBalancing.get(`${badge.node}@${store.t[seq]}`) ?? badge.node;
    const shown: BadgeEvent = { node: badge.node, kind: badge.kind, text: badge.text, seq, showMs: eventShow[seq]! };
    const pod = nodeProxies.has(badge.node) ? badgeTarget(store, seq, podByIp) : undefined;
    if (pod) shown.pod = pod;
    badges.push(shown);
  }
  return badges.sort((a, b) => a.showMs - b.showMs || a.seq - b.seq);
}
