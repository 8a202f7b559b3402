/** The xstate machine of {@link proxyConfigChart}: the reference its flat runner is checked against. */
import { setup } from 'xstate';
import { proxyConfigChart, type ProxyConfigEvent } from './charts.ts';

export type { ProxyConfigEvent };

export const proxyConfigMachine = setup({
  types: { events: {} as ProxyConfigEvent },
}).createMachine(proxyConfigChart);
