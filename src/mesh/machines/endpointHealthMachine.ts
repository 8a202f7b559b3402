/**
 * One endpoint as one client proxy judges it, from the responses it gets (passive health
 * checking). Istio's outlier detection ejects it and returns it at a later sweep (FIDELITY C2);
 * Linkerd's failure accrual marks it unavailable, then lets one probe request through in
 * probation (C3). Each mesh uses the states it has.
 */
import { setup } from 'xstate';

export type EndpointHealthEvent =
  | { type: 'outlier.ejected' }
  | { type: 'outlier.returned' }
  | { type: 'accrual.tripped' }
  | { type: 'accrual.probation' }
  | { type: 'accrual.probeSucceeded' }
  | { type: 'accrual.probeFailed' };

export const endpointHealthMachine = setup({
  types: { events: {} as EndpointHealthEvent },
}).createMachine({
  id: 'endpointHealth',
  initial: 'healthy',
  states: {
    healthy: { on: { 'outlier.ejected': 'ejected', 'accrual.tripped': 'unavailable' } },
    ejected: { on: { 'outlier.returned': 'healthy' } },
    unavailable: { on: { 'accrual.probation': 'probation' } },
    probation: { on: { 'accrual.probeSucceeded': 'healthy', 'accrual.probeFailed': 'unavailable' } },
  },
});
