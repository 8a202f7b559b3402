/**
 * osm-controller as the data plane sees it (FIDELITY-MORE J2): one controller that admits pods
 * (its injector webhook), issues every certificate (Tresor CA) and streams Envoy config over ADS.
 * It batches proxy updates in a 2 s sliding window, 10 s at most (openservicemesh/osm
 * pkg/messaging/broker.go proxyUpdateSlidingWindow / proxyUpdateMaxWindow, v1.2.4), then pushes
 * to every connected proxy — the same push as istiod's with OSM's window.
 */
import { defaultCause } from '../../cause.ts';
import type { World } from '../../world.ts';
import { Istiod, type XdsPushSettings } from '../istio/controlPlane.ts';

export const OSM_CONTROLLER = 'osm-controller';

const OSM_PUSH: XdsPushSettings = {
  node: OSM_CONTROLLER,
  name: 'osm-controller',
  // FIDELITY-MORE J2: broker.go proxyUpdateSlidingWindow = 2s, proxyUpdateMaxWindow = 10s (v1.2.4).
  debounceAfterMs: 2000,
  debounceMaxMs: 10_000,
  cause: defaultCause(
    'osm-controller batches proxy updates: 2s sliding window, 10s at most',
    'FIDELITY-MORE J2: openservicemesh/osm pkg/messaging/broker.go proxyUpdateSlidingWindow, proxyUpdateMaxWindow (v1.2.4)',
  ),
  // OSM's Envoy bootstrap names the node by the proxy's UUID and identity; mesh-sim shows the pod.
  nodeId: (proxy) => `${proxy.name}.${proxy.namespace} (envoy sidecar)`,
  outage: {
    down: 'osm-controller stopped: no certificates are issued or rotated and no config is pushed; proxies keep their last config',
    up: 'osm-controller is back: proxies reconnect over ADS and get the current config and certificates',
  },
};

/** The OSM controller: istiod's push model with OSM's node and its own batching times. */
export function createOsmController(world: World): Istiod {
  return new Istiod(world, OSM_PUSH);
}
