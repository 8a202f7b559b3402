/** The xstate machine of {@link endpointHealthChart}: the reference its flat runner is checked against. */
import { setup } from 'xstate';
import { endpointHealthChart, type EndpointHealthEvent } from './charts.ts';

export type { EndpointHealthEvent };

export const endpointHealthMachine = setup({
  types: { events: {} as EndpointHealthEvent },
}).createMachine(endpointHealthChart);
