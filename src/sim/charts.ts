/**
 * State machines written as data (a chart: states, events, targets), run without xstate. A chart
 * has the shape of an xstate v5 machine config, and the xstate machine made from it
 * (src/mesh/machines/*Machine.ts) stays the reference: test/sim/flatMachines.test.ts drives both
 * with any events and compares what they record, and compares the graphs. The page's engine
 * imports charts only, so xstate is not part of its first play.
 *
 * A flat chart — states without children, entry actions or timers, transitions without guards or
 * actions, as a connection's or a pod's — runs from a lookup table ({@link startChartActor}): one
 * small object per actor and nothing per event, recording exactly what the xstate actor would.
 * Charts that are not flat (the certificate's) are still drawn from here ({@link chartGraph}) and
 * run by a runner of their own.
 */
import type { AnyStateMachine, EventFromLogic } from 'xstate';
import type { Scheduler } from './scheduler.ts';
import type { MachineGraph, NodeId, TraceRecorder } from './trace.ts';
import type { TraceName } from './traceName.ts';
import type { TraceStore } from './traceStore.ts';
import { NONE } from './traceViews.ts';

/** A transition's target as a chart writes it: a sibling state's key, `.child`, or with options. */
export type ChartTransition = string | { readonly target: string; readonly actions?: string | readonly string[]; readonly reenter?: boolean };

/** One state of a chart, as xstate's config writes it. */
export interface ChartState {
  readonly type?: 'final';
  readonly initial?: string;
  readonly entry?: string | readonly string[];
  readonly on?: Readonly<Record<string, ChartTransition>>;
  /** Timers: a delay's name (or ms) → where to go when it passes. */
  readonly after?: Readonly<Record<string, ChartTransition>>;
  readonly states?: Readonly<Record<string, ChartState>>;
}

/** A machine as data; `E` types the events it takes (for {@link RecordedActor.send}). */
export interface Chart<E extends { type: string } = { type: string }> extends ChartState {
  readonly id: string;
  readonly initial: string;
  readonly states: Readonly<Record<string, ChartState>>;
  /** Never set: carries the event type. */
  readonly events?: E;
}

/**
 * Writes a chart taking events `E`, keeping its literal types (so the xstate machine made from it
 * is typed as if written inline): `defineChart<WorkloadEvent>()({ id: 'workload', … })`.
 */
export const defineChart =
  <E extends { type: string }>() =>
  <const C extends Chart>(chart: C): C & { readonly events?: E } =>
    chart as C & { readonly events?: E };

/** The events an actor of `M` (a chart or an xstate machine) takes. */
export type EventOf<M> = M extends AnyStateMachine
  ? EventFromLogic<M>
  : M extends { readonly events?: infer E extends { type: string } }
    ? E
    : { type: string };

/**
 * A machine started by {@link startChartActor} (or through xstate, src/sim/machines.ts): what the
 * engine does with it (send events, stop it, read its state).
 */
export interface RecordedActor<M = AnyStateMachine> {
  send(event: EventOf<M>): void;
  stop(): void;
  getSnapshot(): { value: unknown };
}

/** A recorded actor run from its machine (src/sim/machines.ts), whose other end may change. */
export interface PeeredActor<M = AnyStateMachine> extends RecordedActor<M> {
  /**
   * Names the node it talks to from its next transition on, for a component whose other end
   * changes (a vWire: healing joins its client to another endpoint).
   */
  peerWith(peer: NodeId | undefined): void;
}

/** Where a recorded actor lives and what it is called in the trace. */
export interface RecordedActorOptions<M = AnyStateMachine> {
  scheduler: Scheduler;
  recorder: TraceRecorder;
  entity: string;
  /**
   * The entity is named by no other actor or event of the run, ever (a connection's, which ends in
   * its run-unique id): its name enters the trace's string table without a lookup
   * ({@link TraceStore.strUnique}).
   */
  uniqueEntity?: boolean;
  /** Its node, and the node it talks to: as a TraceName where the caller keeps one (its id found once a run, not looked up). */
  node: NodeId | TraceName;
  peer?: NodeId | TraceName | undefined;
  input?: M extends { __TInput?: infer I } ? I : unknown;
}

/** A state value as one dotted string (`handshake.awaitingServerHello`). */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['?', undefined];
    return child === undefined ? key : `${key}.${stateName(child)}`;
  }
  return String(value);
}

/** A flat machine as lookup tables: each state's transitions by event, the root's, the final states. */
export interface FlatTable {
  id: string;
  initial: string;
  on: Map<string, Map<string, string>>;
  /** Transitions of the root (`on` beside `states`), taken when the state has none for the event. */
  rootOn: Map<string, string>;
  final: Set<string>;
}

const targetOf = (t: ChartTransition): string => (typeof t === 'string' ? t : t.target);
const listOf = (x: string | readonly string[] | undefined): readonly string[] => (x === undefined ? [] : typeof x === 'string' ? [x] : x);

const flatTables = new WeakMap<Chart, FlatTable | null>();

