/**
 * A Network Service Mesh client's request URL (cmd-nsc `NSM_NETWORK_SERVICES`, FIDELITY-MORE K2),
 * read without the schemas: the simulation uses it, and a run loads no zod.
 */

/** `kernel://kernel2vxlan2kernel/nsm-1` → its Network Service and interface, or why not. */
export function parseNetworkServiceUrl(text: string): { service: string; iface: string } | string {
  const m = /^kernel:\/\/([a-z0-9][-a-z0-9.]*)\/([A-Za-z0-9_-]{1,15})$/.exec(text.trim());
  return m
    ? { service: m[1]!, iface: m[2]! }
    : `is ${JSON.stringify(text)}: give kernel://<network-service>/<interface> (an interface name of at most 15 characters)`;
}
