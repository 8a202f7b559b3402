/**
 * Files sharing a worker's modules (vitest.config.ts, `isolate: false`) must leave them as they
 * found them: a file that registers a mesh, mocks or resets modules, spies on something or sets
 * an environment variable runs isolated, so it is in the config's ISOLATED list.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATED } from '../vitest.config.ts';

/** What changes the process for the files after it (a helper's use counts for the files importing it). */
const SIDE_EFFECTS =
  /\bvi\.(mock|doMock|resetModules|spyOn|stubGlobal|stubEnv|useFakeTimers)\b|\bregisterMesh\(|\baddToCatalog\(|(import|from)\s+'[^']*linkerdCopy\.ts'|process\.env\.\w+ =|fuzz\.ts'/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the isolated test files', () => {
  it('are every test file that changes what files sharing a worker share, and nothing else', () => {
    const changing = testFiles('test').filter((f) => f !== 'test/isolated.test.ts' && SIDE_EFFECTS.test(readFileSync(f, 'utf8')));
    // preload.test asserts profiles not loaded yet: it needs a fresh process, though it changes nothing itself.
    expect([...changing, 'test/player/preload.test.ts'].sort()).toEqual([...ISOLATED].sort());
  });
});
