/**
 * A pod's life as a learner sees it: scheduled, starting (sidecar injected, waiting for its
 * certificate and config), ready, crashed, restarted.
 */
import { setup } from 'xstate';

export type WorkloadEvent = { type: 'pod.started' } | { type: 'pod.ready' } | { type: 'pod.crashed' } | { type: 'pod.restarted' };

export const workloadMachine = setup({
  types: { events: {} as WorkloadEvent },
}).createMachine({
  id: 'workload',
  initial: 'pending',
  states: {
    pending: { on: { 'pod.started': 'starting' } },
    starting: { on: { 'pod.ready': 'ready', 'pod.crashed': 'crashed' } },
    ready: { on: { 'pod.crashed': 'crashed' } },
    crashed: { on: { 'pod.restarted': 'starting' } },
  },
});
