/**
 * A proxy's configuration relative to the control plane's: waiting for the first push, in sync,
 * or stale — the control plane has newer config that has not reached this proxy yet (FIDELITY
 * F1: Istio cannot guarantee that every proxy receives a change at the same moment).
 */
import { setup } from 'xstate';

export type ProxyConfigEvent = { type: 'config.changed' } | { type: 'config.applied' } | { type: 'proxy.stopped' };

export const proxyConfigMachine = setup({
  types: { events: {} as ProxyConfigEvent },
}).createMachine({
  id: 'proxyConfig',
  initial: 'waiting',
  on: { 'proxy.stopped': '.waiting' },
  states: {
    waiting: { on: { 'config.applied': 'synced' } },
    synced: { on: { 'config.changed': 'stale' } },
    stale: { on: { 'config.applied': 'synced' } },
  },
});
