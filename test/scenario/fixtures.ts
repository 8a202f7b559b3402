/** Reading test fixtures by their repository path, the way the CLI names files in messages. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';
import { z } from '../../src/scenario/zodSetup.ts';
import { istioResource } from '../../src/scenario/native/istio.ts';
import { linkerdResource } from '../../src/scenario/native/linkerd.ts';

/** The repository root (messages name files relative to it, as `npm run sim` does). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function readFixture(path: string): string {
  return readFileSync(ROOT + path, 'utf8');
}

/** Repository paths of the files in `dir` (`scenarios`, `test/fixtures/valid`). */
export function filesIn(dir: string): string[] {
  return readdirSync(ROOT + dir)
    .sort()
    .map((f) => `${dir}/${f}`);
}

/** The formatted problem lines for a file, or `['ok']`. */
export function problemLines(path: string, text = readFixture(path)): string[] {
  const r = parseScenario(text, path);
  return r.ok ? ['ok'] : r.problems.map(formatProblem);
}

/** The library scenarios plus the valid fixtures written for these tests. */
export const VALID_FILES = [...filesIn('scenarios'), ...filesIn('test/fixtures/valid')];

/**
 * The kinds each mesh's resource list accepts, read from the schema itself: another engineer
 * adds kinds, and the messages must list whatever is supported at the time.
 */
export function supportedKinds(mesh: 'istio' | 'linkerd'): string[] {
  const meta = z.globalRegistry.get((mesh === 'istio' ? istioResource : linkerdResource) as never) as { kindUnion: Record<string, unknown> };
  // One kind may have two schemas, told apart by apiVersion (Istio's Gateway, a waypoint Gateway).
  return Object.values(meta.kindUnion).map((schema) => (schema as { shape: { kind: { value: string } } }).shape.kind.value);
}
