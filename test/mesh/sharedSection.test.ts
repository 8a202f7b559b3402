/**
 * Two meshes may read one section (Istio's ambient mode will read `istio:` like its sidecar
 * mode): resources and changes follow the section, narration and expectations the mesh id. A
 * twin of the Istio profile registered under another id, reading `istio:`, shows each.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MESH_CATALOG, loadScenarioOrThrow, meshCatalog, namedMeshes } from '../../src/scenario/index.ts';
import { istioProfile, registerMesh, simulate } from '../../src/mesh/index.ts';
import { knobGroups } from '../../src/player/knobs.ts';
import { formatTrace, type TraceEvent } from '../../src/sim/index.ts';

const TWIN = 'istio-twin';
registerMesh({ id: TWIN, name: 'Istio twin', section: 'istio' }, { ...istioProfile, id: TWIN, name: 'Istio twin' });

const text = readFileSync('scenarios/config-push.yaml', 'utf8')
  // One line for the twin only, and its own expectations (the same as Istio's: it is Istio).
  .replace(/^narration:\n/m, `narration:\n  - at: 1s\n    mesh: ${TWIN}\n    text: Only the twin tells this.\n`)
  .replace(/^expect:\n {2}istio: (.*)$/m, (_all, istio: string) => `expect:\n  istio: ${istio}\n  ${TWIN}: ${istio}`);
const scenario = loadScenarioOrThrow(text, 'config-push.yaml');
const narration = (events: readonly TraceEvent[]): string[] => events.flatMap((e) => (e.type === 'narration' ? [e.text] : []));
const others = (events: readonly TraceEvent[]): TraceEvent[] => events.filter((e) => e.type !== 'narration');

describe('two meshes reading one section', () => {
  const istio = simulate(scenario, istioProfile);
  const twin = simulate(scenario, { ...istioProfile, id: TWIN, name: 'Istio twin' });

  it('the twin is named by the scenario through its own expect block', () => {
    expect(meshCatalog().map((m) => m.section)).toEqual([...MESH_CATALOG.map((m) => m.section), 'istio']);
    expect(namedMeshes(scenario)).toContain(TWIN);
  });

  it('both read the section and its changes: the twin’s istiod pushes the same edits at the same times', () => {
    expect(formatTrace(others(twin.trace.events))).toBe(formatTrace(others(istio.trace.events)));
    expect(twin.trace.events.some((e) => e.type === 'decision' && e.kind === 'config-push' && e.t === 2160)).toBe(true);
  });

  it('each tells its own narration, by mesh id', () => {
    expect(narration(twin.trace.events)).toContain('Only the twin tells this.');
    expect(narration(istio.trace.events)).not.toContain('Only the twin tells this.');
    expect(narration(twin.trace.events).filter((t) => t.startsWith('istiod sees the change'))).toEqual([]);
    expect(narration(istio.trace.events).filter((t) => t.startsWith('istiod sees the change'))).toHaveLength(1);
  });

  it('the section’s knobs matter to both', () => {
    const groups = knobGroups(scenario, text).filter((g) => g.section?.key === 'istio');
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect(g.meshes).toEqual([...MESH_CATALOG.filter((m) => m.section === 'istio').map((m) => m.id), TWIN]);
  });
});
