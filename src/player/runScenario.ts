/**
 * Simulating a scenario's text in one synchronous call, for programs, the command line and tests:
 * every shipped mesh profile is imported with this module, and what runs commands (commands.ts). The page and its simulation worker load
 * only the profiles they run (`loadProfile`, src/mesh/profiles/registry.ts) and call `runText`.
 */
import { PROFILES, keepProfiles } from '../mesh/index.ts';
import { runText } from './parse.ts';
import * as commands from './commands.ts';
import { keepCommands } from './edits.ts';
import type { RunOutcome, RunRequest } from './run.ts';

/** Parses (unless the request carries the loaded scenario) and simulates. Never throws for a bad scenario or mesh: those come back as problems. */
export function runScenario(req: RunRequest): RunOutcome {
  keepProfiles(Object.values(PROFILES));
  keepCommands(commands);
  return runText(req);
}
