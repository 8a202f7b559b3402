import { describe, expect, it, vi } from 'vitest';
import {
  MESH_CATALOG,
  NATIVE_SECTIONS,
  SCENARIO_KEYS,
  addToCatalog,
  meshCatalog,
  namedMeshes,
  nativeSection,
  nativeSections,
  scenarioJsonSchema,
  scenarioSchema,
  loadScenarioOrThrow,
} from '../../src/scenario/index.ts';
import { problemLines } from './fixtures.ts';
import { comparePanes, offeredMeshes } from '../../src/player/run.ts';

const ids = MESH_CATALOG.map((m) => m.id);
const keys = Object.keys(NATIVE_SECTIONS);

const BASE = `id: cat
title: Catalog
duration: 10s
services:
  - name: web
`;
const lines = (more: string): string[] => problemLines('cat.yaml', BASE + more);

describe('the mesh catalog', () => {
  it('lists each mesh once, with a section the catalog has', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of MESH_CATALOG) expect(nativeSection(m.section), m.id).toBeDefined();
    expect(meshCatalog()).toEqual(MESH_CATALOG);
    expect(nativeSections().map((s) => s.key)).toEqual(keys);
  });

  it('keeps its list of scenario keys in step with the schema: a section can take none of them', () => {
    const schemaKeys = Object.keys(scenarioSchema().shape);
    expect(schemaKeys.filter((k) => !keys.includes(k))).toEqual(SCENARIO_KEYS);
    expect(keys.filter((k) => SCENARIO_KEYS.includes(k))).toEqual([]);
  });
});

