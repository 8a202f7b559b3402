/** The xstate machine of {@link workloadChart}: the reference its flat runner is checked against. */
import { setup } from 'xstate';
import { workloadChart, type WorkloadEvent } from './charts.ts';

export type { WorkloadEvent };

export const workloadMachine = setup({
  types: { events: {} as WorkloadEvent },
}).createMachine(workloadChart);
