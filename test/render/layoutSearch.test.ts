/**
 * The layout's search (render/layout.ts) passes by an arrangement that could not win even as
 * narrow as its columns (placement.ts leastWidth), unplaced. That is exact only while no placed
 * picture is narrower than its least width: checked here for every arrangement of pictures with
 * gateways, waypoints, Kubernetes-node bands, folded replicas and the 60-pod load.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { VARIANTS, layoutModel } from '../../src/render/layout.ts';
import { modelOf, type LayoutModel } from '../../src/render/layoutModel.ts';
import { leastWidth, place } from '../../src/render/placement.ts';
import { loadProfile } from '../../src/mesh/index.ts';
import { runScenario, type Trace } from '../../src/player/index.ts';
import { runTextPreviewed } from '../../src/player/parse.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';

function libraryModel(id: string, mesh: string): LayoutModel {
  const file = `scenarios/${id}.yaml`;
  const outcome = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.text).join('\n'));
  return modelOf(outcome.trace);
}

/** The 60 s, 1,000 requests/s load's preview, as the page lays it out first (its counters as wide as the whole run's). */
function loadModel(): LayoutModel {
  let found: { trace: Trace; scale: number } | null = null;
  const stop = new Error('preview taken');
  try {
    runTextPreviewed({ text: loadScenarioYaml(20, 3, 1000, 60), file: 'load.yaml', mesh: 'istio' }, (o) => {
      if (o.ok) found = { trace: o.trace, scale: o.scenario.duration / o.trace.durationMs };
      throw stop;
    });
  } catch (e) {
    if (e !== stop) throw e;
  }
  if (!found) throw new Error('no preview');
  const { trace, scale } = found;
  return modelOf(trace, { requestsScale: scale });
}

describe('the layout search', () => {
  const models = new Map<string, LayoutModel>();
  beforeAll(async () => {
    for (const mesh of ['istio', 'linkerd', 'ambient']) await loadProfile(mesh);
    for (const [id, mesh] of [
      ['retries-flaky-pod', 'istio'],
      ['ingress-gateway', 'linkerd'],
      ['egress-control', 'istio'],
      ['ambient-waypoint-l7', 'ambient'],
      ['canary-split', 'istio'],
      ['retry-storm', 'linkerd'],
    ])
      models.set(`${id}:${mesh}`, libraryModel(id!, mesh!));
    models.set('load', loadModel());
  });

  it('never places an arrangement narrower than its least width', () => {
    for (const [name, model] of models)
      for (const v of VARIANTS.filter((x) => !x.grid)) {
        const least = leastWidth(model, v, new Set());
        expect(least, `${name} ${JSON.stringify(v)}`).toBeGreaterThan(0);
        expect(least, `${name} ${JSON.stringify(v)}`).toBeLessThanOrEqual(place(model, v, new Set()).bounds.w);
      }
  });

  it('lays the 60-pod load out in two lines of columns, as trying every arrangement did', () => {
    const model = models.get('load')!;
    expect(layoutModel(model, { viewport: { w: 1048, h: 646 } }).variant).toBe('tall/1/wrapped/dense');
    expect(layoutModel(model, { viewport: { w: 469, h: 401 } }).variant).toBe('tall/1/wrapped');
  });
});
