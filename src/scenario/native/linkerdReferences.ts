/**
 * Cross-reference checks of the `linkerd:` section: Services, Namespaces, ServiceProfiles and
 * HTTPRoute parents that must exist; EgressNetworks a route or TLSRoute names; and the policy
 * resources (Server, AuthorizationPolicy, MeshTLSAuthentication, NetworkAuthentication,
 * Deployment): selectors that select no pod, targets and authentications that do not exist,
 * namespaces where nothing runs, overlapping Servers. Linkerd would accept most of these and
 * silently do nothing (it ignores a policy whose authentication is missing); in a lesson they are
 * mistakes, so they are reported where they are written.
 */
import { guessHint, isObj, list, str, type Obj } from '../raw.ts';
import { selectorProblem, selectsRaw, type PodGroup, type SectionContext } from '../sections.ts';
import { shortName } from '../names.ts';

/** Checks the Linkerd resources in force. */
export function checkLinkerdReferences(resources: readonly unknown[], ctx: SectionContext): void {
  const { key, serviceNames, namespaces } = ctx;
  const egressNetworks = resources
    .filter((x): x is Obj => isObj(x) && x.kind === 'EgressNetwork' && isObj(x.metadata))
    .map((x) => str((x.metadata as Obj).name) ?? '');
  // A name several namespaces declare (keyed name.namespace) is resolved in the resource's namespace (names.ts).
  const service = (value: unknown, path: (string | number)[], namespace: string): void => {
    if (typeof value === 'string' && ctx.services.some((s) => s.name !== value && shortName(s.name) === value)) ctx.serviceHost(value, path, false, namespace);
    else ctx.mustBe(value, path, 'a service', serviceNames);
  };
  resources.forEach((r, i) => {
    if (!isObj(r) || !isObj(r.metadata)) return;
    const name = r.metadata.name;
    const own = str(r.metadata.namespace) ?? 'default';
    if (r.kind === 'Service') service(name, [key, i, 'metadata', 'name'], own);
    if (r.kind === 'Namespace') ctx.mustBe(name, [key, i, 'metadata', 'name'], 'a namespace', namespaces);
    if (r.kind === 'ServiceProfile' && typeof name === 'string') ctx.serviceHost(name, [key, i, 'metadata', 'name'], false, own);
    if (r.kind === 'HTTPRoute' && isObj(r.spec)) {
      list(r.spec.parentRefs).forEach((p, j) => {
        if (!isObj(p)) return;
        if (p.kind === 'EgressNetwork') ctx.mustBe(p.name, [key, i, 'spec', 'parentRefs', j, 'name'], 'an EgressNetwork', egressNetworks);
        else service(p.name, [key, i, 'spec', 'parentRefs', j, 'name'], str(p.namespace) ?? own);
      });
      const egress = list(r.spec.parentRefs).some((p) => isObj(p) && p.kind === 'EgressNetwork');
      list(r.spec.rules).forEach((rule, j) => {
        if (!isObj(rule)) return;
        list(rule.backendRefs).forEach((b, k) => {
          if (!isObj(b)) return;
          const path = [key, i, 'spec', 'rules', j, 'backendRefs', k];
          if (b.kind === 'EgressNetwork') {
            // The EgressNetwork as a backend means "out to the host": only under that EgressNetwork.
            if (!egress) ctx.report({ path: [...path, 'kind'], message: 'is EgressNetwork, a backend only a route under an EgressNetwork may have' });
            else ctx.mustBe(b.name, [...path, 'name'], 'an EgressNetwork', egressNetworks);
          } else service(b.name, [...path, 'name'], str(b.namespace) ?? own);
        });
      });
    }
    if (r.kind === 'TLSRoute' && isObj(r.spec)) {
      list(r.spec.parentRefs).forEach((p, j) => isObj(p) && ctx.mustBe(p.name, [key, i, 'spec', 'parentRefs', j, 'name'], 'an EgressNetwork', egressNetworks));
      list(r.spec.rules).forEach((rule, j) => {
        if (isObj(rule))
          list(rule.backendRefs).forEach(
            (b, k) => isObj(b) && ctx.mustBe(b.name, [key, i, 'spec', 'rules', j, 'backendRefs', k, 'name'], 'an EgressNetwork', egressNetworks),
          );
      });
    }
  });
  checkPolicy(resources, ctx);
}

