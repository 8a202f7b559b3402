/**
 * Where runs of one scenario part ways (compare mode, or a what-if branch against the run it
 * came from). Every run is compared with a reference run (the first pane). Requests are matched
 * by id — the same traffic makes the same requests in the same order under every mesh — and a
 * request *diverges* when it gets a notable decision (a retry, a timeout, an overflow, a deny, an
 * ejection...) in one run and not in the other, or when it ends differently. Decisions that
 * belong to no request (an endpoint ejected, a handshake failing) are matched by kind and node.
 * Each difference is one marker at the event that shows it.
 */
import { DECISION_KIND_LIST, DECISION_KINDS, type DecisionEvent, type DecisionKind, type RequestEndEvent, type Trace } from '../sim/index.ts';
import { paneNames } from './meshes.ts';

/** Decision kinds that are behaviour a learner compares (not routine: route, endpoint, mtls): `notable` in the decision table. */
export const NOTABLE_DECISIONS: ReadonlySet<DecisionKind> = new Set(DECISION_KIND_LIST.filter((k) => 'notable' in DECISION_KINDS[k]));

/** One difference between the reference run (pane 0) and another, at the event (in `pane`'s trace) that shows it. */
export interface Divergence {
  /** Simulated time of that event. */
  timeMs: number;
  /** Which run shows it (0: the reference, else `versus`) and the event's `seq` there. */
  pane: number;
  seq: number;
  /** The pane that differs from the reference (1 or more). */
  versus: number;
  /** `decision`: one run decided something the other did not; `outcome`: the request ended differently. */
  kind: 'decision' | 'outcome';
  requestId?: string;
  /** The difference in words. */
  text: string;
}

interface RequestRun {
  end?: RequestEndEvent;
  decisions: DecisionEvent[];
}

function byRequest(trace: Trace): { requests: Map<string, RequestRun>; loose: DecisionEvent[] } {
  const requests = new Map<string, RequestRun>();
  const loose: DecisionEvent[] = [];
  const of = (id: string): RequestRun => {
    let r = requests.get(id);
    if (!r) requests.set(id, (r = { decisions: [] }));
    return r;
  };
  for (const e of trace.events) {
    if (e.type === 'request') {
      const r = of(e.requestId);
      if (e.phase === 'end') r.end = e;
    } else if (e.type === 'decision' && NOTABLE_DECISIONS.has(e.kind)) {
      if (e.requestId) of(e.requestId).decisions.push(e);
      else loose.push(e);
    }
  }
  return { requests, loose };
}

const outcomeOf = (e: RequestEndEvent | undefined): string => {
  if (!e) return 'had not ended by the end of the run';
  return e.status === 0 ? `failed (${e.reason ?? 'no response'})` : `ended ${e.status}${e.reason ? ` (${e.reason})` : ''}`;
};

