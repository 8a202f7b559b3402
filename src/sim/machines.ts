/**
 * Runs xstate v5 machines on the engine's virtual clock and records every state change in the
 * trace: the reference the engine's charts (src/sim/charts.ts) are checked against, and the runner
 * for a machine that is only written for xstate. The page's engine runs charts and does not load
 * this file (nor xstate).
 */
import { createActor, type AnyStateMachine } from 'xstate';
import { FlatActor, stateName, type FlatTable, type PeeredActor, type RecordedActorOptions } from './charts.ts';
import type { MachineGraph, NodeId } from './trace.ts';

/** The actor's own door for events: `send`, delayed (`after`) events and events from other actors all come through it. */
interface EventDoor {
  _send(event: { type: string }): void;
}

/**
 * Starts `machine` with the scheduler as its clock, recording the initial state and every
 * transition (with the event that caused it) as `transition` events. The cause is captured where
 * each event enters the actor (no xstate inspection: its observer made objects for every event,
 * snapshot and actor of the whole system).
 *
 * A flat machine — states without children, entry/exit actions, timers or guards, as a
 * connection's or a pod's — runs from a lookup table read off its definition ({@link flatTable}):
 * one small object per actor and nothing per event, where an xstate actor makes a snapshot, an
 * event queue and their closures. It records exactly what the xstate actor would.
 */
export function startRecordedActor<M extends AnyStateMachine>(machine: M, opts: RecordedActorOptions<M>): PeeredActor<M> {
  const table = flatTable(machine);
  return table ? new FlatActor<M>(table, opts) : startXstateActor(machine, opts);
}

/** Whether {@link startRecordedActor} runs `machine` from a lookup table rather than as an xstate actor. */
export function runsFlat(machine: AnyStateMachine): boolean {
  return flatTable(machine) !== null;
}

/** {@link startRecordedActor} through xstate, whatever the machine (exported so tests can compare both runners). */
export function startXstateActor<M extends AnyStateMachine>(machine: M, opts: RecordedActorOptions<M>): PeeredActor<M> {
  const { scheduler, recorder, entity } = opts;
  const node = typeof opts.node === 'string' ? opts.node : opts.node.text;
  let peer = typeof opts.peer === 'object' ? opts.peer.text : opts.peer;
  const machineId = machine.id;
  let current: string | null = null;
  let lastEvent = 'start';
  const actor = createActor(machine, { clock: scheduler, input: opts.input as never });
  const door = actor as unknown as EventDoor;
  const enter = door._send.bind(actor);
  door._send = (event) => {
    lastEvent = event.type;
    enter(event);
  };
  actor.subscribe((snapshot) => {
    const next = stateName((snapshot as { value: unknown }).value);
    if (next === current) return;
    const cause = lastEvent.startsWith('xstate.after') ? 'timer' : lastEvent === 'xstate.init' ? 'start' : lastEvent;
    recorder.store.pushTransition(scheduler.now, entity, machineId, node, peer ? peer : undefined, current, next, cause);
    current = next;
  });
  actor.start();
  return Object.assign(actor, { peerWith: (p: NodeId | undefined) => void (peer = p) }) as unknown as PeeredActor<M>;
}

/** The xstate state-node fields {@link flatTable} reads. */
interface NodeShape {
  type: string;
  key: string;
  parent?: NodeShape;
  states: Record<string, NodeShape>;
  entry: unknown[];
  exit: unknown[];
  after: unknown[];
  always?: unknown[];
  invoke: unknown[];
  transitions: Map<string, { target?: NodeShape[]; actions: unknown[]; guard?: unknown; reenter: boolean }[]>;
}

const flatTables = new WeakMap<AnyStateMachine, FlatTable | null>();

/**
 * The machine's lookup tables when it is flat: a compound root without context, actions or timers
 * whose states are atomic or final and whose transitions (its own and the root's) each go, without
 * guard or action, to one of those states on a named event. Otherwise null (xstate runs it).
 */
export function flatTable(machine: AnyStateMachine): FlatTable | null {
  let table = flatTables.get(machine);
  if (table !== undefined) return table;
  table = readFlat(machine);
  flatTables.set(machine, table);
  return table;
}

function readFlat(machine: AnyStateMachine): FlatTable | null {
  const root = machine.root as unknown as NodeShape;
  const config = machine.config as { context?: unknown };
  const plain = (n: NodeShape): boolean => n.entry.length === 0 && n.exit.length === 0 && n.after.length === 0 && !n.always?.length && n.invoke.length === 0;
  if (root.type !== 'compound' || config.context !== undefined || !plain(root)) return null;
  const transitions = (n: NodeShape): Map<string, string> | null => {
    const out = new Map<string, string>();
    for (const [event, list] of n.transitions) {
      const [tr, ...more] = list;
      if (!tr || more.length > 0 || event.includes('*') || event.startsWith('xstate.')) return null;
      const target = tr.target?.[0];
      if (tr.guard !== undefined || tr.actions.length > 0 || tr.target?.length !== 1 || !target || target.parent !== root) return null;
      out.set(event, target.key);
    }
    return out;
  };
  const on = new Map<string, Map<string, string>>();
  const final = new Set<string>();
  for (const [key, child] of Object.entries(root.states)) {
    if ((child.type !== 'atomic' && child.type !== 'final') || !plain(child)) return null;
    const own = transitions(child);
    if (!own) return null;
    on.set(key, own);
    if (child.type === 'final') final.add(key);
  }
  const rootOn = transitions(root);
  const initial = (root as unknown as { initial?: { target: NodeShape[] } }).initial?.target[0];
  if (!rootOn || !initial || initial.parent !== root) return null;
  return { id: machine.id, initial: initial.key, on, rootOn, final };
}

/** Reads a machine's states and transitions from its definition (for the inspector). */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const states: string[] = [];
  const transitions: MachineGraph['transitions'] = [];
  const visit = (node: AnyStateMachine['root'], prefix: string): void => {
    for (const [key, child] of Object.entries(node.states)) {
      const name = prefix ? `${prefix}.${key}` : key;
      states.push(name);
      for (const [event, list] of child.transitions) {
        for (const tr of list) {
          for (const target of tr.target ?? []) {
            transitions.push({
              from: name,
              to: target.path.join('.'),
              event: event.startsWith('xstate.after') ? afterLabel(event) : event,
            });
          }
        }
      }
      visit(child, name);
    }
  };
  visit(machine.root, '');
  const initial = stateName(machine.root.initial?.target[0]?.path.join('.') ?? states[0] ?? '');
  return { id: machine.id, initial, states, transitions };
}

/** `xstate.after.renewDelay.certificate.issued.valid` → `after renewDelay`; numeric delays get `ms`. */
function afterLabel(event: string): string {
  const delay = event.split('.')[2] ?? '';
  return /^\d+$/.test(delay) ? `after ${delay}ms` : `after ${delay}`;
}