/** The policy resources: what exists, by namespace/name. */
function checkPolicy(resources: readonly unknown[], ctx: SectionContext): void {
  const { key, groups, namespaces } = ctx;
  const linkerd = resources.map((r, i) => ({ r, i })).filter((x): x is { r: Obj; i: number } => isObj(x.r) && isObj(x.r.metadata));
  const nsOf = (r: Obj): string => str((r.metadata as Obj).namespace) ?? 'default';
  const names = (kind: string, ns: string): string[] =>
    linkerd.filter(({ r }) => r.kind === kind && nsOf(r) === ns).map(({ r }) => str((r.metadata as Obj).name) ?? '');
  const serviceAccounts = (ns: string): string[] => [...new Set(groups.filter((g) => g.namespace === ns).map((g) => g.serviceAccount))];
  const serverPods = new Map<number, PodGroup[]>();
  /** The named container ports the Deployment of `service` in `ns` declares. */
  const namedPorts = (ns: string, service: string): { name: string; containerPort: number }[] =>
    linkerd
      .filter(({ r }) => r.kind === 'Deployment' && nsOf(r) === ns && str((r.metadata as Obj).name) === shortName(service))
      .flatMap(({ r }) => {
        const template = isObj(r.spec) && isObj(r.spec.template) ? r.spec.template : {};
        const podSpec = isObj(template.spec) ? template.spec : {};
        return list(podSpec.containers).flatMap((c) =>
          isObj(c)
            ? list(c.ports).flatMap((p) =>
                isObj(p) && typeof p.name === 'string' && typeof p.containerPort === 'number' ? [{ name: p.name, containerPort: p.containerPort }] : [],
              )
            : [],
        );
      });

  for (const { r, i } of linkerd) {
    const ns = nsOf(r);
    const at = (...p: (string | number)[]): (string | number)[] => [key, i, ...p];
    const spec = isObj(r.spec) ? r.spec : {};
    const inNs = groups.filter((g) => g.namespace === ns);
    if (
      ['Server', 'AuthorizationPolicy', 'MeshTLSAuthentication', 'NetworkAuthentication', 'Deployment', 'ServerAuthorization'].includes(String(r.kind)) &&
      !namespaces.includes(ns)
    ) {
      ctx.report({ path: at('metadata', 'namespace'), message: `names namespace "${ns}" where no service runs${guessHint(ns, namespaces)}` });
      continue;
    }
    if (r.kind === 'Server' && isObj(spec.podSelector)) {
      const problem = selectorProblem(spec.podSelector.matchLabels, inNs, `in namespace ${ns}`);
      if (problem) ctx.report({ path: at('spec', 'podSelector', 'matchLabels'), message: problem });
      const match = spec.podSelector.matchLabels;
      const selected = isObj(match) ? inNs.filter((g) => selectsRaw(match, g.labels)) : [];
      // A named port is the selected pods' container port of that name (their Deployment's containers).
      const portOf = (g: PodGroup): number | undefined =>
        typeof spec.port === 'string' ? namedPorts(ns, g.service).find((p) => p.name === spec.port)?.containerPort : (spec.port as number);
      if (typeof spec.port === 'string' && selected.length && !selected.some((g) => portOf(g) !== undefined)) {
        const declared = [...new Set(selected.flatMap((g) => namedPorts(ns, g.service).map((p) => p.name)))];
        ctx.report({
          path: at('spec', 'port'),
          message: declared.length
            ? `names no container port of the selected pods (their Deployments name ${declared.join(', ')})${guessHint(spec.port, declared)}`
            : `names a container port, but no Deployment of the selected pods (${[...new Set(selected.map((g) => g.service))].join(', ')}) declares named ports: add one with spec.template.spec.containers[].ports[] { name: ${spec.port}, containerPort }`,
        });
      } else if (selected.length && !selected.some((g) => g.port === portOf(g)))
        ctx.report({
          path: at('spec', 'port'),
          message: `selects no port: the selected pods listen on ${[...new Set(selected.map((g) => g.port))].join(', ')}${typeof spec.port === 'string' ? ` and their port ${spec.port} is ${[...new Set(selected.map(portOf).filter((p) => p !== undefined))].join(', ')}` : ''}`,
        });
      const onPort = selected.filter((g) => g.port === portOf(g));
      // Linkerd admission rejects a Server that selects a pod and port another Server already selects.
      const clash = [...serverPods.entries()].find(([j, pods]) => pods.some((p) => onPort.includes(p)) && j !== i);
      if (clash)
        ctx.report({
          path: at('spec', 'podSelector'),
          message: `selects the same pods and port as ${ctx.where(clash[0])}; Linkerd rejects overlapping Servers`,
        });
      serverPods.set(i, onPort);
    }
    if (r.kind === 'AuthorizationPolicy') {
      const t = isObj(spec.targetRef) ? spec.targetRef : {};
      if (t.kind === 'Server' && typeof t.name === 'string' && !names('Server', ns).includes(t.name))
        ctx.report({
          path: at('spec', 'targetRef', 'name'),
          message: `names Server "${t.name}" that namespace ${ns} does not declare${guessHint(t.name, names('Server', ns))}`,
        });
      list(spec.requiredAuthenticationRefs).forEach((ref, j) => {
        if (!isObj(ref) || typeof ref.name !== 'string') return;
        const refNs = str(ref.namespace) ?? ns;
        const path = at('spec', 'requiredAuthenticationRefs', j, 'name');
        if (ref.kind === 'MeshTLSAuthentication' || ref.kind === 'NetworkAuthentication') {
          if (!names(ref.kind, refNs).includes(ref.name))
            ctx.report({
              path,
              message: `names ${ref.kind} "${ref.name}" that namespace ${refNs} does not declare; Linkerd would ignore this policy${guessHint(ref.name, names(ref.kind, refNs))}`,
            });
        } else if (ref.kind === 'ServiceAccount' && !serviceAccounts(refNs).includes(ref.name)) {
          ctx.report({
            path,
            message: `names service account "${ref.name}" that no service in namespace ${refNs} runs as${guessHint(ref.name, serviceAccounts(refNs))}`,
          });
        }
      });
    }
    if (r.kind === 'ServerAuthorization') {
      const server = isObj(spec.server) ? spec.server : {};
      if (typeof server.name === 'string' && !names('Server', ns).includes(server.name))
        ctx.report({
          path: at('spec', 'server', 'name'),
          message: `names Server "${server.name}" that namespace ${ns} does not declare${guessHint(server.name, names('Server', ns))}`,
        });
      const mtls = isObj(spec.client) && isObj(spec.client.meshTLS) ? spec.client.meshTLS : {};
      list(mtls.serviceAccounts).forEach((ref, j) => {
        if (!isObj(ref) || typeof ref.name !== 'string') return;
        const refNs = str(ref.namespace) ?? ns;
        if (!serviceAccounts(refNs).includes(ref.name))
          ctx.report({
            path: at('spec', 'client', 'meshTLS', 'serviceAccounts', j, 'name'),
            message: `names service account "${ref.name}" that no service in namespace ${refNs} runs as${guessHint(ref.name, serviceAccounts(refNs))}`,
          });
      });
    }
    if (r.kind === 'MeshTLSAuthentication') {
      list(spec.identityRefs).forEach((ref, j) => {
        if (!isObj(ref) || typeof ref.name !== 'string') return;
        const refNs = str(ref.namespace) ?? ns;
        if (!serviceAccounts(refNs).includes(ref.name))
          ctx.report({
            path: at('spec', 'identityRefs', j, 'name'),
            message: `names service account "${ref.name}" that no service in namespace ${refNs} runs as${guessHint(ref.name, serviceAccounts(refNs))}`,
          });
      });
    }
    if (r.kind === 'Deployment') {
      const name = str((r.metadata as Obj).name) ?? '';
      const services = [...new Set(inNs.map((g) => g.service))];
      if (!services.includes(name))
        ctx.report({
          path: at('metadata', 'name'),
          message: `names no service of namespace ${ns}: a Deployment is matched to the service of the same name${guessHint(name, services)}`,
        });
    }
  }
}