/**
 * The chart's lookup tables when it is flat — the rule xstate's definition is read by in
 * src/sim/machines.ts: a root with states but no entry or timers, whose states have no children,
 * entry or timers, and whose transitions (the states' to a sibling, the root's to `.child`) each go
 * without actions to one state on a named event. Otherwise null.
 */
export function flatTableOf(chart: Chart): FlatTable | null {
  let table = flatTables.get(chart);
  if (table === undefined) {
    table = readFlatChart(chart);
    flatTables.set(chart, table);
  }
  return table;
}

function readFlatChart(chart: Chart): FlatTable | null {
  const plain = (s: ChartState): boolean => listOf(s.entry).length === 0 && s.after === undefined;
  if (!plain(chart)) return null;
  const keys = new Set(Object.keys(chart.states));
  const transitions = (on: ChartState['on'], prefix: '' | '.'): Map<string, string> | null => {
    const out = new Map<string, string>();
    for (const [event, tr] of Object.entries(on ?? {})) {
      if (event.includes('*') || event.startsWith('xstate.') || event === '') return null;
      if (typeof tr !== 'string' && (listOf(tr.actions).length > 0 || tr.reenter)) return null;
      const target = targetOf(tr);
      if (!target.startsWith(prefix) || (prefix === '' && target.startsWith('.'))) return null;
      const key = target.slice(prefix.length);
      if (!keys.has(key)) return null;
      out.set(event, key);
    }
    return out;
  };
  const on = new Map<string, Map<string, string>>();
  const final = new Set<string>();
  for (const [key, state] of Object.entries(chart.states)) {
    if (state.states !== undefined || state.initial !== undefined || !plain(state)) return null;
    const own = transitions(state.on, '');
    if (!own) return null;
    on.set(key, own);
    if (state.type === 'final') final.add(key);
  }
  const rootOn = transitions(chart.on, '.');
  if (!rootOn || !keys.has(chart.initial)) return null;
  return { id: chart.id, initial: chart.initial, on, rootOn, final };
}

/** Whether {@link startChartActor} can run `chart` (it is flat). */
export const chartRunsFlat = (chart: Chart): boolean => flatTableOf(chart) !== null;

/**
 * Starts a flat chart's actor with the scheduler as its clock, recording the initial state and
 * every transition (with the event that caused it) as `transition` events, as the xstate actor of
 * the same definition would. Throws for a chart that is not flat.
 */
export function startChartActor<C extends Chart>(chart: C, opts: RecordedActorOptions<C>): FlatActor<C> {
  const table = flatTableOf(chart);
  if (!table) throw new Error(`chart ${chart.id} is not flat: it needs a runner of its own`);
  return new FlatActor<C>(table, opts);
}

/**
 * A flat table with its states and events numbered: per event, the state each state goes to (its
 * own transition, else the root's; -1 for none), so an actor's event is one lookup by type.
 */
interface NumberedTable {
  states: string[];
  final: boolean[];
  initial: number;
  /** Per event type: its number and, per state, the next state's (or -1). */
  byEvent: Map<string, { index: number; next: Int16Array }>;
  events: string[];
}

const numberedTables = new WeakMap<FlatTable, NumberedTable>();

function numbered(table: FlatTable): NumberedTable {
  let n = numberedTables.get(table);
  if (n) return n;
  const states = [...table.on.keys()];
  const index = new Map(states.map((s, k) => [s, k]));
  const events = [...new Set([...[...table.on.values()].flatMap((m) => [...m.keys()]), ...table.rootOn.keys()])];
  const byEvent = new Map<string, { index: number; next: Int16Array }>();
  events.forEach((type, e) => {
    const next = new Int16Array(states.length).fill(-1);
    states.forEach((s, k) => {
      const to = table.on.get(s)!.get(type) ?? table.rootOn.get(type);
      if (to !== undefined) next[k] = index.get(to)!;
    });
    byEvent.set(type, { index: e, next });
  });
  n = { states, final: states.map((s) => table.final.has(s)), initial: index.get(table.initial)!, byEvent, events };
  numberedTables.set(table, n);
  return n;
}

/**
 * What every actor of one flat table recording into one store shares: the clock, the store, the
 * numbered table, the ids of its states and events in that store and of its machine's name. Kept
 * once, not in each actor (a run at 30 replicas per service starts ~9,000 actors, most of them
 * connections that live to the end of the run).
 */
interface FlatKind {
  readonly scheduler: Scheduler;
  readonly store: TraceStore;
  readonly table: NumberedTable;
  /** The ids of the table's states and events in this store (-1 until interned). */
  readonly states: Int32Array;
  readonly events: Int32Array;
  /** The machine's name's id in the store, interned when the first actor starts (after its node and entity). */
  machine: number;
  /** The id of `start`, the cause of every actor's first transition (-1 until interned). */
  start: number;
}

/** The kinds of a flat table, by store and scheduler (one of each per run). */
const flatKinds = new WeakMap<NumberedTable, WeakMap<TraceStore, FlatKind>>();

