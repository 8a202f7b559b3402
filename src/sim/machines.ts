/**
 * Runs xstate v5 machines on the engine's virtual clock and records every state change in the
 * trace. Machines stay ordinary xstate definitions; this file is the only glue.
 */
import { createActor, type AnyStateMachine, type Actor } from 'xstate';
import type { Scheduler } from './scheduler.ts';
import type { MachineGraph, NodeId, TraceRecorder } from './trace.ts';

/** Where a recorded actor lives and what it is called in the trace. */
export interface RecordedActorOptions<M extends AnyStateMachine> {
  scheduler: Scheduler;
  recorder: TraceRecorder;
  entity: string;
  node: NodeId;
  peer?: NodeId;
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

/** The actor's own door for events: `send`, delayed (`after`) events and events from other actors all come through it. */
interface EventDoor {
  _send(event: { type: string }): void;
}

/**
 * Starts `machine` with the scheduler as its clock, recording the initial state and every
 * transition (with the event that caused it) as `transition` events. The cause is captured where
 * each event enters the actor (no xstate inspection: its observer made objects for every event,
 * snapshot and actor of the whole system).
 */
export function startRecordedActor<M extends AnyStateMachine>(machine: M, opts: RecordedActorOptions<M>): Actor<M> {
  const { scheduler, recorder, entity, node, peer } = opts;
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
  return actor;
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
