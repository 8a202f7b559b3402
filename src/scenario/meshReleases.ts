/**
 * The mesh releases mesh-sim models, and the checks that tie a scenario to one: `meshVersions`
 * names the release a scenario runs under (the current line when unset), an IstioOperator's
 * `compatibilityVersion` must be one that release accepts, and a field that only exists from a
 * release on (DestinationRule `retryBudget`, Istio 1.27) is an error under an older one — as
 * `kubectl apply` would refuse it. Data only: the profiles in src/mesh read the same table, and
 * the behaviours that differ between releases live there.
 */
import type { PathProblem } from './load.ts';

// Zod-free (the player checks a release picked in the URL before simulating, with no parser loaded).
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** What mesh-sim models of a mesh's releases. */
export interface MeshReleaseLine {
  /** The release run when a scenario names none: the current line. */
  readonly default: string;
  /** Every release a scenario or the URL may pick, oldest first. */
  readonly known: readonly string[];
}

/**
 * Istio: 1.23 is the last release before the 1.24 retry changes (FIDELITY B1: 503 no longer
 * retried by default; inbound `reset-before-request` retries); `retryBudget` exists from 1.27.
 * The current line is 1.30 (istio/istio tags read up to 1.30.3, FIDELITY-MORE "Versions read").
 * Each minor line is modelled at its latest patch release.
 * Linkerd: one release, the stable line the Linkerd facts were read for (FIDELITY A6–G2).
 * Consul: one release, 2.0 (modelled at 2.0.3, the appVersion of the consul-k8s v2.0.3 chart whose
 * defaults FIDELITY-MORE I1–I9 read); the behaviour modelled holds from 1.16 (API gateway built in).
 * OSM: its last line, 1.2 (v1.2.4, FIDELITY-MORE J1); there will be no other.
 */
export const MESH_RELEASES = {
  istio: { default: '1.30', known: ['1.23', '1.24', '1.25', '1.26', '1.27', '1.28', '1.29', '1.30'] },
  linkerd: { default: '2.20', known: ['2.20'] },
  consul: { default: '2.0', known: ['2.0'] },
  // FIDELITY-MORE J1: OSM's last release line, v1.2 (modelled at v1.2.4, April 2023); the project is archived.
  osm: { default: '1.2', known: ['1.2'] },
} as const satisfies Record<string, MeshReleaseLine>;

export type ReleaseMesh = keyof typeof MESH_RELEASES;

/** Releases chosen per mesh (by the scenario's `meshVersions`, or the URL). */
export type MeshVersions = Partial<Record<ReleaseMesh, string>>;

/**
 * The `compatibilityVersion` values each Istio release accepts: its install profiles
 * `manifests/helm-profiles/compatibility-version-<v>.yaml` (istio/istio tags 1.23.0–1.30.0).
 */
export const ISTIO_COMPATIBILITY: Readonly<Record<string, readonly string[]>> = {
  '1.23': ['1.20', '1.21', '1.22'],
  '1.24': ['1.21', '1.22', '1.23'],
  '1.25': ['1.22', '1.23', '1.24'],
  '1.26': ['1.23', '1.24', '1.25'],
  '1.27': ['1.24', '1.25', '1.26'],
  '1.28': ['1.25', '1.26', '1.27'],
  '1.29': ['1.25', '1.26', '1.27', '1.28'],
  '1.30': ['1.25', '1.26', '1.27', '1.28', '1.29'],
};

