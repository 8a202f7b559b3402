/**
 * The native resources in effect for a scenario under a mesh, as YAML a user would apply: the
 * scenario's own, then those generated from its mesh-neutral `policies` (and `ingress`). For the
 * browser's YAML pane; a knob change shows as the lines that differ between two versions.
 */
import { stringify } from 'yaml';
import { durationLiteral, type LoadedScenario } from '../scenario/index.ts';
import type { MeshProfile } from './profiles/types.ts';

/** Keys whose values the loader turned into milliseconds, written back as durations. */
const DURATION_KEYS = new Set([
  'timeout',
  'perTryTimeout',
  'fixedDelay',
  'interval',
  'baseEjectionTime',
  'connectTimeout',
  'ttl',
  'request',
  'backendRequest',
  'requestTimeout',
  'retryBackoffBaseInterval',
]);

function printable(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && DURATION_KEYS.has(key)) return durationLiteral(value);
  if (Array.isArray(value)) return value.map((v) => printable(v));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, printable(v, k)]),
    );
  return value;
}

export interface EffectiveResource {
  kind: string;
  name: string;
  /** From the scenario file, or generated from its policies. */
  origin: 'file' | 'generated';
  yaml: string;
}

/** Every resource in effect, in apply order, each as YAML. */
export function effectiveResources(
  scenario: LoadedScenario,
  profile: Pick<MeshProfile, 'compile'> | { compile(s: LoadedScenario): { resources: { generated: unknown[]; authored: unknown[] } } },
): EffectiveResource[] {
  const { generated, authored } = profile.compile(scenario).resources;
  const entry = (r: unknown, origin: EffectiveResource['origin']): EffectiveResource => {
    const p = printable(r) as { kind: string; metadata: { name: string } };
    return { kind: p.kind, name: p.metadata.name, origin, yaml: stringify(p, { lineWidth: 0 }).trimEnd() };
  };
  return [...authored.map((r) => entry(r, 'file')), ...generated.map((r) => entry(r, 'generated'))];
}

/** All of them as one multi-document YAML text. */
export function effectiveYaml(scenario: LoadedScenario, profile: Parameters<typeof effectiveResources>[1]): string {
  return effectiveResources(scenario, profile)
    .map((r) => `# ${r.origin === 'file' ? 'from the scenario file' : 'generated from policies'}\n${r.yaml}`)
    .join('\n---\n');
}
