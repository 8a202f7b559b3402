/**
 * The engine's machines: as charts (what the engine runs and the inspector draws, ./charts.ts) and
 * as the xstate machines made from them (the reference the tests check the runners against).
 */
import { workloadMachine } from './workloadMachine.ts';
import { certificateMachine } from './certificateMachine.ts';
import { tlsConnectionMachine } from './tlsConnectionMachine.ts';
import { proxyConfigMachine } from './proxyConfigMachine.ts';
import { endpointHealthMachine } from './endpointHealthMachine.ts';

export { workloadMachine, certificateMachine, tlsConnectionMachine, proxyConfigMachine, endpointHealthMachine };
export { CHARTS, machineGraphs, workloadChart, certificateChart, tlsConnectionChart, proxyConfigChart, endpointHealthChart } from './charts.ts';

/** The xstate machine of each chart in {@link CHARTS}, in the same order. */
export const MACHINES = [workloadMachine, certificateMachine, tlsConnectionMachine, proxyConfigMachine, endpointHealthMachine];
