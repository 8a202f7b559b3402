import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { LIBRARY, libraryFile, pickerTitle, prebuiltRun } from '../../src/ui/library.ts';
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

describe('a library chunk asked for again', () => {
  // A second import() of a module already loaded still waits for a task of its own in Chromium,
  // and the page may render a frame in between: the page's entry script asks first (earlyStart.ts),
  // the app again on its way to its first picture.
  it('is the load begun the first time, not another import', async () => {
    const first = prebuiltRun('retries-flaky-pod', 'istio');
    expect(first).not.toBeNull();
    expect(prebuiltRun('retries-flaky-pod', 'istio')).toBe(first);
    const file = await libraryFile('retries-flaky-pod');
    expect(file?.runs?.istio?.()).toBe(first);
    expect(prebuiltRun('retries-flaky-pod', 'linkerd')).not.toBe(first);
  });
});
