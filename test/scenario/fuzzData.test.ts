/** 5,000 scenario files whose data is wrong: keys removed, doubled or misspelt, values of the wrong type. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SEEDS, checkLoaderOn } from './fuzz.ts';
import { parse } from 'yaml';
import { dataEdit, mutate, textEdit, toYaml } from './mutations.ts';

const wrongData = fc
  .record({
    seed: fc.constantFrom(...SEEDS),
    data: fc.array(dataEdit, { minLength: 1, maxLength: 3 }),
    text: fc.array(textEdit, { maxLength: 1 }),
  })
  .map(({ seed, data, text }) => ({ file: seed.file, text: mutate(seed, data, text) }));

describe('parseScenario on files with data edits', () => {
  it('starts from seeds the test writes back faithfully', () => {
    for (const s of SEEDS) expect(parse(toYaml(s.data))).toEqual(s.data);
  });

  // Parsing YAML is most of the work; a shared, busy machine gets room, the test still asserts no time.
  it(
    'never throws, locates every problem on a line of the text, and loads deterministically (the same again from its data as JSON)',
    { timeout: 300_000 },
    () => {
      checkLoaderOn(wrongData, 19_700_101);
    },
  );
});
