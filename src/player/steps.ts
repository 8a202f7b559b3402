/**
 * Steps: the events a learner counts when stepping through a run — each flight, decision, state
 * change, finished request and narration line — each with a sentence that reads it aloud.
 * Internal events (a machine starting, a request's start, which its first hop shows) are not steps.
 */
import { lazyList, release, type DecisionKind, type Trace, type TraceEvent, type TraceStore, type NodeId } from '../sim/index.ts';
import { COL_DECISION, COL_NONE, COL_REQUEST_START, COL_TRANSITION, requestOf, storeOf } from './columns.ts';
import type { ShowMap } from './pace.ts';
import type { ShowTimes } from './showTime.ts';
import type { Fold } from './folds.ts';
import { formatClock } from './format.ts';
import { StepSeqs } from './stepSeqs.ts';
import { statePhrase } from './stateNames.ts';

/** The kinds a step list can be filtered by. */
export type StepKind = 'flight' | 'decision' | 'transition' | 'request' | 'narration';

export const STEP_KINDS: readonly StepKind[] = ['flight', 'decision', 'transition', 'request', 'narration'];

/** One step of a run. */
export interface Step {
  /** Position in the step list. */
  readonly index: number;
  /** The event's `seq` in the trace. */
  readonly seq: number;
  readonly kind: StepKind;
  /** Where the step sits in show time, and its simulated time. */
  readonly showMs: number;
  readonly timeMs: number;
  /** The step as one sentence (written when read). */
  readonly text: string;
  /** Nodes to highlight. */
  readonly nodes: readonly NodeId[];
  /** For a decision: its kind (`retry`, `ejection`, `deny`...), which breakpoints watch for. */
  readonly decision?: DecisionKind;
  /** Which pane's trace the step belongs to (compare mode: 0 is the first pane, the reference). */
  readonly pane?: number;
  /** A run of repeated events shown as this one step (see folds.ts); its events are listed on demand. */
  readonly fold?: Fold;
}

/** Whether an event is a step. */
export function isStep(e: TraceEvent): boolean {
  if (e.type === 'transition') return e.from !== null;
  if (e.type === 'request') return e.phase === 'end';
  return true;
}

/** Reads events as sentences, naming nodes by their labels. */
export class StepWriter {
  private readonly labels = new Map<NodeId, string>();
  /** The trace's events, and the columns behind them (row i is event `seq` i). */
  readonly events: readonly TraceEvent[];
  readonly store: TraceStore;
  /**
   * The target of each request (string id of its start's `to`; -1: none), by request id column:
   * a numbered request (`req-N`) at N, one named otherwise (-(string id) - 2) at its string id
   * past them. Made on first use.
   */
  private targets: Int32Array | undefined;
  private numbered = 0;

  constructor(trace: Trace) {
    for (const n of trace.topology.nodes) this.labels.set(n.id, n.label);
    this.events = trace.events;
    this.store = storeOf(trace.events);
  }

  label(node: NodeId): string {
    return this.labels.get(node) ?? node;
  }

  private targetIds(): Int32Array {
    if (!this.targets) {
      const s = this.store;
      let max = -1;
      for (let i = 0; i < s.length; i++) if (s.type[i] === COL_REQUEST_START && s.req[i]! > max) max = s.req[i]!;
      this.numbered = max + 1;
      this.targets = new Int32Array(this.numbered + s.strings.length).fill(-1);
      for (let i = 0; i < s.length; i++) {
        if (s.type[i] !== COL_REQUEST_START) continue;
        const r = requestOf(s, i);
        if (r !== COL_NONE) this.targets[r >= 0 ? r : this.numbered - r - 2] = s.b[i]!;
      }
    }
    return this.targets;
  }

  /** The service or host the request of event `seq` was sent to. */
  targetAt(seq: number): string | undefined {
    const to = this.targetIdAt(seq);
    return to === -1 ? undefined : this.store.strings[to];
  }

  /** {@link targetAt} as the string's id in the trace's columns (-1: none). */
  targetIdAt(seq: number): number {
    const targets = this.targetIds();
    const r = requestOf(this.store, seq);
    return r === COL_NONE || r >= this.numbered ? -1 : targets[r >= 0 ? r : this.numbered - r - 2]!;
  }