const sameOutcome = (a: RequestEndEvent | undefined, b: RequestEndEvent | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.status === b.status && a.attempts === b.attempts;

/** Decisions of `mine` beyond those of the same kind in `theirs` (the n-th retry matches the n-th retry). */
function excess(mine: readonly DecisionEvent[], theirs: readonly DecisionEvent[], key: (d: DecisionEvent) => string): DecisionEvent[] {
  const count = new Map<string, number>();
  for (const d of theirs) count.set(key(d), (count.get(key(d)) ?? 0) + 1);
  const out: DecisionEvent[] = [];
  for (const d of mine) {
    const left = count.get(key(d)) ?? 0;
    if (left > 0) count.set(key(d), left - 1);
    else out.push(d);
  }
  return out;
}

/**
 * Every difference between the reference run (`traces[0]`) and each other run, earliest first.
 * `names` label the runs in the text (by default each pane's name: the mesh's, numbered when a
 * mesh is there twice).
 */
export function divergences(traces: readonly Trace[], names: readonly string[] = paneNames(traces.map((t) => t.mesh))): Divergence[] {
  const runs = traces.map(byRequest);
  const out: Divergence[] = [];
  for (let versus = 1; versus < runs.length; versus++) out.push(...pairDivergences(runs[0]!, runs[versus]!, versus, [names[0]!, names[versus]!]));
  out.sort((x, y) => x.timeMs - y.timeMs || x.versus - y.versus || x.pane - y.pane || x.seq - y.seq);
  return out;
}

/** The differences between the reference (pane 0) and pane `versus`. */
function pairDivergences(ref: ReturnType<typeof byRequest>, run: ReturnType<typeof byRequest>, versus: number, names: [string, string]): Divergence[] {
  const pair = [ref, run] as const;
  const paneOf = (side: 0 | 1): number => (side === 0 ? 0 : versus);
  const out: Divergence[] = [];
  const ids = new Set([...ref.requests.keys(), ...run.requests.keys()]);
  for (const id of ids) {
    const r = [ref.requests.get(id) ?? { decisions: [] }, run.requests.get(id) ?? { decisions: [] }] as const;
    let marked = false;
    for (const side of [0, 1] as const) {
      const other = side === 0 ? 1 : 0;
      for (const d of excess(r[side].decisions, r[other].decisions, (x) => x.kind)) {
        marked = true;
        out.push({
          timeMs: d.t,
          pane: paneOf(side),
          seq: d.seq,
          versus,
          kind: 'decision',
          requestId: id,
          text: `${id}: ${names[side]} — ${d.summary}; ${names[other]} made no such ${d.kind} decision (it ${outcomeOf(r[other].end)})`,
        });
      }
    }
    if (marked || sameOutcome(r[0].end, r[1].end)) continue;
    // Only the ending differs: mark it where it happened first.
    const [e0, e1] = [r[0].end, r[1].end];
    const side = e0 && (!e1 || e0.t <= e1.t) ? 0 : 1;
    const end = (side === 0 ? e0 : e1)!;
    out.push({
      timeMs: end.t,
      pane: paneOf(side),
      seq: end.seq,
      versus,
      kind: 'outcome',
      requestId: id,
      text: `${id}: ${names[0]} ${outcomeOf(e0)} after ${e0?.attempts ?? 0} attempt(s); ${names[1]} ${outcomeOf(e1)} after ${e1?.attempts ?? 0} attempt(s)`,
    });
  }
  const where = (d: DecisionEvent): string => `${d.kind}@${d.node}`;
  for (const side of [0, 1] as const) {
    const other = side === 0 ? 1 : 0;
    for (const d of excess(pair[side].loose, pair[other].loose, where)) {
      out.push({
        timeMs: d.t,
        pane: paneOf(side),
        seq: d.seq,
        versus,
        kind: 'decision',
        text: `${names[side]} — ${d.summary}; ${names[other]} made no such ${d.kind} decision there`,
      });
    }
  }
  return out;
}

/** A run's figures, side by side with another's. */
export interface RunSummary {
  mesh: string;
  requests: number;
  ok: number;
  failed: number;
  /** Attempts the calling sidecars sent, first tries included. */
  attempts: number;
  retries: number;
  p50Ms: number;
  p99Ms: number;
  ejections: number;
  handshakesOk: number;
  handshakesFailed: number;
  /**
   * The data plane's size and estimated use, from the report's `footprint` (FIDELITY-MORE H10,
   * L6): proxies per kind (`12 Envoy sidecar`), and vCPU / MB summed over the kinds with a
   * published figure; null when the report has none.
   */
  footprint: {
    proxies: number;
    kinds: string;
    vCpu: number;
    memoryMb: number;
    /** Each kind's source, and what was assumed (`ztunnel: FIDELITY-MORE H10 … (assumed: …)`). */
    sources: string[];
    /** Kinds counted without a figure. */
    unestimated: string[];
  } | null;
}

/** The part of a run report's `footprint` compare mode reads. */
interface FootprintLike {
  proxies: readonly { name: string; count: number; source: string; assumption?: string; perProxy: unknown }[];
  total: { proxies: number; vCpu: number; memoryMb: number };
}

/** The figures compare mode shows from a run report. */
export function summaryOf(report: {
  mesh: string;
  requests: readonly { attempts: number }[];
  summary: { total: number; ok: number; failed: number; retries: number; latencyMs: { p50: number; p99: number } };
  ejections: readonly unknown[];
  handshakes: readonly { ok: boolean }[];
  footprint?: FootprintLike;
}): RunSummary {
  const fp = report.footprint;
  return {
    mesh: report.mesh,
    requests: report.summary.total,
    ok: report.summary.ok,
    failed: report.summary.failed,
    attempts: report.requests.reduce((n, r) => n + r.attempts, 0),
    retries: report.summary.retries,
    p50Ms: report.summary.latencyMs.p50,
    p99Ms: report.summary.latencyMs.p99,
    ejections: report.ejections.length,
    handshakesOk: report.handshakes.filter((h) => h.ok).length,
    handshakesFailed: report.handshakes.filter((h) => !h.ok).length,
    footprint: fp
      ? {
          proxies: fp.total.proxies,
          kinds: fp.proxies.map((p) => `${p.count} ${p.name}${p.perProxy === null ? ' (no figure)' : ''}`).join(' + ') || 'none',
          vCpu: fp.total.vCpu,
          memoryMb: fp.total.memoryMb,
          sources: fp.proxies.map((p) => `${p.name}: ${p.source}${p.assumption ? ` (assumed: ${p.assumption})` : ''}`),
          unestimated: fp.proxies.filter((p) => p.perProxy === null).map((p) => p.name),
        }
      : null,
  };
}
