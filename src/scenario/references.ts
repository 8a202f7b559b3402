/**
 * Cross-reference checks the schema cannot make: names that must point at something declared
 * elsewhere in the file (a service, a pod, a subset), and names that must be unique. They read the
 * raw data defensively, so they run even when the schema found other problems and everything is
 * reported at once.
 */
import { didYouMean, pathString } from './messages.ts';
import { describe, parseDuration } from './units.ts';
import type { PathProblem } from './load.ts';
import { guessHint, isObj, list, str, type Obj, unique } from './raw.ts';
import { applied, indexed, relocate, sectionLists, type Config, type Path, type Versioned } from './configVersions.ts';
import { checkMeshes } from './meshReferences.ts';
import { nativeSections } from './nativeSections.ts';
import { podGroups, type SectionContext } from './sections.ts';
import { podNames, serviceKeys, serviceOfHost, shortName } from './names.ts';

export { podNames, serviceKeys, serviceOfHost, shortName } from './names.ts';

export function checkReferences(data: unknown): PathProblem[] {
  if (!isObj(data)) return [];
  const problems: PathProblem[] = [];
  const raw = list(data.services)
    .filter(isObj)
    .map((s) => ({ name: str(s.name) ?? '', namespace: str(s.namespace) ?? 'default' }));
  // A name declared in several namespaces is known as name.namespace (names.ts).
  const keys = serviceKeys(raw);
  const keyOf = new Map(
    list(data.services)
      .filter(isObj)
      .map((s, i) => [s, keys[i]!]),
  );
  const services = list(data.services)
    .filter(isObj)
    .map((s) => ({
      name: keyOf.get(s)!,
      namespace: str(s.namespace) ?? 'default',
      versions: Array.isArray(s.versions) ? s.versions.filter((v): v is string => typeof v === 'string') : undefined,
      replicas: typeof s.replicas === 'number' && s.replicas > 0 && s.replicas <= 50 ? Math.floor(s.replicas) : 1,
    }));
  const serviceNames = services.map((s) => s.name);
  const pods = services.flatMap((s) => podNames(s.name, s.replicas, s.versions));
  // The ingress host is addressable too (from outside clients), like an external host.
  const ingressHost = isObj(data.ingress) ? str(data.ingress.host) : undefined;
  const hosts = [
    ...list(data.external)
      .filter(isObj)
      .map((e) => str(e.host) ?? ''),
    ...(ingressHost ? [ingressHost] : []),
  ];
  const clients = list(data.clients)
    .filter(isObj)
    .map((c) => str(c.name) ?? '');
  const namespaces = new Set(services.map((s) => s.namespace));

  unique(
    list(data.services),
    ['services'],
    (s) => (typeof s.name === 'string' ? `${s.name}.${str(s.namespace) ?? 'default'}` : undefined),
    'name',
    (id) => `declares service ${describe(shortName(id))} in namespace ${id.slice(shortName(id).length + 1)} a second time`,
    problems,
  );
  // One host may listen on several ports (HTTP on 80, HTTPS on 443): the key is host and port.
  unique(
    list(data.external),
    ['external'],
    (e) => (typeof e.host === 'string' ? `${e.host}:${externalPort(e)}` : undefined),
    'host',
    (id) => `declares external host ${describe(id.replace(/:\d+$/, ''))} on port ${id.replace(/^.*:/, '')} a second time (a host may be listed once per port)`,
    problems,
  );
  /** The ports each external host is listed on, in file order. */
  const externalPorts = new Map<string, number[]>();
  for (const e of list(data.external).filter(isObj))
    if (typeof e.host === 'string') externalPorts.set(e.host, [...(externalPorts.get(e.host) ?? []), externalPort(e)]);
  /** `port` of a traffic source or a call: which port of an external host it addresses. */
  const checkPort = (to: unknown, port: unknown, at: (string | number)[]): void => {
    if (typeof to !== 'string') return;
    const ports = externalPorts.get(to);
    if (port === undefined) {
      if (ports && ports.length > 1)
        problems.push({
          path: [...at, 'to'],
          message: `names external host ${describe(to)}, which listens on ports ${ports.join(' and ')}: say which with port`,
        });
      return;
    }
    if (typeof port !== 'number') return;
    if (!ports)
      problems.push({ path: [...at, 'port'], message: `is only for an external host: ${describe(to)} is not one (a service listens on its services[].port)` });
    else if (!ports.includes(port))
      problems.push({ path: [...at, 'port'], message: `${port} is not a port of external host ${describe(to)} (it listens on ${ports.join(', ')})` });
  };
  list(data.services).forEach((s, i) => {
    if (isObj(s))
      unique(list(s.versions), ['services', i, 'versions'], undefined, undefined, (id) => `declares version ${describe(id)} a second time`, problems);
  });
  // kubectl apply would replace the first resource with the second: the author sees one, mesh-sim would too.
  const uniqueResources = (holder: Obj, at: (string | number)[]): void => {
    for (const { key } of nativeSections()) {
      unique(
        list(holder[key]),
        [...at, key],
        (r) => (isObj(r.metadata) && typeof r.kind === 'string' ? resourceId(r.kind, r.metadata) : undefined),
        ['metadata', 'name'],
        (id) => `declares ${id} a second time, and kubectl apply would keep only the last one`,
        problems,
      );
    }
  };
  uniqueResources(data, []);

  // Where mustBe and serviceHost report: the problems, or those of one config version (changes).
  let sink = problems;
  const mustBe = (value: unknown, path: (string | number)[], what: string, candidates: readonly string[], atKey = false): void => {
    if (typeof value !== 'string' || candidates.includes(value)) return;
    sink.push({
      atKey,
      path,
      message: `names ${what} ${describe(value)} that the scenario does not declare${keyHint(value, services) ?? podHint(value, services) ?? guessHint(value, candidates)}`,
    });
  };
  const serviceHost = (value: unknown, path: (string | number)[], allowExternal: boolean, namespace?: string): void => {
    if (typeof value !== 'string') return;
    if (serviceOfHost(value, services, namespace) || (allowExternal && hosts.includes(value))) return;
    const candidates = allowExternal ? [...serviceNames, ...hosts] : serviceNames;
    const [name, ns] = value.split('.');
    const everywhere = services.filter((s) => shortName(s.name) === name && s.name !== name);
    if (ns === undefined && everywhere.length > 1) {
      sink.push({
        path,
        message: `names service ${describe(value)}, which runs in namespaces ${everywhere.map((s) => s.namespace).join(', ')}${namespace ? ` but not in ${namespace}` : ''}: say which (${everywhere[0]!.name})`,
      });
      return;
    }
    // `reviews.prod` when reviews runs in default: the namespace is what is wrong.
    const elsewhere = ns === undefined ? undefined : services.find((s) => shortName(s.name) === name && s.namespace !== ns);
    const guess = didYouMean(name!, candidates);
    const hint = elsewhere
      ? ` (service ${name} runs in namespace ${elsewhere.namespace}: ${name}.${elsewhere.namespace})`
      : guess
        ? ` (did you mean ${describe(guess)}?)`
        : '';
    sink.push({
      path,
      message: `names ${allowExternal ? 'a service or external host' : 'a service'} ${describe(value)} that the scenario does not declare${hint}`,
    });
  };

  // Consul CE has one namespace: a name in several Kubernetes namespaces would register as one
  // Consul service, which mesh-sim does not model — refused rather than run half right.
  if (list(data.consul).length > 0)
    services.forEach((s, i) => {
      if (s.name.includes('.'))
        problems.push({
          path: ['services', i, 'name'],
          message: `repeats a name of another namespace, which is not simulated with consul: resources (Consul CE would register every ${shortName(s.name)} as one service); rename it`,
        });
    });

  // What each native section's own checks may refer to (sections.ts).
  const world: Omit<SectionContext, 'key' | 'where'> = {
    services,
    serviceNames,
    externalPorts,
    namespaces: [...namespaces],
    groups: podGroups(data.services),
    mustBe,
    serviceHost,
    report: (p) => sink.push(p),
  };

  // A short name resolves in the sender's namespace, as Kubernetes DNS does.
  const podNamespace = new Map(services.flatMap((s) => podNames(s.name, s.replicas, s.versions).map((p) => [p, s.namespace] as const)));
  const namespaceOfSender = (from: unknown): string | undefined =>
    typeof from === 'string' ? (services.find((s) => s.name === from)?.namespace ?? podNamespace.get(from)) : undefined;

  list(data.traffic).forEach((t, i) => {
    if (!isObj(t)) return;
    mustBe(t.from, ['traffic', i, 'from'], 'a service, pod or client', [...serviceNames, ...pods, ...clients]);
    serviceHost(t.to, ['traffic', i, 'to'], true, namespaceOfSender(t.from));
    checkPort(t.to, t.port, ['traffic', i]);
    if (typeof t.from === 'string' && clients.includes(t.from) && t.to !== ingressHost)
      problems.push({
        path: ['traffic', i, 'to'],
        message: `must be the ingress host${ingressHost ? ` ${describe(ingressHost)}` : ' (declare ingress: first)'}: an outside client reaches the cluster only through its ingress`,
      });
  });
  unique(
    list(data.clients),
    ['clients'],
    (c) => c.name,
    'name',
    (id) => `declares client ${describe(id)} a second time`,
    problems,
  );
  list(data.clients).forEach((c, i) => {
    if (isObj(c) && typeof c.name === 'string' && serviceNames.includes(c.name))
      problems.push({ path: ['clients', i, 'name'], message: `${describe(c.name)} is already a service name` });
  });
  list(data.checkpoints).forEach((c, i) => {
    if (!isObj(c)) return;
    mustBe(c.service, ['checkpoints', i, 'service'], 'a service or external host', [...serviceNames, ...hosts]);
    mustBe(c.from, ['checkpoints', i, 'from'], 'a service, pod or client', [...serviceNames, ...pods, ...clients]);
    mustBe(c.pod, ['checkpoints', i, 'pod'], 'a pod', pods);
  });
  if (isObj(data.ingress))
    list(data.ingress.routes).forEach((r, i) => isObj(r) && mustBe(r.service, ['ingress', 'routes', i, 'service'], 'a service', serviceNames));
  list(data.services).forEach((svc, i) => {
    if (!isObj(svc)) return;
    list(svc.calls).forEach((c, j) => {
      if (!isObj(c)) return;
      const own = keyOf.get(svc)!;
      serviceHost(c.to, ['services', i, 'calls', j, 'to'], true, str(svc.namespace) ?? 'default');
      checkPort(c.to, c.port, ['services', i, 'calls', j]);
      if (typeof c.to === 'string' && serviceOfHost(c.to, services, str(svc.namespace) ?? 'default') === own)
        problems.push({ path: ['services', i, 'calls', j, 'to'], message: `is the service itself: a call to itself would never end` });
      const versions = list(svc.versions).filter((v): v is string => typeof v === 'string');
      list(c.versions).forEach((v, k) => {
        if (typeof v === 'string' && !versions.includes(v))
          problems.push({
            path: ['services', i, 'calls', j, 'versions', k],
            message: `names version ${describe(v)}, which service ${describe(svc.name)} does not run (${versions.length ? `its versions: ${versions.join(', ')}` : 'it declares no versions'})`,
          });
      });
    });
  });
  // Calls must not loop (a → b → a): every request would call on forever.
  const callsOf = new Map(
    list(data.services)
      .filter(isObj)
      .map((s) => [
        keyOf.get(s)!,
        list(s.calls)
          .filter(isObj)
          .map((c) => serviceOfHost(str(c.to) ?? '', services, str(s.namespace) ?? 'default') ?? (str(c.to) ?? '').split('.')[0]!),
      ]),
  );
  const loopFrom = (start: string): string[] | undefined => {
    const walk = (at: string, path: string[]): string[] | undefined => {
      for (const next of callsOf.get(at) ?? []) {
        if (next === start) return [...path, next];
        if (!path.includes(next) && callsOf.has(next)) {
          const found = walk(next, [...path, next]);
          if (found) return found;
        }
      }
      return undefined;
    };
    return walk(start, [start]);
  };
  list(data.services).forEach((s, i) => {
    if (!isObj(s) || typeof s.name !== 'string') return;
    const loop = loopFrom(keyOf.get(s)!);
    if (loop && loop.length > 2 && loop[0] === [...loop].sort()[0])
      problems.push({ path: ['services', i, 'calls'], message: `make a loop (${loop.join(' → ')}): every request would call on forever` });
  });
  list(data.faults).forEach((f, i) => {
    if (!isObj(f)) return;
    mustBe(f.pod, ['faults', i, 'pod'], 'a pod', pods);
    if (isObj(f.link)) mustBe(f.link.to, ['faults', i, 'link', 'to'], 'a pod or control-plane', [...pods, 'control-plane']);
    mustBe(f.service, ['faults', i, 'service'], 'a service', serviceNames);
  });
  // A pod has one certificate: the simulation applies the first certificate fault that names it.
  unique(
    list(data.faults),
    ['faults'],
    (f) => (isObj(f.certificate) ? f.pod : undefined),
    'certificate',
    (pod) => `is a second certificate fault for pod ${describe(pod)}, and only the first would apply: merge them`,
    problems,
  );
  const externalHosts = list(data.external)
    .filter(isObj)
    .map((e) => str(e.host) ?? '');
  /** Checks one version of the config: the file's own, or the one in force after a change. */
  const checkConfig = (cfg: Config): void => {
    if (isObj(cfg.policies) && isObj(cfg.policies.egress)) {
      list(cfg.policies.egress.allow).forEach((h, i) => mustBe(h, ['policies', 'egress', 'allow', i], 'an external host', externalHosts));
    }
    if (isObj(cfg.policies)) {
      for (const key of ['retries', 'timeouts', 'circuitBreaking', 'loadBalancing'] as const) {
        list(cfg.policies[key]).forEach((r, i) => {
          if (isObj(r)) serviceHost(r.service, ['policies', key, i, 'service'], false);
        });
      }
    }

    for (const section of nativeSections()) section.check?.(cfg.sections[section.key] ?? [], { ...world, key: section.key, where: cfg.where(section.key) });
  };
  const written =
    (key: string): ((i: number) => string) =>
    (i) =>
      `${key}[${i}]`;
  checkConfig({ policies: data.policies, sections: sectionLists(data), where: written });
  // Each change is checked against the config in force once it applies, and reported where it is written.
  let inForce: Versioned = Object.fromEntries(nativeSections().map(({ key }) => [key, indexed(list(data[key]), [key])]));
  list(data.changes).forEach((c, k) => {
    if (!isObj(c)) return;
    const at: Path = ['changes', k];
    uniqueResources(c, at);
    inForce = Object.fromEntries(nativeSections().map(({ key }) => [key, applied(inForce[key] ?? [], list(c[key]), [...at, key])]));
    const version = inForce;
    const found: PathProblem[] = [];
    sink = found;
    checkConfig({
      policies: c.policies,
      sections: Object.fromEntries(Object.entries(version).map(([key, v]) => [key, v.map((x) => x.r)])),
      where: (key) => (i) => pathString(version[key]?.[i]?.path ?? [key, i]),
    });
    sink = problems;
    for (const p of found) {
      const path = relocate(p.path, version, at);
      if (path.length >= 2 && path[0] === 'changes' && path[1] === k) problems.push({ ...p, path });
    }
  });

  if (isObj(data.expect)) {
    for (const [mesh, exp] of Object.entries(data.expect)) {
      if (isObj(exp) && isObj(exp.received)) for (const pod of Object.keys(exp.received)) mustBe(pod, ['expect', mesh, 'received', pod], 'a pod', pods, true);
    }
  }

  checkMeshes(data, problems);

  const duration = typeof data.duration === 'string' ? parseDuration(data.duration) : undefined;
  if (duration !== undefined) {
    for (const key of ['narration', 'checkpoints', 'changes'] as const) {
      list(data[key]).forEach((n, i) => {
        const at = isObj(n) && typeof n.at === 'string' ? parseDuration(n.at) : undefined;
        if (at !== undefined && at > duration) problems.push({ path: [key, i, 'at'], message: `is after the end of the run (duration ${data.duration})` });
      });
    }
  }
  return problems;
}

