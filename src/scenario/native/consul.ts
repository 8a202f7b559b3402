/**
 * Native Consul resources a scenario may carry under `consul:`, as `kubectl apply` takes them on a
 * cluster with consul-k8s (the CRDs of consul.hashicorp.com/v1alpha1, and the Gateway API objects
 * of the API gateway), plus the chart's `HelmValues`. Only the fields mesh-sim simulates are
 * accepted; any other field is an error naming it (FIDELITY-MORE I3–I9).
 */
import { z } from '../zodSetup.ts';
import { kindUnion } from './common.ts';
import {
  consulMesh,
  helmValues,
  proxyDefaults,
  serviceDefaults,
  type ConsulMesh,
  type HelmValues,
  type ProxyDefaults,
  type ServiceDefaults,
} from './consulDefaults.ts';
import { serviceResolver, serviceRouter, serviceSplitter, type ServiceResolver, type ServiceRouter, type ServiceSplitter } from './consulTraffic.ts';
import { serviceIntentions, type ServiceIntentions } from './consulSecurity.ts';
import { apiGateway, apiHttpRoute, terminatingGateway, type ConsulApiGateway, type ConsulHttpRoute, type TerminatingGateway } from './consulEdge.ts';

const CONSUL = ['consul.hashicorp.com/v1alpha1'];
const GATEWAY_API = ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'];

export type ConsulResource =
  | ServiceDefaults
  | ProxyDefaults
  | ConsulMesh
  | HelmValues
  | ServiceRouter
  | ServiceSplitter
  | ServiceResolver
  | ServiceIntentions
  | TerminatingGateway
  | ConsulApiGateway
  | ConsulHttpRoute;

/** The `consul:` list entry: one of the supported kinds, chosen by `kind`. */
export const consulResource = kindUnion('Consul', {
  ServiceDefaults: { apiVersions: CONSUL, schema: serviceDefaults },
  ProxyDefaults: { apiVersions: CONSUL, schema: proxyDefaults },
  Mesh: { apiVersions: CONSUL, schema: consulMesh },
  ServiceIntentions: { apiVersions: CONSUL, schema: serviceIntentions },
  ServiceRouter: { apiVersions: CONSUL, schema: serviceRouter },
  ServiceSplitter: { apiVersions: CONSUL, schema: serviceSplitter },
  ServiceResolver: { apiVersions: CONSUL, schema: serviceResolver },
  TerminatingGateway: { apiVersions: CONSUL, schema: terminatingGateway },
  Gateway: { apiVersions: GATEWAY_API, schema: apiGateway },
  HTTPRoute: { apiVersions: GATEWAY_API, schema: apiHttpRoute },
  // Not a Kubernetes object: the Helm chart's values (consulDefaults.ts).
  HelmValues: { apiVersions: ['mesh-sim/v1'], schema: helmValues },
}) as unknown as z.ZodType<ConsulResource, unknown>;

export type * from './consulDefaults.ts';
export type * from './consulTraffic.ts';
export type * from './consulSecurity.ts';
export type * from './consulEdge.ts';
