/**
 * Each native section's definition: the schema of one entry and its reference checks, for the
 * shipped sections of the catalog (catalog.ts) and those registered at run time. The scenario
 * schema and the reference checks read them from here; the rest of the code needs only the
 * catalog's keys.
 */
import type { z } from './zodSetup.ts';
import { SECTIONS, registeredSection, sectionEntries, type SectionKey } from './catalog.ts';
import { istioResource } from './native/istio.ts';
import { linkerdResource } from './native/linkerd.ts';
import { checkIstioReferences } from './native/istioReferences.ts';
import { checkLinkerdReferences } from './native/linkerdReferences.ts';
import { consulResource } from './native/consul.ts';
import { checkConsulReferences } from './native/consulReferences.ts';
import { osmResource } from './native/osm.ts';
import { checkOsmReferences } from './native/osmReferences.ts';
import { nsmResource } from './native/nsm.ts';
import { checkNsmReferences } from './native/nsmReferences.ts';
import type { NativeSection } from './sections.ts';

const title = (key: SectionKey): string => SECTIONS.find((s) => s.key === key)!.title;

/** The shipped sections' definitions, by key: one for each section the catalog's meshes read. */
export const NATIVE_SECTIONS = {
  istio: { key: 'istio', title: title('istio'), resource: istioResource, check: checkIstioReferences },
  linkerd: {
    key: 'linkerd',
    title: title('linkerd'),
    description: 'Native Linkerd resources (and annotated Kubernetes objects), exactly as you would kubectl apply them; used when the run is under Linkerd.',
    resource: linkerdResource,
    check: checkLinkerdReferences,
  },
  consul: {
    key: 'consul',
    title: title('consul'),
    description:
      "Native Consul resources (consul-k8s CRDs, the API gateway's Gateway API objects, the Helm values mesh-sim reads), exactly as you would kubectl apply them; used when the run is under Consul.",
    resource: consulResource,
    check: checkConsulReferences,
  },
  osm: {
    key: 'osm',
    title: title('osm'),
    description:
      'Native Open Service Mesh v1.2.4 resources (MeshConfig, SMI TrafficSplit / TrafficTarget / HTTPRouteGroup / TCPRoute, Retry, UpstreamTrafficSetting, Egress, IngressBackend), exactly as you would kubectl apply them; used when the run is under OSM (archived in 2023).',
    resource: osmResource,
    check: checkOsmReferences,
  },
  nsm: {
    key: 'nsm',
    title: title('nsm'),
    description:
      'Network Service Mesh objects (the client and endpoint Deployments of networkservicemesh/deployments-k8s, read for their NSM_* variables); used when the run is under NSM, which runs only scenarios written for it.',
    resource: nsmResource,
    check: checkNsmReferences,
  },
} as const satisfies { [K in SectionKey]: NativeSection & { key: K } };

/** The resources of a shipped section, typed. */
export type SectionResource<K extends SectionKey> = z.output<(typeof NATIVE_SECTIONS)[K]['resource']>;

/** The definition of the section with this key, shipped or registered. */
export function nativeSection(key: string): NativeSection | undefined {
  return Object.hasOwn(NATIVE_SECTIONS, key) ? NATIVE_SECTIONS[key as SectionKey] : registeredSection(key);
}

/** Every section's definition, in the catalog's order. */
export function nativeSections(): NativeSection[] {
  return sectionEntries().map((s) => nativeSection(s.key)!);
}
