import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { loadScenarioOrThrow } from '../../src/scenario/index.ts';
import { simulate, PROFILES, checkExpectations, MESH_IDS } from '../../src/mesh/index.ts';

const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));

describe('scenario library', () => {
  it('has at least four scenarios', () => expect(files.length).toBeGreaterThanOrEqual(4));

  for (const file of files) {
    const scenario = loadScenarioOrThrow(readFileSync(`scenarios/${file}`, 'utf8'), `scenarios/${file}`);
    it(`${file}: has narration and an expect block for both meshes`, () => {
      expect(scenario.narration.length).toBeGreaterThan(0);
      for (const mesh of MESH_IDS) expect(scenario.expect[mesh], mesh).toBeDefined();
    });
    for (const mesh of MESH_IDS) {
      it(`${file} under ${mesh} meets its expect block`, () => {
        const { report } = simulate(scenario, PROFILES[mesh]!);
        const misses = checkExpectations(report, scenario.expect[mesh] ?? {}).filter((r) => !r.pass);
        expect(misses).toEqual([]);
      });
    }
  }
});