  text(e: TraceEvent): string {
    switch (e.type) {
      case 'flight': {
        const extras = [e.attempt && e.attempt > 1 ? `attempt ${e.attempt}` : '', e.mtls ? 'inside mTLS' : ''].filter(Boolean);
        return `${this.label(e.from)} sends ${e.label} to ${this.label(e.to)}${extras.length ? ` (${extras.join(', ')})` : ''}`;
      }
      case 'decision':
        return `${this.label(e.node)}, ${e.layer}: ${e.summary}`;
      case 'transition':
        return `${e.entity}: ${e.from === null ? 'started' : statePhrase(e.machine, e.from).long} → ${statePhrase(e.machine, e.to, e.from).long}`;
      case 'request': {
        if (e.phase === 'start') return `${e.from} calls ${e.to}: ${e.method} ${e.path}`;
        const target = this.targetAt(e.seq) ?? 'its target';
        const outcome = e.status === 0 ? `no response${e.reason ? ` (${e.reason})` : ''}` : `${e.status}${e.reason ? ` (${e.reason})` : ''}`;
        const attempts = `${e.attempts} attempt${e.attempts === 1 ? '' : 's'}`;
        return `${this.label(e.node)} got ${outcome} from ${target} after ${attempts}, ${round(e.latencyMs)} ms`;
      }
      case 'narration':
        return e.text;
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The nodes an event is about (a flight's two ends, or its node). */
export function nodesOf(e: TraceEvent): NodeId[] {
  if (e.type === 'flight') return [e.from, e.to];
  if ('node' in e && e.node) return [e.node];
  return [];
}

/** Step kinds by the store's `type` column (columns.ts COL_*). */
const KIND_OF_TYPE: readonly StepKind[] = ['flight', 'transition', 'decision', 'request', 'request', 'narration'];

/**
 * A step of one trace: event `seq`, read through the trace's columns when a field is read. Its
 * sentence and nodes are worked out when read: a re-simulation indexes every step, a learner
 * reads a few (the list shows the visible rows). Made when a step list's element is read
 * ({@link buildSteps}): nothing of the event is kept.
 */
export class TraceStep implements Step {
  constructor(
    public index: number,
    readonly showMs: number,
    readonly seq: number,
    private readonly writer: StepWriter,
    /** The run this step stands for, when it is a fold's one step. */
    readonly fold?: Fold,
    /** The pane of an event listed inside an opened fold in compare mode. */
    readonly pane?: number,
  ) {}

  get kind(): StepKind {
    return KIND_OF_TYPE[this.writer.store.type[this.seq]!]!;
  }

  get timeMs(): number {
    return this.writer.store.t[this.seq]!;
  }

  /** For a decision (not a fold's step): its kind. */
  get decision(): DecisionKind | undefined {
    const s = this.writer.store;
    return this.fold || s.type[this.seq] !== COL_DECISION ? undefined : (s.strings[s.c[this.seq]!] as DecisionKind);
  }

  get text(): string {
    // Written each time it is read (a few rows at a time), not kept.
    return this.fold ? foldText(this.fold) : this.writer.text(this.writer.events[this.seq]!);
  }

  get nodes(): readonly NodeId[] {
    return nodesOf(this.writer.events[this.seq]!);
  }
}

/**
 * A step of pane `pane` in compare mode's merged list: the pane's own step under its rank
 * (`rank`), its sentence prefixed with the pane's name. Nothing of the step is copied.
 */
export class PaneStep implements Step {
  constructor(
    readonly index: number,
    readonly seq: number,
    readonly pane: number,
    private readonly step: Step,
    private readonly name: string,
  ) {}

  get kind(): StepKind {
    return this.step.kind;
  }

  get showMs(): number {
    return this.step.showMs;
  }

  get timeMs(): number {
    return this.step.timeMs;
  }

  get text(): string {
    return `${this.name}: ${this.step.text}`;
  }

  get nodes(): readonly NodeId[] {
    return this.step.nodes;
  }

  get decision(): DecisionKind | undefined {
    return this.step.decision;
  }

  get fold(): Fold | undefined {
    return this.step.fold;
  }
}

/** What a folded run's one step says. */
export function foldText(fold: Fold): string {
  return `${fold.text}, ${formatClock(fold.fromMs)} – ${formatClock(fold.toMs)} (folded)`;
}

/** A trace's steps as numbers: per step (in step order) its event's `seq` and its show time. */
export interface StepColumns {
  /** Step i's event's `seq` (compare mode's merged list: its rank). */
  seqAt(i: number): number;
  /** Show time of step i (its event's, read from the show map: not a copy per step). */
  showAt(i: number): number;
  /** Simulated time of step i. */
  timeAt(i: number): number;
}

const columnsOfSteps = new WeakMap<readonly Step[], StepColumns>();

/** The columns behind a step list {@link buildSteps} or compare mode's merge made, else undefined (a test's array). */
export function stepColumns(steps: readonly Step[]): StepColumns | undefined {
  return columnsOfSteps.get(steps);
}

/** Records the columns behind a step list made on read (compare mode's merged list). */
export function setStepColumns(steps: readonly Step[], columns: StepColumns): void {
  columnsOfSteps.set(steps, columns);
}

/**
 * The steps of a trace, ordered by show time (then by `seq`); a folded run is one step. Also each
 * step's `seq` (its show time is its event's). The list is read-only and makes step i when it is read (a
 * {@link TraceStep} over the columns): a long run has millions of steps and a learner reads a
 * screenful, so `steps[i] === steps[i]` is false — compare steps by `index` or `seq`.
 */
export function buildSteps(trace: Trace, show: ShowMap, writer: StepWriter): { steps: Step[]; seqs: StepSeqs } {
  const store = storeOf(trace.events);
  const n = store.length;
  const eventShow = show.eventShow;
  const folds = show.folds;
  /** Calls `step` with each step's seq, in seq order, and its fold (a folded run is one step: its first event). */
  const each = (step: (seq: number, fold: Fold | undefined) => void): void => {
    let f = 0;
    let folded = -1;
    for (let seq = 0; seq < n; seq++) {
      if (!isStepRow(store, seq)) continue;
      while (f < folds.length && folds[f]!.toSeq < seq) f++;
      const fold = folds[f] && folds[f]!.fromSeq <= seq ? folds[f] : undefined;
      if (fold && folded === f) continue;
      if (fold) folded = f;
      step(seq, fold);
    }
  };
  // Counted, then filled: an array per event, cut to the steps, cost the 10-minute run 22 MB more while it was indexed.
  let count = 0;
  each(() => count++);
  const seqs = new Int32Array(count);
  count = 0;
  let sorted = true;
  let last = -Infinity;
  /** Step index → its fold (a fold is one step: its first). */
  const foldAt = new Map<number, Fold>();
  each((seq, fold) => {
    const showMs = eventShow[seq]!;
    // Events come in seq order: the list is already ordered unless show time ever goes back.
    if (showMs < last) sorted = false;
    last = showMs;
    if (fold) foldAt.set(seq, fold);
    seqs[count++] = seq;
  });
  if (!sorted) sortByShow(seqs, eventShow);
  const compact = new StepSeqs(seqs);
  const steps = lazyList<Step>(count, (i) => {
    const seq = compact.at(i);
    return new TraceStep(i, eventShow[seq]!, seq, writer, foldAt.get(seq));
  });
  columnsOfSteps.set(steps, { seqAt: (i) => compact.at(i), showAt: (i) => eventShow[compact.at(i)]!, timeAt: (i) => store.t[compact.at(i)]! });
  return { steps, seqs: compact };
}

/**
 * Sorts `seqs` by show time, then `seq`: a bucket sort, then each bucket in place. Packets placed
 * behind their conversations make most steps of a long run show out of `seq` order (86% of the
 * 20 s load's), and a comparison sort of every step cost ~15% of indexing the 60 s load. About
 * eight steps per bucket: a bucket per step cost the 10-minute run 19 MB more while the page
 * indexed it, and sorting eight in place costs about what filing them apart did.
 */
export function sortByShow(seqs: Int32Array, eventShow: ShowTimes): void {
  const n = seqs.length;
  if (n < 2) return;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const show = eventShow[seqs[i]!]!;
    if (show < min) min = show;
    if (show > max) max = show;
  }
  // Rounding is monotone, so a later show never gets an earlier bucket. A step's bucket is worked
  // out again when it is filed, not kept (an array per step).
  const buckets = Math.max(1, n >> 3);
  const scale = max > min ? (buckets - 1) / (max - min) : 0;
  const bucketOf = (seq: number): number => Math.min(buckets - 1, Math.floor((eventShow[seq]! - min) * scale));
  const ends = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) ends[bucketOf(seqs[i]!) + 1]!++;
  for (let b = 0; b < buckets; b++) ends[b + 1]! += ends[b]!;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[ends[bucketOf(seqs[i]!)]!++] = seqs[i]!;
  // ends[b] is now bucket b's end, and bucket b starts where bucket b - 1 ends.
  const byShow = (a: number, b: number): number => eventShow[a]! - eventShow[b]! || a - b;
  let start = 0;
  for (let b = 0; b < buckets; b++) {
    const end = ends[b]!;
    if (end - start > 32) out.set(Array.from(out.subarray(start, end)).sort(byShow), start);
    else
      for (let i = start + 1; i < end; i++) {
        // Insertion sort by show time, then seq.
        const seq = out[i]!;
        const show = eventShow[seq]!;
        let j = i - 1;
        while (j >= start && (eventShow[out[j]!]! > show || (eventShow[out[j]!]! === show && out[j]! > seq))) {
          out[j + 1] = out[j]!;
          j--;
        }
        out[j + 1] = seq;
      }
    start = end;
  }
  seqs.set(out);
  // Given back now, not at the next full collection (a long run's is 19 MB: traceColumns.ts release).
  release(out);
}

/** {@link isStep}, read from the columns. */
function isStepRow(s: TraceStore, i: number): boolean {
  const type = s.type[i];
  if (type === COL_TRANSITION) return s.d[i] !== COL_NONE;
  return type !== COL_REQUEST_START;
}
