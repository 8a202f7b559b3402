/**
 * Cross-reference checks for the security resources (Istio AuthorizationPolicy and
 * RequestAuthentication; Linkerd Server, AuthorizationPolicy, MeshTLSAuthentication,
 * NetworkAuthentication, Deployment): selectors that select no pod, targets and authentications
 * that do not exist, namespaces where nothing runs, overlapping Servers. In a cluster most of
 * these would be accepted and silently do nothing (Linkerd ignores a policy whose authentication
 * is missing); in a lesson they are mistakes, so they are reported where they are written.
 * Reads the raw data defensively, like references.ts.
 */
import type { PathProblem } from './load.ts';
import { guessHint, isObj, istioRootNamespace, list, str, type Obj } from './raw.ts';

/** A group of identical pods: one service (and version), with the labels the mesh gives them. */
interface PodGroup {
  service: string;
  namespace: string;
  serviceAccount: string;
  port: number;
  labels: Record<string, string>;
}

const selects = (match: Obj, labels: Record<string, string>): boolean => Object.entries(match).every(([k, v]) => labels[k] === v);

/**
 * Problems with the security resources of scenario `data`. `where` names a resource in a message
 * (`linkerd[2]`; `changes[0].linkerd[1]` when `data` holds the resources in force after a change).
 */
