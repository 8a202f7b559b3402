/**
 * The knobs a learner turns, built from a scenario: its mesh-neutral `policies` (mTLS mode,
 * retries, timeouts, circuit breaking, load balancing, egress) for each service that is called,
 * plus each mesh's own settings where the file has them (the scalars of its native resources).
 * A knob's value lives in the {@link ScenarioEdits}; {@link setKnob} returns the edits after a
 * change. Headless: the UI draws the fields and reports changes by id.
 */
import { meshCatalog, sectionEntry, serviceOfHost, type LoadedScenario, type Policies } from '../scenario/index.ts';
import { policiesAfter, type NativeEdit, type ScenarioEdits } from './edits.ts';
import { nativeSettings } from './parse.ts';

export type KnobValue = string | number | boolean | null;

/** One field of the knobs panel. `null` means "not set": the mesh's default, or none. */
export interface KnobField {
  /** `mtls`, `retries/reviews/attempts`, `native/istio[0].spec.action`. */
  id: string;
  label: string;
  type: 'choice' | 'number' | 'toggle' | 'text';
  value: KnobValue;
  /** For choices; the value '' stands for "not set". */
  options?: { value: string; label: string }[];
  /** For numbers: what an empty field means, the unit, bounds. */
  placeholder?: string;
  unit?: 'ms';
  min?: number;
  max?: number;
  /** A field that only matters once another is set (per-try timeout needs attempts). */
  disabled?: boolean;
}

/** A group of fields: one policy, or one native resource. */
export interface KnobGroup {
  id: string;
  title: string;
  /** A native group's section (`istio`) and its title (`Istio`). */
  section?: { key: string; title: string };
  /** The meshes a native group matters to: those reading its section. */
  meshes?: string[];
  hint?: string;
  fields: KnobField[];
}

const DEFAULT = { value: '', label: 'mesh default' };

/** The services a scenario calls: knobs are per destination. */
export function calledServices(scenario: LoadedScenario): string[] {
  const names = new Set<string>();
  const add = (host: string): void => {
    const s = serviceOfHost(host, scenario.services);
    if (s) names.add(s);
  };
  for (const t of scenario.traffic) add(t.to);
  for (const s of scenario.services) for (const c of (s as { calls?: { to: string }[] }).calls ?? []) add(c.to);
  for (const r of scenario.ingress?.routes ?? []) add(r.service);
  const p = scenario.policies;
  for (const list of [p.retries, p.timeouts, p.circuitBreaking, p.loadBalancing]) for (const e of list ?? []) add(e.service);
  return [...names];
}

type ServiceList = 'retries' | 'timeouts' | 'circuitBreaking' | 'loadBalancing';
type EntryOf<K extends ServiceList> = NonNullable<Policies[K]>[number];

function entry<K extends ServiceList>(p: Policies, key: K, service: string): EntryOf<K> | undefined {
  return (p[key] as EntryOf<K>[] | undefined)?.find((e) => e.service === service);
}

const num = (field: Omit<KnobField, 'type'>): KnobField => ({ type: 'number', min: 0, ...field });

/**
 * The knob groups for `scenario` as edited (`edits` applied to its policies); `text` is the file,
 * for the native settings. Native settings of every section are listed; the UI shows those of the
 * meshes on screen.
 */