/** `DestinationRule reviews` (namespace added when set): what kubectl apply keys resources by. */
function resourceId(kind: string, metadata: Obj): string | undefined {
  const name = str(metadata.name);
  if (name === undefined) return undefined;
  const ns = str(metadata.namespace);
  return `${kind} ${describe(name)}${ns ? ` in namespace ${ns}` : ''}`;
}

/** For `curl` declared in several namespaces: `(curl runs in namespaces foo, bar: say which, as curl.foo)`. */
function keyHint(value: string, services: { name: string; namespace: string }[]): string | undefined {
  const keyed = services.filter((s) => s.name !== value && shortName(s.name) === value);
  return keyed.length > 1 ? ` (${value} runs in namespaces ${keyed.map((s) => s.namespace).join(', ')}: say which, as ${keyed[0]!.name})` : undefined;
}

/** For `reviews-5`: `(service reviews has pods reviews-0, reviews-1, reviews-2)`. */
function podHint(value: string, services: { name: string; replicas: number; versions: string[] | undefined }[]): string | undefined {
  // The longest match: `reviews-db-0` belongs to reviews-db, not reviews.
  const s = services.filter((x) => x.name !== '' && value.startsWith(`${x.name}-`)).sort((a, b) => b.name.length - a.name.length)[0];
  return s ? ` (service ${s.name} has pods ${podNames(s.name, s.replicas, s.versions).join(', ')})` : undefined;
}

/** Reports every item whose id (by `idOf`) repeats an earlier one, at `field` of the repeat. */
function externalPort(e: Obj): number {
  return typeof e.port === 'number' ? e.port : e.protocol === 'http' ? 80 : 443;
}