export function checkPolicyReferences(data: unknown, where = (mesh: 'istio' | 'linkerd', i: number): string => `${mesh}[${i}]`): PathProblem[] {
  if (!isObj(data)) return [];
  const problems: PathProblem[] = [];
  const groups: PodGroup[] = list(data.services)
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
  const namespaces = [...new Set(groups.map((g) => g.namespace))];
  const root = istioRootNamespace(data.istio);
  const selectorProblem = (match: unknown, pool: PodGroup[], where: string): string | undefined => {
    if (!isObj(match) || pool.some((g) => selects(match, g.labels))) return undefined;
    const labels = pool.map((g) =>
      Object.entries(g.labels)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', '),
    );
    return `selects no pod ${where}; pods there are labelled ${labels.length ? labels.map((l) => `{${l}}`).join(', ') : '(none)'}`;
  };

  // --- Istio: namespace and selector of AuthorizationPolicy and RequestAuthentication.
  list(data.istio).forEach((r, i) => {
    if (!isObj(r) || (r.kind !== 'AuthorizationPolicy' && r.kind !== 'RequestAuthentication') || !isObj(r.metadata)) return;
    const ns = str(r.metadata.namespace) ?? 'default';
    if (ns !== root && !namespaces.includes(ns)) {
      problems.push({
        path: ['istio', i, 'metadata', 'namespace'],
        message: `names namespace "${ns}" where no service runs (the mesh-wide root namespace is ${root})${guessHint(ns, namespaces)}`,
      });
      return;
    }
    const pool = ns === root ? groups : groups.filter((g) => g.namespace === ns);
    const match = isObj(r.spec) && isObj(r.spec.selector) ? r.spec.selector.matchLabels : undefined;
    const problem = selectorProblem(match, pool, ns === root ? 'in any namespace' : `in namespace ${ns}`);
    if (problem) problems.push({ path: ['istio', i, 'spec', 'selector', 'matchLabels'], message: problem });
  });

  // --- Linkerd: what exists, by namespace/name.
  const linkerd = list(data.linkerd)
    .map((r, i) => ({ r, i }))
    .filter((x): x is { r: Obj; i: number } => isObj(x.r) && isObj(x.r.metadata));
  const nsOf = (r: Obj): string => str((r.metadata as Obj).namespace) ?? 'default';
  const names = (kind: string, ns: string): string[] =>
    linkerd.filter(({ r }) => r.kind === kind && nsOf(r) === ns).map(({ r }) => str((r.metadata as Obj).name) ?? '');
  const serviceAccounts = (ns: string): string[] => [...new Set(groups.filter((g) => g.namespace === ns).map((g) => g.serviceAccount))];
  const serverPods = new Map<number, PodGroup[]>();

  for (const { r, i } of linkerd) {
    const ns = nsOf(r);
    const at = (...p: (string | number)[]): (string | number)[] => ['linkerd', i, ...p];
    const spec = isObj(r.spec) ? r.spec : {};
    const inNs = groups.filter((g) => g.namespace === ns);
    if (
      ['Server', 'AuthorizationPolicy', 'MeshTLSAuthentication', 'NetworkAuthentication', 'Deployment'].includes(String(r.kind)) &&
      !namespaces.includes(ns)
    ) {
      problems.push({ path: at('metadata', 'namespace'), message: `names namespace "${ns}" where no service runs${guessHint(ns, namespaces)}` });
      continue;
    }
    if (r.kind === 'Server' && isObj(spec.podSelector)) {
      const problem = selectorProblem(spec.podSelector.matchLabels, inNs, `in namespace ${ns}`);
      if (problem) problems.push({ path: at('spec', 'podSelector', 'matchLabels'), message: problem });
      const match = spec.podSelector.matchLabels;
      const selected = isObj(match) ? inNs.filter((g) => selects(match, g.labels)) : [];
      if (typeof spec.port === 'number' && selected.length && !selected.some((g) => g.port === spec.port))
        problems.push({
          path: at('spec', 'port'),
          message: `selects no port: the selected pods listen on ${[...new Set(selected.map((g) => g.port))].join(', ')}`,
        });
      const onPort = selected.filter((g) => g.port === spec.port);
      // Linkerd admission rejects a Server that selects a pod and port another Server already selects.
      const clash = [...serverPods.entries()].find(([j, pods]) => pods.some((p) => onPort.includes(p)) && j !== i);
      if (clash)
        problems.push({
          path: at('spec', 'podSelector'),
          message: `selects the same pods and port as ${where('linkerd', clash[0])}; Linkerd rejects overlapping Servers`,
        });
      serverPods.set(i, onPort);
    }
    if (r.kind === 'AuthorizationPolicy') {
      const t = isObj(spec.targetRef) ? spec.targetRef : {};
      if (t.kind === 'Server' && typeof t.name === 'string' && !names('Server', ns).includes(t.name))
        problems.push({
          path: at('spec', 'targetRef', 'name'),
          message: `names Server "${t.name}" that namespace ${ns} does not declare${guessHint(t.name, names('Server', ns))}`,
        });
      list(spec.requiredAuthenticationRefs).forEach((ref, j) => {
        if (!isObj(ref) || typeof ref.name !== 'string') return;
        const refNs = str(ref.namespace) ?? ns;
        const path = at('spec', 'requiredAuthenticationRefs', j, 'name');
        if (ref.kind === 'MeshTLSAuthentication' || ref.kind === 'NetworkAuthentication') {
          if (!names(ref.kind, refNs).includes(ref.name))
            problems.push({
              path,
              message: `names ${ref.kind} "${ref.name}" that namespace ${refNs} does not declare; Linkerd would ignore this policy${guessHint(ref.name, names(ref.kind, refNs))}`,
            });
        } else if (ref.kind === 'ServiceAccount' && !serviceAccounts(refNs).includes(ref.name)) {
          problems.push({
            path,
            message: `names service account "${ref.name}" that no service in namespace ${refNs} runs as${guessHint(ref.name, serviceAccounts(refNs))}`,
          });
        }
      });
    }
    if (r.kind === 'MeshTLSAuthentication') {
      list(spec.identityRefs).forEach((ref, j) => {
        if (!isObj(ref) || typeof ref.name !== 'string') return;
        const refNs = str(ref.namespace) ?? ns;
        if (!serviceAccounts(refNs).includes(ref.name))
          problems.push({
            path: at('spec', 'identityRefs', j, 'name'),
            message: `names service account "${ref.name}" that no service in namespace ${refNs} runs as${guessHint(ref.name, serviceAccounts(refNs))}`,
          });
      });
    }
    if (r.kind === 'Deployment') {
      const name = str((r.metadata as Obj).name) ?? '';
      const services = [...new Set(inNs.map((g) => g.service))];
      if (!services.includes(name))
        problems.push({
          path: at('metadata', 'name'),
          message: `names no service of namespace ${ns}: a Deployment is matched to the service of the same name${guessHint(name, services)}`,
        });
    }
  }
  return problems;
}
