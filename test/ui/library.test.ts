import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { LIBRARY, libraryFile, pickerTitle } from '../../src/ui/library.ts';
import { COURSE } from '../../build/course.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { toSource } from '../../build/scenarioLibrary.ts';

describe('scenario library order', () => {
  it('places every scenario in scenarios/ in the course order, and names none that is gone', () => {
    const files = readdirSync('scenarios')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    expect([...COURSE].sort()).toEqual(files.sort());
  });

  it('lists the library in that order, starting with hello-mesh', () => {
    expect(LIBRARY.map((s) => s.key)).toEqual(COURSE);
  });
});

describe('the library as compiled when the site is built', () => {
  for (const key of COURSE)
    it(`holds ${key} exactly as the loader reads its file`, async () => {
      const file = `scenarios/${key}.yaml`;
      const text = readFileSync(file, 'utf8');
      const compiled = await libraryFile(key);
      expect(compiled?.file).toBe(file);
      expect(compiled?.text).toBe(text);
      // toStrictEqual: a key the loader leaves as undefined must be there, as undefined.
      const loaded = parseScenario(text, file);
      expect(compiled?.loaded).toStrictEqual(loaded);
      expect(loaded.ok).toBe(true);
      const entry = LIBRARY.find((s) => s.key === key)!;
      expect(pickerTitle(entry)).toBe(loaded.ok ? loaded.scenario.title : null);
    });

  it('has nothing for a key that is not in the library', async () => {
    expect(await libraryFile('no-such-scenario')).toBeUndefined();
  });

  it('writes values JSON would lose, and refuses what is not plain data', () => {
    const value = { a: undefined, b: [NaN, -0, Infinity, -Infinity, 1.5], c: 'x"\n', d: null, e: true };
    const back = new Function(`return ${toSource(value)}`)() as typeof value;
    expect(back).toStrictEqual(value);
    expect(Object.is(back.b[1], -0)).toBe(true);
    expect(() => toSource({ m: new Map() })).toThrow(/\[object Map\]/);
  });
});
