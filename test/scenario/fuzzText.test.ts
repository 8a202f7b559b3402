/** 5,000 scenario files broken as typing breaks them: cuts, swapped letters, stray punctuation, indentation. */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { SEEDS, checkLoaderOn } from './fuzz.ts';
import { mutate, textEdit } from './mutations.ts';

const typos = fc
  .record({ seed: fc.constantFrom(...SEEDS), edits: fc.array(textEdit, { minLength: 1, maxLength: 3 }) })
  .map(({ seed, edits }) => ({ file: seed.file, text: mutate(seed, [], edits) }));

describe('parseScenario on files with text edits', () => {
  // Parsing YAML is most of the work; a shared, busy machine gets room, the test still asserts no time.
  it(
    'never throws, locates every problem on a line of the text, and loads deterministically (the same again from its data as JSON)',
    { timeout: 300_000 },
    () => {
      checkLoaderOn(typos, 20_240_611);
    },
  );
});
