/** Every machine a learner can inspect, by id, so their graphs travel with the trace. */
import { machineGraph, type MachineGraph } from '../../sim/index.ts';
import { workloadMachine } from './workloadMachine.ts';
import { certificateMachine } from './certificateMachine.ts';
import { tlsConnectionMachine } from './tlsConnectionMachine.ts';
import { proxyConfigMachine } from './proxyConfigMachine.ts';
import { endpointHealthMachine } from './endpointHealthMachine.ts';

export { workloadMachine, certificateMachine, tlsConnectionMachine, proxyConfigMachine, endpointHealthMachine };

export const MACHINES = [workloadMachine, certificateMachine, tlsConnectionMachine, proxyConfigMachine, endpointHealthMachine];

let graphs: Record<string, MachineGraph> | undefined;

/** The graphs of all machines (computed once). */
export function machineGraphs(): Record<string, MachineGraph> {
  graphs ??= Object.fromEntries(MACHINES.map((m) => [m.id, machineGraph(m)]));
  return graphs;
}
