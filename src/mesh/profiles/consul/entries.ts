/**
 * Consul's config entries as the servers hold them for one version of a scenario: the file's own
 * entries, then those generated from its `policies` (a file entry of the same kind and name wins;
 * for ServiceDefaults field by field), minus the ones Consul refuses to write. A refused entry is
 * what `kubectl get` shows as `Synced: False`: consul-k8s applied the resource and Consul said no
 * (FIDELITY-MORE I3, I4, I5). Lookups return the value with the cause that names its line.
 */
import type { Cause } from '../../../sim/index.ts';
import type {
  ConsulApiGateway,
  ConsulHttpRoute,
  ConsulMesh,
  ConsulProtocol,
  ConsulResource,
  HelmValues,
  LoadedScenario,
  ProxyDefaults,
  ServiceDefaults,
  ServiceIntentions,
  ServiceResolver,
  ServiceRouter,
  ServiceSplitter,
  TerminatingGateway,
} from '../../../scenario/index.ts';
import { defaultCause } from '../../cause.ts';
import { authoredResources, ofKind, resourceCause, type SourcedResource } from '../resources.ts';
import { generateConsul } from './generate.ts';

/** A config entry Consul refused, and its words. */
export interface Rejection {
  entry: SourcedResource<ConsulResource>;
  message: string;
  cause: Cause;
}

/** A mesh-neutral policy Consul has no way to express, said in the run rather than dropped. */
export interface PolicyNote {
  path: string;
  message: string;
}

/** A setting's value and the config (or default) it came from. */
export interface Sourced<T> {
  value: T;
  cause: Cause;
}

export const HTTP_LIKE: readonly ConsulProtocol[] = ['http', 'http2', 'grpc'];

const PROTOCOL_DEFAULT = defaultCause(
  'Consul default protocol tcp (no ServiceDefaults or ProxyDefaults sets one)',
  'FIDELITY-MORE I5: service-defaults Protocol defaults to tcp',
);

export class ConsulEntries {
  /** Accepted entries: file entries first (they win lookups), then generated ones. */
  readonly accepted: SourcedResource<ConsulResource>[] = [];
  readonly rejected: Rejection[] = [];
  readonly notes: PolicyNote[];
  readonly helm: SourcedResource<HelmValues> | undefined;
  /** The entries generated from `policies` and `ingress`, for the YAML pane. */
  readonly generatedResources: ConsulResource[];
  private readonly protocols = new Map<string, Sourced<ConsulProtocol>>();

