/**
 * A native section of the scenario file (`istio:`, `linkerd:`): the list of one mesh family's
 * own resources, exactly as `kubectl apply` would take them. The schema builds the section, and
 * `changes[].<section>`, from {@link NativeSection.resource}; the reference checks hand each
 * section the world it may refer to ({@link SectionContext}) so its own rules (a DestinationRule
 * host must be a service, a Linkerd Server must select a pod) stay beside its schema, in
 * `native/`. Several meshes may read one section (Istio's sidecar and ambient modes read `istio:`).
 */
import type { z } from './zodSetup.ts';
import type { PathProblem } from './load.ts';
import { isObj, list, str, type Obj } from './raw.ts';

type Path = (string | number)[];

/** A service as the reference checks read it from the raw file (defaults filled in, never trusted). */
export interface RawService {
  name: string;
  namespace: string;
  versions: string[] | undefined;
  replicas: number;
}

/** A group of identical pods: one service (and version), with the labels the mesh gives them. */
export interface PodGroup {
  service: string;
  namespace: string;
  serviceAccount: string;
  port: number;
  labels: Record<string, string>;
}

/**
 * What a section's reference check may look at and how it reports. Paths it reports start with
 * the section's key (`[key, 2, 'spec', 'host']`); for the config in force after a change the
 * loader moves each problem to where the resource is written (`changes[0].istio[1]...`).
 */
export interface SectionContext {
  /** The section's key in the file (`istio`). */
  readonly key: string;
  readonly services: readonly RawService[];
  readonly serviceNames: readonly string[];
  /** The hosts `external[]` lists (outside the cluster), each with its ports. */
  readonly externalPorts: ReadonlyMap<string, readonly number[]>;
  /** Namespaces where a service runs. */
  readonly namespaces: readonly string[];
  /** Every group of identical pods, for selectors. */
  readonly groups: readonly PodGroup[];
  /** Reports `value` at `path` unless it is one of `candidates` ("names a service "x" that the scenario does not declare"). */
  mustBe(value: unknown, path: Path, what: string, candidates: readonly string[], atKey?: boolean): void;
  /** Reports `value` at `path` unless it names a service (or, with `allowExternal`, an external host or the ingress host). */
  /** `namespace`: the resource's, where a short name that several namespaces declare resolves (names.ts serviceOfHost). */
  serviceHost(value: unknown, path: Path, allowExternal: boolean, namespace?: string): void;
  report(problem: PathProblem): void;
  /** How a message names resource `i` of this section: `linkerd[2]`, or `changes[0].linkerd[1]` in a later version. */
  where(i: number): string;
}

/** A native section: its key, its title, the schema of one entry and its reference checks. */
export interface NativeSection<R = unknown> {
  /** The key in the scenario file and in `changes[]` (lowercase letters and digits: `istio`). */
  readonly key: string;
  /** Whose resources these are, for people (`Istio`: knobs "Istio settings in the file"). */
  readonly title: string;
  /** What the section is, for editors (the JSON Schema); by default "Native <title> resources, …". */
  readonly description?: string;
  /** One entry of the list, chosen by `kind` (see `kindUnion`). */
  readonly resource: z.ZodType<R, unknown>;
  /**
   * Cross-reference checks of the resources in force (the file's own, or those after a change):
   * names that must point at something the scenario declares. Reads `resources` defensively —
   * it runs even when the schema found problems.
   */
  check?(resources: readonly unknown[], ctx: SectionContext): void;
}

/** Whether `labels` satisfy a matchLabels selector read from the raw file. */
export const selectsRaw = (match: Obj, labels: Record<string, string>): boolean => Object.entries(match).every(([k, v]) => labels[k] === v);

/** "selects no pod in namespace x; pods there are labelled {app: a}" — or nothing when the selector matches a group. */
export function selectorProblem(match: unknown, pool: readonly PodGroup[], where: string): string | undefined {
  if (!isObj(match) || pool.some((g) => selectsRaw(match, g.labels))) return undefined;
  const labels = pool.map((g) =>
    Object.entries(g.labels)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', '),
  );
  return `selects no pod ${where}; pods there are labelled ${labels.length ? labels.map((l) => `{${l}}`).join(', ') : '(none)'}`;
}

/** The pod groups of the raw `services` list, with the labels and identities the mesh gives them. */
export function podGroups(services: unknown): PodGroup[] {
  return list(services)
    .filter(isObj)
    .flatMap((s) => {
      const name = str(s.name) ?? '';
      const base = {
        service: name,
        namespace: str(s.namespace) ?? 'default',
        serviceAccount: str(s.serviceAccount) ?? name,
        port: typeof s.port === 'number' ? s.port : 80,
      };
      const versions = list(s.versions).filter((v): v is string => typeof v === 'string');
      return versions.length ? versions.map((version) => ({ ...base, labels: { app: name, version } })) : [{ ...base, labels: { app: name } }];
    });
}
