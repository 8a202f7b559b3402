/**
 * A vWire as its client sees it (FIDELITY-MORE K2–K4): the client asks for a Network Service
 * (requesting), the path is set up (up); before the path expires the client re-sends its Request
 * (refreshing → up); when the liveness check over the vWire fails it heals — closes the old path and
 * asks again with no endpoint named, so another may be selected (healing → up). A path nobody
 * refreshes expires and is cleaned up.
 */
import { setup } from 'xstate';

export type VWireEvent =
  | { type: 'request' }
  | { type: 'connected' }
  | { type: 'refresh' }
  | { type: 'refreshed' }
  | { type: 'liveness.failed' }
  | { type: 'expired' }
  | { type: 'close' };

export const vwireMachine = setup({
  types: { events: {} as VWireEvent },
}).createMachine({
  id: 'vwire',
  initial: 'idle',
  states: {
    idle: { on: { request: 'requesting' } },
    requesting: { on: { connected: 'up', expired: 'expired' } },
    up: { on: { refresh: 'refreshing', 'liveness.failed': 'healing', expired: 'expired', close: 'closed' } },
    refreshing: { on: { refreshed: 'up', 'liveness.failed': 'healing', expired: 'expired' } },
    healing: { on: { connected: 'up', expired: 'expired' } },
    expired: { on: { request: 'requesting' } },
    closed: {},
  },
});

/** An endpoint's registration in the registry (FIDELITY-MORE K2: NSEs register their Network Services). */
export const registrationMachine = setup({
  types: { events: {} as { type: 'register' } | { type: 'registered' } | { type: 'unreachable' } },
}).createMachine({
  id: 'nseRegistration',
  initial: 'unregistered',
  states: {
    unregistered: { on: { register: 'registering' } },
    registering: { on: { registered: 'registered' } },
    registered: { on: { unreachable: 'unreachable' } },
    unreachable: {},
  },
});