  constructor(readonly scenario: LoadedScenario) {
    const authored = authoredResources(scenario, 'consul');
    const { resources: generated, notes } = generateConsul(scenario);
    this.notes = notes;
    this.generatedResources = generated.map((g) => g.resource);
    const key = (r: SourcedResource<ConsulResource>): string => `${r.resource.kind}/${r.resource.metadata.name}`;
    const authoredKeys = new Set(authored.map(key));
    // A generated entry yields to the file's entry of the same kind and name; the defaults entries
    // are looked up field by field (file first), so both stay.
    const fieldwise = new Set(['ServiceDefaults', 'ProxyDefaults', 'Mesh']);
    const candidates = [...authored, ...generated.filter((g) => fieldwise.has(g.resource.kind) || !authoredKeys.has(key(g)))];
    this.helm = ofKind(candidates, 'HelmValues')[0];

    // FIDELITY-MORE I3: config_entry.go checkMutualTLSMode — permissive needs the mesh entry's consent.
    const allowPermissive = firstSet(ofKind(candidates, 'Mesh'), (m) => m.spec.allowEnablingPermissiveMutualTLS)?.value === true;
    const permissiveRefused = (r: SourcedResource<ConsulResource>): boolean =>
      (r.resource.kind === 'ServiceDefaults' || r.resource.kind === 'ProxyDefaults') && r.resource.spec.mutualTLSMode === 'permissive' && !allowPermissive;
    for (const r of candidates) {
      if (permissiveRefused(r))
        this.reject(
          r,
          'MutualTLSMode=permissive is not allowed: set allowEnablingPermissiveMutualTLS: true in the Mesh entry first',
          '.spec.mutualTLSMode',
          'FIDELITY-MORE I3: config_entry.go checkMutualTLSMode',
        );
      else if (r.resource.kind === 'ServiceDefaults' || r.resource.kind === 'ProxyDefaults' || r.resource.kind === 'Mesh' || r.resource.kind === 'HelmValues')
        this.accepted.push(r);
    }
    // Protocols are known now; the discovery chain and intention entries are checked against them.
    for (const r of candidates) {
      const k = r.resource.kind;
      if (k === 'ServiceDefaults' || k === 'ProxyDefaults' || k === 'Mesh' || k === 'HelmValues') continue;
      if (k === 'ServiceRouter' || k === 'ServiceSplitter') {
        const p = this.protocolOf(r.resource.metadata.name);
        if (!HTTP_LIKE.includes(p.value)) {
          // FIDELITY-MORE I5: discoverychain compile.go refuses routers and splitters on a tcp chain.
          this.reject(
            r,
            `discovery chain "${r.resource.metadata.name}" uses a protocol "${p.value}" that does not permit advanced routing or splitting behavior`,
            '',
            'FIDELITY-MORE I5: agent/consul/discoverychain/compile.go',
          );
          continue;
        }
      }
      if (k === 'ServiceIntentions') {
        const spec = r.resource.spec;
        const dest = spec.destination.name;
        if (dest !== '*' && spec.sources.some((s) => s.permissions !== undefined)) {
          const p = this.protocolOf(dest);
          if (!HTTP_LIKE.includes(p.value)) {
            // FIDELITY-MORE I4: config_entry.go validateProposedConfigEntryInServiceGraph.
            this.reject(
              r,
              `service "${dest}" has protocol "${p.value}", which is incompatible with L7 intentions permissions`,
              '.spec.sources',
              'FIDELITY-MORE I4: agent/consul/state/config_entry.go',
            );
            continue;
          }
        }
      }
      this.accepted.push(r);
    }
  }

  private reject(entry: SourcedResource<ConsulResource>, message: string, suffix: string, source: string): void {
    this.rejected.push({ entry, message, cause: resourceCause(this.scenario, entry, suffix || '', suffix, source) });
  }

  private of<K extends ConsulResource['kind']>(kind: K): SourcedResource<Extract<ConsulResource, { kind: K }>>[] {
    return ofKind(this.accepted, kind);
  }

  /** ServiceDefaults for `service`: the file's first, then the generated one. */
  serviceDefaults(service: string): SourcedResource<ServiceDefaults>[] {
    return this.of('ServiceDefaults').filter((r) => r.resource.metadata.name === service);
  }

  /** The proxy-defaults entries (named global): the file's first, then the generated one. */
  get proxyDefaults(): SourcedResource<ProxyDefaults>[] {
    return this.of('ProxyDefaults');
  }

  /** The mesh entries (named mesh): the file's first, then the generated one. */
  get meshEntries(): SourcedResource<ConsulMesh>[] {
    return this.of('Mesh');
  }

  /** FIDELITY-MORE I5: service-defaults protocol, else proxy-defaults config.protocol, else tcp. */
  protocolOf(service: string): Sourced<ConsulProtocol> {
    let hit = this.protocols.get(service);
    if (hit) return hit;
    const sd = this.serviceDefaults(service).find((r) => r.resource.spec.protocol !== undefined);
    const pd = this.proxyDefaults.find((r) => r.resource.spec.config?.protocol !== undefined);
    if (sd)
      hit = {
        value: sd.resource.spec.protocol!,
        cause: resourceCause(this.scenario, sd, `.spec.protocol ${sd.resource.spec.protocol}`, '.spec.protocol', 'FIDELITY-MORE I5: service-defaults Protocol'),
      };
    else if (pd)
      hit = {
        value: pd.resource.spec.config!.protocol!,
        cause: resourceCause(
          this.scenario,
          pd,
          `.spec.config.protocol ${pd.resource.spec.config!.protocol}`,
          '.spec.config.protocol',
          'FIDELITY-MORE I5: proxy-defaults',
        ),
      };
    else hit = { value: 'tcp', cause: PROTOCOL_DEFAULT };
    this.protocols.set(service, hit);
    return hit;
  }

