/**
 * The property both fuzz tests check, on 5,000 broken variants each of the valid scenarios: the
 * loader never throws, every problem points at a line of the text with a one-line message, and
 * whatever loads, loads the same again from its own data written as JSON (the loader is
 * deterministic and reads YAML and JSON alike). That re-load uses the same loader, so it cannot
 * show the schema accepting something it should not; the broken-file and reference tests do.
 * Fixed seeds: a failure reproduces, and every run is the same.
 */
import { expect, vi } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { parseScenario, type LoadResult } from '../../src/scenario/index.ts';
import { VALID_FILES, readFixture } from './fixtures.ts';
import { seed, type Seed } from './mutations.ts';

export const SEEDS: Seed[] = VALID_FILES.map((file) => seed(file, readFixture(file)));

const ZOD_WORDING = /^(Invalid|Too small|Too big|Unrecognized|Expected)|unknown-keys:|internal error/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** What is wrong with the problems reported for `text`, or nothing. */
function located(result: LoadResult, text: string, file: string): string | undefined {
  if (result.ok) return undefined;
  const textLines = text.split(/\r\n|\r|\n/);
  const lineCount = textLines.length;
  if (result.problems.length === 0) return 'failed without a problem';
  for (const p of result.problems) {
    if (p.file !== file) return `problem names file ${p.file}`;
    if (!Number.isInteger(p.line) || p.line < 1 || p.line > lineCount) return `line ${p.line} is not a line of the text (1..${lineCount})`;
    if (!Number.isInteger(p.column) || p.column < 1 || p.column > textLines[p.line - 1]!.length + 1) return `column ${p.column} is not on line ${p.line}`;
    if (p.message.trim() === '') return 'empty message';
    if (ZOD_WORDING.test(p.message)) return `untranslated message: ${p.message}`;
    if (CONTROL.test(p.message + p.path)) return `a line break or control character in: ${JSON.stringify(`${p.path} ${p.message}`)}`;
  }
  const order = result.problems.map((p) => p.line * 1e6 + p.column);
  if (order.some((v, i) => i > 0 && v < order[i - 1]!)) return 'problems out of line order';
  return undefined;
}

/** A scenario that loaded loads again, to the same scenario, from its data written as JSON. */
function reloadsTheSame(result: LoadResult, text: string): string | undefined {
  if (!result.ok) return undefined;
  const again = parseScenario(JSON.stringify(parse(text, { merge: true, logLevel: 'error' })), 'again.json');
  if (!again.ok) return `loaded, but not from its own data as JSON: ${again.problems[0]!.message}`;
  const { source: _a, ...first } = result.scenario;
  const { source: _b, ...second } = again.scenario;
  return JSON.stringify(first) === JSON.stringify(second) ? undefined : 'loads differently from its own data';
}

/** Runs the property over `files`; both outcomes must occur often enough to mean something. */
export function checkLoaderOn(files: fc.Arbitrary<{ file: string; text: string }>, seedValue: number): void {
  const outcomes = { ok: 0, problems: 0 };
  // Node prints warnings straight to stderr: a course author would see them beside the problems.
  const warnings = vi.spyOn(process, 'emitWarning');
  fc.assert(
    fc.property(files, ({ file, text }) => {
      let result: LoadResult;
      try {
        result = parseScenario(text, file);
      } catch (e) {
        throw new Error(`parseScenario threw: ${(e as Error).stack}`, { cause: e });
      }
      outcomes[result.ok ? 'ok' : 'problems']++;
      const wrong =
        located(result, text, file) ??
        reloadsTheSame(result, text) ??
        (warnings.mock.calls.length ? `printed a warning: ${String(warnings.mock.calls[0]![0])}` : undefined);
      if (wrong) throw new Error(wrong);
    }),
    { numRuns: 5000, seed: seedValue },
  );
  expect(warnings).not.toHaveBeenCalled();
  warnings.mockRestore();
  expect(outcomes.problems).toBeGreaterThan(2500);
  expect(outcomes.ok).toBeGreaterThan(50);
}