export function knobGroups(scenario: LoadedScenario, text: string, edits: ScenarioEdits = {}): KnobGroup[] {
  const p = policiesAfter(scenario.policies, edits.policies);
  const services = calledServices(scenario);
  const groups: KnobGroup[] = [
    {
      id: 'mtls',
      title: 'mTLS',
      hint: 'strict: only mTLS gets in; permissive: plaintext too; off: no mTLS',
      fields: [
        {
          id: 'mtls',
          label: 'mode',
          type: 'choice',
          value: p.mtls ?? null,
          options: [DEFAULT, ...['strict', 'permissive', 'off'].map((v) => ({ value: v, label: v }))],
        },
      ],
    },
  ];
  const per = (id: ServiceList, title: string, hint: string, fields: (service: string) => KnobField[]): void => {
    if (services.length) groups.push({ id, title, hint, fields: services.flatMap(fields) });
  };
  per('retries', 'Retries', 'attempts after the first try; empty: the mesh default', (s) => {
    const r = entry(p, 'retries', s);
    return [
      num({ id: `retries/${s}/attempts`, label: `${s}: attempts`, value: r?.attempts ?? null, placeholder: 'default', max: 10 }),
      num({
        id: `retries/${s}/perTryTimeout`,
        label: `${s}: per-try timeout`,
        value: r?.perTryTimeout ?? null,
        placeholder: 'none',
        unit: 'ms',
        min: 1,
        disabled: r === undefined,
      }),
    ];
  });
  per('timeouts', 'Timeouts', 'a deadline for the whole request, retries included; empty: none', (s) => [
    num({
      id: `timeouts/${s}/request`,
      label: `${s}: request timeout`,
      value: entry(p, 'timeouts', s)?.request ?? null,
      placeholder: 'none',
      unit: 'ms',
      min: 1,
    }),
  ]);
  per('circuitBreaking', 'Circuit breaking', 'connection-pool limits and ejecting an endpoint after consecutive errors; empty: none', (s) => {
    const c = entry(p, 'circuitBreaking', s);
    const f = (key: 'maxConnections' | 'maxPending' | 'maxRequests' | 'consecutiveErrors', label: string): KnobField =>
      num({ id: `circuitBreaking/${s}/${key}`, label: `${s}: ${label}`, value: c?.[key] ?? null, placeholder: 'none', min: 1 });
    return [
      f('maxConnections', 'max connections'),
      f('maxPending', 'max pending'),
      f('maxRequests', 'max requests'),
      f('consecutiveErrors', 'consecutive errors'),
      num({ id: `circuitBreaking/${s}/ejection`, label: `${s}: ejection time`, value: c?.ejection ?? null, placeholder: 'default', unit: 'ms', min: 1 }),
    ];
  });
  per('loadBalancing', 'Load balancing', 'how the client sidecar picks an endpoint', (s) => [
    {
      id: `loadBalancing/${s}/algorithm`,
      label: `${s}: algorithm`,
      type: 'choice',
      value: entry(p, 'loadBalancing', s)?.algorithm ?? null,
      options: [DEFAULT, ...['least-request', 'round-robin', 'random'].map((v) => ({ value: v, label: v }))],
    },
  ]);
  if (scenario.external.length || p.egress) {
    const e = p.egress;
    groups.push({
      id: 'egress',
      title: 'Egress',
      hint: 'registry-only: only the allowed hosts can be reached from inside the mesh',
      fields: [
        {
          id: 'egress/mode',
          label: 'mode',
          type: 'choice',
          value: e?.mode ?? null,
          options: [DEFAULT, { value: 'allow-any', label: 'allow-any' }, { value: 'registry-only', label: 'registry-only' }],
        },
        // One toggle per host, whatever its ports (allow names a host: all of its ports).
        ...[...new Set(scenario.external.map((x) => x.host))].map((host): KnobField => ({
          id: `egress/allow/${host}`,
          label: `allow ${host}`,
          type: 'toggle',
          value: e?.allow.includes(host) ?? false,
          disabled: e?.mode !== 'registry-only',
        })),
        { id: 'egress/gateway', label: 'through an egress gateway', type: 'toggle', value: e?.gateway ?? false, disabled: e === undefined },
      ],
    });
  }
  const edited = new Map((edits.native ?? []).map((n) => [n.path, n.value]));
  const byResource = new Map<string, KnobGroup>();
  for (const s of nativeSettings(text)) {
    // The resource's own path: `istio[1]`, `changes[0].linkerd[2]`.
    const key = /^(changes\[\d+\]\.)?[a-z][a-z0-9]*\[\d+\]/.exec(s.path)![0];
    let g = byResource.get(key);
    if (!g) {
      const title = sectionEntry(s.section)?.title ?? s.section;
      const meshes = meshCatalog()
        .filter((m) => m.section === s.section)
        .map((m) => m.id);
      byResource.set(key, (g = { id: `native/${key}`, title: `${title}: ${s.resource}`, section: { key: s.section, title }, meshes, fields: [] }));
    }
    const value = edited.has(s.path) ? edited.get(s.path)! : s.value;
    g.fields.push({
      id: `native/${s.path}`,
      label: s.field,
      type: typeof s.value === 'number' ? 'number' : typeof s.value === 'boolean' ? 'toggle' : 'text',
      value,
    });
  }
  groups.push(...byResource.values());
  return groups;
}

