/**
 * Checkpoint answers, measured in the run (never typed into the scenario file): the figure the
 * question is about, counted between the checkpoint's time and its `until` (or the end), with the
 * evidence a learner can check — the first event that counted.
 */
import { formatDuration, serviceOfHost, type CheckpointSpec } from '../scenario/index.ts';
import { ROW_DECISION, ROW_FLIGHT, ROW_REQUEST_END, ROW_REQUEST_START, TraceStore, storeOfEvents, type Trace, type TraceEvent } from '../sim/index.ts';
import type { RunReport } from './report.ts';

export interface CheckpointAnswer {
  at: number;
  question: string;
  measure: CheckpointSpec['measure'];
  value: number;
  /** `yes` / `no` for yes-no questions, else the number. */
  answer: string;
  /** Why, in words, with the first event that counted. */
  explanation: string;
  /** Sequence number of that first event in the trace, for "show me". */
  evidenceSeq?: number;
}

const WORDS: Record<CheckpointSpec['measure'], string> = {
  'client-errors': 'requests the calling apps saw fail',
  retries: 'retries',
  'failed-handshakes': 'failed TLS handshakes',
  'mtls-requests': 'requests that travelled inside mTLS',
  'plaintext-requests': 'requests that travelled in plaintext',
  ejections: 'endpoints taken out of load balancing',
  'denied-requests': 'requests denied by policy',
  timeouts: 'timeouts that fired',
  overflows: 'requests refused by the connection pool',
  'certificates-issued': 'certificates issued',
  'requests-received': 'requests that reached the app (retries included)',
  proxies: 'proxies in the data plane',
  'proxy-memory-mb': 'MB of proxy memory, estimated',
};

/** Measures read from the run report's footprint (FIDELITY-MORE H10, L6) rather than counted between the checkpoint's at and until. */
const FOOTPRINT_MEASURES: ReadonlySet<CheckpointSpec['measure']> = new Set(['proxies', 'proxy-memory-mb']);

/** A footprint checkpoint's answer: the whole run's figure, with the proxies and sources behind it. */
function footprintAnswer(c: CheckpointSpec, report: RunReport): CheckpointAnswer {
  const fp = report.footprint;
  const value = c.measure === 'proxies' ? fp.total.proxies : fp.total.memoryMb;
  const rows = fp.proxies.map((p) => `${p.count} ${p.name}${p.memoryMb === null ? ' (no published figure)' : ` × ${p.perProxy!.memoryMb} MB`}`);
  const sources = [...new Set(fp.proxies.map((p) => p.source))].join('; ');
  return {
    at: c.at,
    question: c.question,
    measure: c.measure,
    value,
    answer: c.answer === 'number' ? String(value) : (c.yesWhen === 'none' ? value === 0 : value > 0) ? 'yes' : 'no',
    explanation: `${value} ${WORDS[c.measure]} in this run: ${rows.join(', ') || 'none'}. Figures: ${sources || 'none'}.`,
  };
}

const SINGULAR: Record<string, string> = {
  requests: 'request',
  retries: 'retry',
  handshakes: 'handshake',
  endpoints: 'endpoint',
  timeouts: 'timeout',
  certificates: 'certificate',
};

/** `1 request that …`, `1 retry`, `1 failed TLS handshake`: the phrase's first plural noun made singular. */
const singular = (phrase: string): string => phrase.replace(/\b(requests|retries|handshakes|endpoints|timeouts|certificates)\b/, (w) => SINGULAR[w]!);

const clock = (ms: number): string => (ms === 0 ? '0s' : formatDuration(ms));

interface RequestInfo {
  /** The host as the caller named it: `reviews`, `reviews.default.svc.cluster.local`, `api.example.com`. */
  to: string;
  /** The cluster service that host names, if it names one. */
  service: string | undefined;
  from: string;
}

/** Whether request `requestId` is one checkpoint `c` counts (its service and caller, when it names them). */
function forService(c: CheckpointSpec, requests: Map<string, RequestInfo>, requestId?: string): boolean {
  if (!c.service && !c.from) return true;
  const r = requestId === undefined ? undefined : requests.get(requestId);
  if (!r) return false;
  return (!c.service || r.to === c.service || r.service === c.service) && (!c.from || r.from === c.from || r.from.startsWith(`${c.from}-`));
}

function counts(c: CheckpointSpec, e: TraceEvent, requests: Map<string, RequestInfo>, appService: Map<string, string>, appPod: Map<string, string>): boolean {
  switch (c.measure) {
    case 'client-errors':
      return e.type === 'request' && e.phase === 'end' && (e.status === 0 || e.status >= 400) && forService(c, requests, e.requestId);
    case 'mtls-requests':
    case 'plaintext-requests':
      return e.type === 'request' && e.phase === 'end' && e.mtls === (c.measure === 'mtls-requests') && forService(c, requests, e.requestId);
    case 'retries':
      return e.type === 'decision' && e.kind === 'retry' && forService(c, requests, e.requestId);
    case 'failed-handshakes':
      return e.type === 'decision' && e.kind === 'handshake-failed';
    case 'ejections':
      return e.type === 'decision' && e.kind === 'ejection';
    case 'denied-requests':
      return e.type === 'decision' && e.kind === 'deny' && forService(c, requests, e.requestId);
    case 'timeouts':
      return e.type === 'decision' && e.kind === 'timeout' && forService(c, requests, e.requestId);
    case 'overflows':
      return e.type === 'decision' && e.kind === 'overflow' && forService(c, requests, e.requestId);
    case 'certificates-issued':
      return e.type === 'decision' && e.kind === 'certificate-signed';
    case 'proxies':
    case 'proxy-memory-mb':
      return false; // read from the report (footprintAnswer)
    case 'requests-received': {
      // Every attempt that reaches an app counts, so retries show as load on the service.
      if (e.type !== 'flight' || e.kind !== 'http-request') return false;
      const service = appService.get(e.to);
      return (
        service !== undefined &&
        (!c.service || service === c.service) &&
        (!c.pod || appPod.get(e.to) === c.pod) &&
        (!c.from || forService(c, requests, e.requestId))
      );
    }
  }
}

