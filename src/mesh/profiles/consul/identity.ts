/**
 * Consul names: a service's SPIFFE ID, the SNI a client proxy sends, and the service an ID names
 * (FIDELITY-MORE I2). Identities name the Consul service, in Consul CE's one namespace `default`
 * and the chart's datacenter `dc1`; the trust domain is the cluster ID with `.consul`.
 */

/** The cluster's trust domain: a cluster ID, here the one Consul's built-in CA page shows. */
export const CONSUL_TRUST_DOMAIN = '36cb52cd-4058-f811-0432-6798a240c5d3.consul';
/** consul-k8s v2.0.3 values.yaml `global.datacenter: dc1`. */
export const CONSUL_DATACENTER = 'dc1';
/** Consul CE has one namespace (FIDELITY-MORE I2). */
export const CONSUL_NAMESPACE = 'default';

/** FIDELITY-MORE I2: agent/connect/uri_service.go — spiffe://<td>/ns/<ns>/dc/<dc>/svc/<service>. */
export function spiffeOfService(service: string): string {
  return `spiffe://${CONSUL_TRUST_DOMAIN}/ns/${CONSUL_NAMESPACE}/dc/${CONSUL_DATACENTER}/svc/${service}`;
}

/** The Consul service a SPIFFE ID names, if it is a service ID of this cluster. */
export function serviceOfSpiffe(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const prefix = `spiffe://${CONSUL_TRUST_DOMAIN}/ns/${CONSUL_NAMESPACE}/dc/${CONSUL_DATACENTER}/svc/`;
  return id.startsWith(prefix) ? id.slice(prefix.length) : undefined;
}

/** FIDELITY-MORE I2: agent/connect/sni.go ServiceSNI — [<subset>.]<service>.<ns>.<dc>.internal.<td>. */
export function sniOfService(service: string, subset?: string): string {
  return `${subset ? `${subset}.` : ''}${service}.${CONSUL_NAMESPACE}.${CONSUL_DATACENTER}.internal.${CONSUL_TRUST_DOMAIN}`;
}