function withEntry<K extends ServiceList>(p: Policies, key: K, service: string, change: (e: EntryOf<K> | undefined) => EntryOf<K> | undefined): EntryOf<K>[] {
  const list = [...((p[key] as EntryOf<K>[] | undefined) ?? [])];
  const i = list.findIndex((e) => e.service === service);
  const next = change(i >= 0 ? list[i] : undefined);
  if (i >= 0 && next) list[i] = next;
  else if (i >= 0) list.splice(i, 1);
  else if (next) list.push(next);
  return list;
}

/** Drops keys whose value is undefined (a cleared field). */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/**
 * The edits after knob `id` is set to `value` (null: not set). `scenario` is the file as loaded,
 * before any knob.
 */
export function setKnob(scenario: LoadedScenario, edits: ScenarioEdits, id: string, value: KnobValue): ScenarioEdits {
  if (id.startsWith('native/')) {
    const path = id.slice('native/'.length);
    const native: NativeEdit[] = (edits.native ?? []).filter((n) => n.path !== path);
    if (value !== null) native.push({ path, value });
    return { ...edits, native };
  }
  const p = policiesAfter(scenario.policies, edits.policies);
  const policies = { ...edits.policies };
  const [key, service, field] = id.split('/') as [string, string | undefined, string | undefined];
  const count = (v: KnobValue): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.round(v)) : undefined);
  const list = <K extends ServiceList>(k: K, change: (e: EntryOf<K> | undefined) => EntryOf<K> | undefined): void => {
    const next = withEntry(p, k, service!, change);
    policies[k] = (next.length ? next : null) as never;
  };
  switch (key) {
    case 'mtls':
      policies.mtls = value === null || value === '' ? null : (value as Policies['mtls']);
      break;
    case 'retries':
      list('retries', (e) => {
        if (field === 'attempts') return count(value) === undefined ? undefined : { ...e, service: service!, attempts: count(value)! };
        return e && compact({ ...e, perTryTimeout: count(value) || undefined });
      });
      break;
    case 'timeouts':
      list('timeouts', () => (count(value) ? { service: service!, request: count(value)! } : undefined));
      break;
    case 'circuitBreaking':
      list('circuitBreaking', (e) => {
        const next = compact({ ...e, service: service!, [field!]: count(value) || undefined });
        return Object.keys(next).length > 1 ? next : undefined;
      });
      break;
    case 'loadBalancing':
      list('loadBalancing', () => (value ? { service: service!, algorithm: value as EntryOf<'loadBalancing'>['algorithm'] } : undefined));
      break;
    case 'egress': {
      const e = p.egress ?? { mode: 'allow-any' as const, allow: [], gateway: false };
      if (service === 'mode') policies.egress = value ? { ...e, mode: value as 'allow-any' | 'registry-only' } : null;
      else if (service === 'gateway') policies.egress = { ...e, gateway: value === true };
      else if (service === 'allow' && field)
        policies.egress = { ...e, allow: value === true ? [...new Set([...e.allow, field])] : e.allow.filter((h) => h !== field) };
      break;
    }
    default:
      return edits;
  }
  return { ...edits, policies };
}

/** A knob's value as a link writes it: empty for "not set". */
export function knobText(value: KnobValue): string {
  return value === null ? '' : String(value);
}

/** A knob's value as a link carries it (`retries/reviews/attempts` = `0`): the value, or what is wrong. */
export function readKnob(groups: readonly KnobGroup[], id: string, text: string): { value: KnobValue } | string {
  const field = groups.flatMap((g) => g.fields).find((f) => f.id === id);
  if (!field) return `this scenario has no knob "${id}"`;
  if (text === '') return { value: null };
  switch (field.type) {
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) && n >= (field.min ?? 0) && (field.max === undefined || n <= field.max)
        ? { value: n }
        : `${id} must be a number${field.max === undefined ? ` ≥ ${field.min ?? 0}` : ` from ${field.min ?? 0} to ${field.max}`} (got "${text}")`;
    }
    case 'toggle':
      return text === 'true' || text === 'false' ? { value: text === 'true' } : `${id} must be true or false (got "${text}")`;
    case 'choice': {
      const options = (field.options ?? []).map((o) => o.value).filter(Boolean);
      return options.includes(text) ? { value: text } : `${id} must be one of ${options.join(', ')} (got "${text}")`;
    }
    case 'text':
      return { value: text };
  }
}