/**
 * The rows a measure can count, by their columns: the event type and, for a decision or a flight,
 * its kind. {@link counts} decides on these rows only (a view is made for them, not for every row).
 */
const ROWS: Record<CheckpointSpec['measure'], readonly [type: number, kind?: string] | null> = {
  'client-errors': [ROW_REQUEST_END],
  'mtls-requests': [ROW_REQUEST_END],
  'plaintext-requests': [ROW_REQUEST_END],
  retries: [ROW_DECISION, 'retry'],
  'failed-handshakes': [ROW_DECISION, 'handshake-failed'],
  ejections: [ROW_DECISION, 'ejection'],
  'denied-requests': [ROW_DECISION, 'deny'],
  timeouts: [ROW_DECISION, 'timeout'],
  overflows: [ROW_DECISION, 'overflow'],
  'certificates-issued': [ROW_DECISION, 'certificate-signed'],
  'requests-received': [ROW_FLIGHT, 'http-request'],
  proxies: null,
  'proxy-memory-mb': null,
};

export function answerCheckpoints(checkpoints: readonly CheckpointSpec[], trace: Trace, report: RunReport): CheckpointAnswer[] {
  if (checkpoints.length === 0) return [];
  const events = trace.events;
  const store = storeOfEvents(events) ?? TraceStore.of(events);
  const strings = store.strings;
  const n = store.length;
  const requests = new Map<string, RequestInfo>();
  for (let i = 0; i < n; i++) {
    if (store.type[i] !== ROW_REQUEST_START) continue;
    const to = strings[store.b[i]!]!;
    requests.set(store.requestIdAt(i)!, { to, service: serviceOfHost(to, trace.topology.services), from: strings[store.a[i]!]! });
  }
  const appService = new Map(trace.topology.nodes.filter((n) => n.kind === 'app' && n.service).map((n) => [n.id, n.service!]));
  const appPod = new Map(trace.topology.nodes.filter((n) => n.kind === 'app' && n.pod).map((n) => [n.id, n.pod!]));
  return checkpoints.map((c) => {
    if (FOOTPRINT_MEASURES.has(c.measure)) return footprintAnswer(c, report);
    const until = c.until ?? trace.durationMs;
    const rows = ROWS[c.measure];
    let value = 0;
    let first: TraceEvent | undefined;
    for (let i = 0; rows && i < n; i++) {
      const t = store.t[i]!;
      if (t < c.at || t > until || store.type[i] !== rows[0] || (rows[1] !== undefined && strings[store.c[i]!] !== rows[1])) continue;
      if (c.measure === 'requests-received') {
        // As counts() says for a request reaching an app, read from the flight's columns (there are many).
        const to = strings[store.a[i]!]!;
        const service = appService.get(to);
        if (service === undefined || (c.service && service !== c.service) || (c.pod && appPod.get(to) !== c.pod)) continue;
        if (c.from && !forService(c, requests, store.requestIdAt(i))) continue;
      } else if (!counts(c, events[i]!, requests, appService, appPod)) continue;
      value++;
      first ??= events[i]!;
    }
    const span = `between ${clock(c.at)} and ${clock(until)}`;
    const what = `${value === 1 ? singular(WORDS[c.measure]) : WORDS[c.measure]}${c.from ? ` from ${c.from}` : ''}${c.service ? ` to ${c.service}` : ''}${c.pod ? ` at ${c.pod}` : ''}`;
    const yes = c.yesWhen === 'none' ? value === 0 : value > 0;
    const answer = c.answer === 'number' ? String(value) : yes ? 'yes' : 'no';
    const evidence = first ? ` The first: ${describeEvent(first)}.` : '';
    return {
      at: c.at,
      question: c.question,
      measure: c.measure,
      value,
      answer,
      explanation: `${value === 0 ? 'No' : value} ${what} ${span}.${evidence}`,
      ...(first ? { evidenceSeq: first.seq } : {}),
    };
  });
}

function describeEvent(e: TraceEvent): string {
  if (e.type === 'request')
    return e.phase === 'end' ? `${e.requestId} ended ${e.status}${e.reason ? ` (${e.reason})` : ''} at ${clock(e.t)}` : `${e.requestId} at ${clock(e.t)}`;
  if (e.type === 'decision') return `at ${clock(e.t)}, ${e.summary}`;
  return `at ${clock(e.t)}`;
}