function flatKindOf(table: NumberedTable, store: TraceStore, scheduler: Scheduler): FlatKind {
  let byStore = flatKinds.get(table);
  if (!byStore) flatKinds.set(table, (byStore = new WeakMap()));
  let kind = byStore.get(store);
  if (!kind || kind.scheduler !== scheduler) {
    kind = {
      scheduler,
      store,
      table,
      states: new Int32Array(table.states.length).fill(-1),
      events: new Int32Array(table.events.length).fill(-1),
      machine: -1,
      start: -1,
    };
    byStore.set(store, kind);
  }
  return kind;
}

/** A flat machine's actor: its state and where it records; a final state stops it, as xstate's does. */
export class FlatActor<M> implements PeeredActor<M> {
  /**
   * Its state's number in {@link NumberedTable.states}; once it stops, the number's complement
   * (negative): one field, not a flag beside it (most actors are connections, kept to the run's end).
   */
  private state: number;
  private readonly kind: FlatKind;
  // What every transition it records names, interned in the trace's string table once.
  private readonly entity: number;
  /** The id of its node in the trace's string table (for a caller that records more on that node). */
  readonly node: number;
  /** The id of its peer node, or NONE ({@link peerWith} changes it). */
  peer: number;

  constructor(flat: FlatTable, opts: RecordedActorOptions<M>) {
    const store = opts.recorder.store;
    const table = numbered(flat);
    const kind = (this.kind = flatKindOf(table, store, opts.scheduler));
    // In the order pushTransition interns them.
    this.node = typeof opts.node === 'string' ? store.str(opts.node) : opts.node.idIn(store);
    this.entity = opts.uniqueEntity ? store.strUnique(opts.entity) : store.str(opts.entity);
    this.peer = typeof opts.peer === 'object' ? opts.peer.idIn(store) : store.optStr(opts.peer ? opts.peer : undefined);
    if (kind.machine < 0) kind.machine = store.str(flat.id);
    const initial = (this.state = table.initial);
    // Then, as pushTransitionOf would, the initial state's name and `start`: each looked up once a run.
    let to = kind.states[initial]!;
    if (to < 0) to = kind.states[initial] = store.str(table.states[initial]!);
    if (kind.start < 0) kind.start = store.str('start');
    store.pushTransitionIds(kind.scheduler.now, this.entity, kind.machine, this.node, this.peer, NONE, to, kind.start);
    if (table.final[initial]) this.state = ~initial;
  }

  send(event: EventOf<M>): void {
    if (this.state < 0) return;
    const kind = this.kind;
    const table = kind.table;
    const row = table.byEvent.get((event as { type: string }).type);
    if (row === undefined) return;
    const next = row.next[this.state]!;
    if (next < 0 || next === this.state) return;
    // Ids interned on first use, in the order pushTransitionOf interns them (from, to, cause).
    const { states, events, store } = kind;
    let from = states[this.state]!;
    if (from < 0) from = states[this.state] = store.str(table.states[this.state]!);
    let to = states[next]!;
    if (to < 0) to = states[next] = store.str(table.states[next]!);
    let cause = events[row.index]!;
    if (cause < 0) cause = events[row.index] = store.str(table.events[row.index]!);
    store.pushTransitionIds(kind.scheduler.now, this.entity, kind.machine, this.node, this.peer, from, to, cause);
    this.state = table.final[next] ? ~next : next;
  }

  stop(): void {
    if (this.state >= 0) this.state = ~this.state;
  }

  peerWith(peer: NodeId | undefined): void {
    this.peer = this.kind.store.optStr(peer);
  }

  getSnapshot(): { value: string } {
    const state = this.state;
    return { value: this.kind.table.states[state < 0 ? ~state : state]! };
  }
}

/**
 * A chart's states and transitions for the inspector, as `machineGraph` reads them off the xstate
 * machine of the same definition: states depth first (a parent before its children); per state its
 * `on` transitions in order, then its timers (`after renewDelay`, `after 100ms`); targets as dotted
 * paths (a plain key is a sibling, `.key` a child). The root's own transitions are not drawn.
 */
export function chartGraph(chart: Chart): MachineGraph {
  const states: string[] = [];
  const transitions: MachineGraph['transitions'] = [];
  const visit = (node: ChartState, path: string[]): void => {
    for (const [key, child] of Object.entries(node.states ?? {})) {
      const own = [...path, key];
      const name = own.join('.');
      states.push(name);
      const to = (tr: ChartTransition): string => {
        const target = targetOf(tr);
        return (target.startsWith('.') ? [...own, ...target.slice(1).split('.')] : [...path, ...target.split('.')]).join('.');
      };
      for (const [event, tr] of Object.entries(child.on ?? {})) transitions.push({ from: name, to: to(tr), event });
      for (const [delay, tr] of Object.entries(child.after ?? {}))
        transitions.push({ from: name, to: to(tr), event: /^\d+$/.test(delay) ? `after ${delay}ms` : `after ${delay}` });
      visit(child, own);
    }
  };
  visit(chart, []);
  return { id: chart.id, initial: chart.initial, states, transitions };
}
