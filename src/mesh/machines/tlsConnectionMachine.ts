/** The xstate machine of {@link tlsConnectionChart}: the reference its flat runner is checked against. */
import { setup } from 'xstate';
import { tlsConnectionChart, type TlsConnectionEvent } from './charts.ts';

export type { TlsConnectionEvent };

export const tlsConnectionMachine = setup({
  types: { events: {} as TlsConnectionEvent },
}).createMachine(tlsConnectionChart);
