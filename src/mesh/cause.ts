/**
 * Building {@link Cause} records: every decision names the config that caused it, or says that
 * the mesh's default decided, with the documentation the rule follows.
 */
import type { Cause } from '../sim/index.ts';
import type { LoadedScenario } from '../scenario/index.ts';

/** The mesh's own default decided (no user config involved). */
export function defaultCause(config: string, source: string): Cause {
  return { config, isDefault: true, source };
}

/** User config at `path` of the scenario file decided; the cause carries its line. */
export function fileCause(scenario: LoadedScenario, config: string, path: string, source: string): Cause {
  const line = scenario.source.lines[path];
  return line === undefined ? { config, isDefault: false, source } : { config, isDefault: false, source, line };
}
