/** Reading test fixtures by their repository path, the way the CLI names files in messages. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';

/** The repository root (messages name files relative to it, as `npm run sim` does). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function readFixture(path: string): string {
  return readFileSync(ROOT + path, 'utf8');
}

/** Repository paths of the files in `dir` (`scenarios`, `test/fixtures/valid`). */
export function filesIn(dir: string): string[] {
  return readdirSync(ROOT + dir).sort().map((f) => `${dir}/${f}`);
}

/** The formatted problem lines for a file, or `['ok']`. */
export function problemLines(path: string, text = readFixture(path)): string[] {
  const r = parseScenario(text, path);
  return r.ok ? ['ok'] : r.problems.map(formatProblem);
}

/** The library scenarios plus the valid fixtures written for these tests. */
export const VALID_FILES = [...filesIn('scenarios'), ...filesIn('test/fixtures/valid')];
