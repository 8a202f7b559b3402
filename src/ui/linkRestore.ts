/**
 * A link's knobs and faults turned and injected again (`knob=`, `fault=` in the page's URL), before
 * the first run of its scenario: loaded when a link names any, so a first play does not carry it.
 */
import { applyLearnerEdits, loadCommands } from '../player/index.ts';
import { readCommand } from '../player/readCommand.ts';
import type { ScenarioFile } from './library.ts';
import type { Workbench } from './Workbench.ts';

/**
 * Turns `knobs` and injects `faults` (each as the link writes it, JSON) in `wb` for `file`; what
 * cannot be done is returned as messages naming the URL parameter, and left out. The panels
 * concerned open, so the learner sees what the link changed.
 */
export async function restoreLink(wb: Workbench, file: ScenarioFile, knobs: readonly [string, string][], faults: readonly string[]): Promise<string[]> {
  wb.reset(file);
  const base = await wb.base();
  if (!base) return [];
  const errors: string[] = [];
  if (knobs.length) errors.push(...(await wb.knobs.open()).restore(base, knobs));
  if (faults.length) await loadCommands();
  let read = 0;
  for (const text of faults) {
    const c = readCommand(text);
    if (typeof c === 'string') {
      errors.push(`URL parameter fault: ${c}; left out`);
      continue;
    }
    read++;
    const check = applyLearnerEdits(base, file.file, { ...wb.lab.edits, commands: [...wb.lab.current.commands, c] });
    if (check.ok) wb.lab.inject(c);
    else errors.push(`URL parameter fault: ${check.problems.map((p) => p.message).join('; ')}; left out`);
  }
  if (read) void wb.whatIf.open();
  return errors;
}