  router(service: string): SourcedResource<ServiceRouter> | undefined {
    return this.of('ServiceRouter').find((r) => r.resource.metadata.name === service);
  }

  splitter(service: string): SourcedResource<ServiceSplitter> | undefined {
    return this.of('ServiceSplitter').find((r) => r.resource.metadata.name === service);
  }

  resolver(service: string): SourcedResource<ServiceResolver> | undefined {
    return this.of('ServiceResolver').find((r) => r.resource.metadata.name === service);
  }

  get intentions(): SourcedResource<ServiceIntentions>[] {
    return this.of('ServiceIntentions');
  }

  get terminatingGateways(): SourcedResource<TerminatingGateway>[] {
    return this.of('TerminatingGateway');
  }

  get apiGateways(): SourcedResource<ConsulApiGateway>[] {
    return this.of('Gateway');
  }

  get httpRoutes(): SourcedResource<ConsulHttpRoute>[] {
    return this.of('HTTPRoute');
  }

  /** Services outside the mesh declared as transparent-proxy destinations (FIDELITY-MORE I9). */
  get destinations(): SourcedResource<ServiceDefaults>[] {
    return this.of('ServiceDefaults').filter((r) => r.resource.spec.destination !== undefined);
  }

  /**
   * FIDELITY-MORE I4: the intentions' default is the ACL default policy — allow without ACLs (the
   * chart default, manageSystemACLs: false), deny when the chart manages ACLs.
   */
  get intentionDefault(): Sourced<'allow' | 'deny'> {
    const h = this.helm;
    const managed = h?.resource.values.global?.acls?.manageSystemACLs;
    if (h && managed !== undefined)
      return {
        value: managed ? 'deny' : 'allow',
        cause: resourceCause(
          this.scenario,
          h,
          `values global.acls.manageSystemACLs: ${managed}${managed ? ' (acl.default_policy = "deny")' : ''}`,
          '.values.global.acls.manageSystemACLs',
          'FIDELITY-MORE I4: consul-k8s server-config-configmap.yaml writes acl.default_policy deny with managed ACLs',
        ),
      };
    return {
      value: 'allow',
      cause: defaultCause(
        'Consul on Kubernetes default: ACLs off (global.acls.manageSystemACLs: false), so intentions default to allow',
        'FIDELITY-MORE I4: consul-k8s v2.0.3 values.yaml',
      ),
    };
  }

  /** FIDELITY-MORE I9: mesh transparentProxy.meshDestinationsOnly, false by default. */
  get meshDestinationsOnly(): Sourced<boolean> {
    const m = this.meshEntries.find((r) => r.resource.spec.transparentProxy?.meshDestinationsOnly !== undefined);
    const v = m?.resource.spec.transparentProxy?.meshDestinationsOnly;
    if (m && v !== undefined)
      return {
        value: v,
        cause: resourceCause(
          this.scenario,
          m,
          `.spec.transparentProxy.meshDestinationsOnly ${v}`,
          '.spec.transparentProxy.meshDestinationsOnly',
          'FIDELITY-MORE I9: mesh config entry',
        ),
      };
    return {
      value: false,
      cause: defaultCause('Consul default: meshDestinationsOnly false — unknown addresses pass through as-is', 'FIDELITY-MORE I9: mesh config entry'),
    };
  }
}

/** The first entry in `list` whose `get` is set, with that value. */
export function firstSet<R, T>(list: readonly SourcedResource<R>[], get: (r: R) => T | undefined): { value: T; r: SourcedResource<R> } | undefined {
  for (const r of list) {
    const value = get(r.resource);
    if (value !== undefined) return { value, r };
  }
  return undefined;
}