describe('the schema, built from the catalog', () => {
  const json = scenarioJsonSchema() as { properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  it('has each section as a list at the top level and in each change', () => {
    const changeKeys = Object.keys(json.properties.changes.items.properties);
    for (const key of keys) {
      expect(json.properties[key].type, key).toBe('array');
      expect(changeKeys, key).toContain(key);
    }
  });

  it('has one expect key per mesh, and takes mesh ids for narration and meshes', () => {
    expect(Object.keys(json.properties.expect.properties)).toEqual(ids);
    expect(json.properties.narration.items.properties.mesh.enum).toEqual(ids);
    expect(json.properties.meshes.items.enum).toEqual(ids);
  });

  it('refuses a mesh id the catalog does not have, with a suggestion, wherever it is named', () => {
    expect(lines('meshes: [istoi]\nnarration:\n  - at: 1s\n    text: hi\n    mesh: linkrd\nexpect:\n  istoi: { ok: "> 0" }\n')).toEqual([
      `cat.yaml:6:10: meshes[0] must be one of ${ids.join(', ')} (got "istoi"; did you mean "istio"?)`,
      `cat.yaml:10:11: narration[0].mesh must be one of ${ids.join(', ')} (got "linkrd"; did you mean "linkerd"?)`,
      'cat.yaml:12:3: expect.istoi is an unknown key (did you mean "istio"?)',
    ]);
  });
});

describe('meshes: the meshes a scenario is written for', () => {
  it('are the meshes its expect block names when it has no meshes list, in catalog order', () => {
    const s = loadScenarioOrThrow(`${BASE}expect:\n  linkerd: { ok: "> 0" }\n  istio: { ok: "> 0" }\n`, 'cat.yaml');
    expect(namedMeshes(s)).toEqual(['istio', 'linkerd']);
  });

  it('are the list, in its order, when there is one; then expect may leave a mesh out', () => {
    const s = loadScenarioOrThrow(`${BASE}meshes: [linkerd, istio]\nexpect:\n  istio: { ok: "> 0" }\n`, 'cat.yaml');
    expect(namedMeshes(s)).toEqual(['linkerd', 'istio']);
  });

  it('are none when the file names none', () => {
    expect(namedMeshes(loadScenarioOrThrow(BASE, 'cat.yaml'))).toEqual([]);
  });

  it('must each be listed once, and cover what the file expects and narrates of a mesh', () => {
    expect(
      lines('meshes: [istio, istio]\nnarration:\n  - at: 1s\n    text: hi\n    mesh: linkerd\nexpect:\n  istio: { ok: "> 0" }\n  linkerd: { ok: "> 0" }\n'),
    ).toEqual([
      'cat.yaml:6:17: meshes[1] names mesh "istio" a second time (first declared earlier on this line)',
      'cat.yaml:10:11: narration[0].mesh is a mesh that meshes does not list (istio, istio): the line would never show',
      'cat.yaml:13:3: expect.linkerd is for a mesh that meshes does not list (istio, istio): add it there, or check never runs it',
    ]);
  });

  it('is not an empty list', () => {
    expect(lines('meshes: []\n')).toEqual(['cat.yaml:6:9: meshes must list at least one mesh']);
  });
});

describe('compare: the meshes compare mode opens with', () => {
  it('are the list, when every one is offered; else the first two the scenario is offered under', () => {
    const s = loadScenarioOrThrow(`${BASE}meshes: [istio, linkerd, ambient]\ncompare: [istio, ambient]\n`, 'cat.yaml');
    expect(comparePanes(s, offeredMeshes(s))).toEqual(['istio', 'ambient']);
    const plain = loadScenarioOrThrow(`${BASE}meshes: [istio, linkerd, ambient]\n`, 'cat.yaml');
    expect(comparePanes(plain, offeredMeshes(plain))).toEqual(['istio', 'linkerd']);
    // A mesh a build does not offer (an extension's test scenario) leaves the default.
    expect(comparePanes(s, ['istio', 'linkerd'])).toEqual(['istio', 'linkerd']);
  });

  it('lists 2 to 6 known meshes the scenario is written for, each named at its line', () => {
    expect(lines('meshes: [istio, ambient]\ncompare: [istio, linkerd]\n')).toEqual([
      'cat.yaml:7:18: compare[1] is a mesh the scenario is not written for (istio, ambient): compare could not show it',
    ]);
    expect(lines('compare: [istio]\n')).toEqual(['cat.yaml:6:10: compare must list 2 to 6 meshes']);
    // Every HTTP mesh at once (five), and a mesh twice up to six; seven is one too many.
    const five = 'meshes: [istio, linkerd, ambient, consul, osm]\n';
    expect(lines(`${five}compare: [istio, linkerd, ambient, consul, osm]\n`)).toEqual(['ok']);
    expect(lines(`${five}compare: [istio, linkerd, ambient, consul, osm, istio]\n`)).toEqual(['ok']);
    expect(lines(`${five}compare: [istio, linkerd, ambient, consul, osm, istio, linkerd]\n`)).toEqual(['cat.yaml:7:10: compare must list 2 to 6 meshes']);
    expect(lines('compare: [istio, ambiant]\n')[0]).toMatch(/^cat\.yaml:6:18: compare\[1\] must be one of istio, linkerd, .*did you mean "ambient"/);
  });
});

describe('addToCatalog', () => {
  const section = { ...NATIVE_SECTIONS.linkerd, key: 'other' };
  it.each([
    [{ id: 'Madeup', name: 'Madeup', section: 'istio' }, undefined, 'mesh id "Madeup" must be lowercase letters, digits and dashes'],
    [{ id: 'istio', name: 'Istio again', section: 'istio' }, undefined, 'mesh id "istio" is taken'],
    [{ id: 'compare', name: 'Compare', section: 'istio' }, undefined, 'mesh id "compare" is taken'],
    [{ id: 'made-up', name: 'Madeup', section: 'madeup' }, undefined, 'mesh made-up reads section "madeup", which is not in the catalog: pass its definition'],
    [{ id: 'made-up', name: 'Madeup', section: 'madeup' }, section, 'mesh made-up reads section "madeup", not "other"'],
    [{ id: 'made-up', name: 'Madeup', section: 'services' }, { ...section, key: 'services' }, 'section key "services" is a scenario key'],
    [
      { id: 'made-up', name: 'Madeup', section: 'linkerd' },
      { ...section, key: 'linkerd' },
      'section "linkerd" exists already: name it in the entry and pass no section',
    ],
    [{ id: 'made-up', name: 'Madeup', section: 'con-sul' }, { ...section, key: 'con-sul' }, 'section key "con-sul" must be lowercase letters and digits'],
  ])('refuses %o', (entry, sec, message) => {
    expect(() => addToCatalog(entry, sec)).toThrow(message);
    expect(meshCatalog()).toEqual(MESH_CATALOG);
    expect(nativeSections().map((s) => s.key)).toEqual(keys);
  });
});

describe('a mesh registered before the schema module loads', () => {
  it('is in the schema all the same (a build loads the schemas lazily, after extensions registered)', async () => {
    vi.resetModules();
    const catalog = await import('../../src/scenario/catalog.ts');
    const sections = await import('../../src/scenario/nativeSections.ts');
    catalog.addToCatalog({ id: 'late-mesh', name: 'Late', section: 'late' }, { ...sections.NATIVE_SECTIONS.linkerd, key: 'late', title: 'Late' });
    const { parseScenario } = await import('../../src/scenario/load.ts');
    const r = parseScenario(`${BASE}late: []\nexpect:\n  late-mesh: { total: 0 }\n`, 'cat.yaml');
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([]);
  });
});