/** Compares `1.9` < `1.23` < `1.30` as releases, not as text. */
export function compareReleases(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** For a version YAML read as a number: say so, and that 1.3 may have been 1.30. */
function quotedHint(v: unknown): string {
  if (typeof v !== 'number') return '';
  const text = String(v);
  const trailingZero = /^\d+\.\d$/.test(text) ? ` (${text} may have been "${text}0")` : '';
  return ` — YAML read the number ${text}${trailingZero}; quote the version`;
}

const MESH_NAMES: Record<ReleaseMesh, string> = { istio: 'an Istio', linkerd: 'a Linkerd', consul: 'a Consul', osm: 'an OSM' };

/** Why `version` is not a release of `mesh` mesh-sim models, or undefined when it is. */
export function unknownRelease(mesh: ReleaseMesh, version: unknown): string | undefined {
  const line = MESH_RELEASES[mesh];
  if (typeof version === 'string' && (line.known as readonly string[]).includes(version)) return undefined;
  const shown = typeof version === 'string' ? `"${version}"` : JSON.stringify(version);
  return typeof version === 'number' && (line.known as readonly string[]).includes(String(version))
    ? `must be quoted: YAML reads ${String(version)} as a number; write "${String(version)}"`
    : `${shown} is not ${MESH_NAMES[mesh]} release mesh-sim models (choose ${line.known.map((k) => `"${k}"`).join(', ')}; default "${line.default}")${quotedHint(version)}`;
}

/**
 * Problems between the releases a scenario runs under and what it asks of them. `versions`
 * (the URL's choice) takes the place of the file's `meshVersions` where it names a mesh; the
 * paths point into the file either way.
 */
export function checkReleases(data: unknown, versions: MeshVersions = {}): PathProblem[] {
  if (!isObj(data)) return [];
  const problems: PathProblem[] = [];
  const declared = isObj(data.meshVersions) ? data.meshVersions : {};
  const istio =
    versions.istio ?? (typeof declared.istio === 'string' && !unknownRelease('istio', declared.istio) ? declared.istio : MESH_RELEASES.istio.default);
  const why = versions.istio
    ? `Istio ${istio} (chosen in the URL)`
    : declared.istio !== undefined
      ? `Istio ${istio} (meshVersions.istio)`
      : `Istio ${istio} (the default)`;
  const lists: [unknown, (string | number)[]][] = [[data.istio, ['istio']]];
  list(data.changes).forEach((c, i) => {
    if (isObj(c)) lists.push([c.istio, ['changes', i, 'istio']]);
  });
  for (const [resources, at] of lists) {
    list(resources).forEach((r, j) => {
      if (!isObj(r) || !isObj(r.spec)) return;
      if (r.kind === 'IstioOperator' && r.spec.compatibilityVersion !== undefined) {
        const v = r.spec.compatibilityVersion;
        const accepted = ISTIO_COMPATIBILITY[istio] ?? [];
        if (typeof v !== 'string' || !accepted.includes(v)) {
          const takers = Object.entries(ISTIO_COMPATIBILITY)
            .filter(([, vs]) => typeof v === 'string' && vs.includes(v))
            .map(([rel]) => rel);
          problems.push({
            path: [...at, j, 'spec', 'compatibilityVersion'],
            message:
              `${typeof v === 'string' ? `"${v}"` : JSON.stringify(v)} is not a compatibility version ${why} accepts (${accepted.join(', ')})` +
              (takers.length
                ? `; ${takers.length === 1 ? 'release' : 'releases'} ${takers.join(', ')} accept it (meshVersions: { istio: "${takers[takers.length - 1]}" })`
                : '') +
              quotedHint(v),
          });
        }
      }
      if (r.kind === 'DestinationRule' && compareReleases(istio, '1.27') < 0) {
        const policies: [unknown, (string | number)[]][] = [[r.spec.trafficPolicy, ['spec', 'trafficPolicy']]];
        list(r.spec.subsets).forEach((s, k) => {
          if (isObj(s)) policies.push([s.trafficPolicy, ['spec', 'subsets', k, 'trafficPolicy']]);
        });
        for (const [tp, p] of policies) {
          if (isObj(tp) && tp.retryBudget !== undefined)
            problems.push({
              atKey: true,
              path: [...at, j, ...p, 'retryBudget'],
              message: `does not exist in ${why}: DestinationRule retryBudget is new in Istio 1.27 (FIDELITY B1)`,
            });
        }
      }
    });
  }
  return problems;
}

/** The releases a scenario names, checked: the file's `meshVersions` with `versions` on top. */
export function releasesOf(scenario: { meshVersions?: MeshVersions }, versions: MeshVersions = {}): Required<MeshVersions> {
  return {
    istio: versions.istio ?? scenario.meshVersions?.istio ?? MESH_RELEASES.istio.default,
    linkerd: versions.linkerd ?? scenario.meshVersions?.linkerd ?? MESH_RELEASES.linkerd.default,
    consul: versions.consul ?? scenario.meshVersions?.consul ?? MESH_RELEASES.consul.default,
    osm: versions.osm ?? scenario.meshVersions?.osm ?? MESH_RELEASES.osm.default,
  };
}

/** The IstioOperator compatibilityVersion in effect, if the scenario sets one. */
export function istioCompatibilityVersion(istio: readonly unknown[]): string | undefined {
  const operator = istio.find((r) => isObj(r) && r.kind === 'IstioOperator' && isObj(r.spec) && r.spec.compatibilityVersion !== undefined);
  return isObj(operator) && isObj(operator.spec) ? str(operator.spec.compatibilityVersion) : undefined;
}
