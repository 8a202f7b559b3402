/** Running the CLI in-process with its output captured, as a test reads it. */
import { main } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
  /** stderr as one text, lines joined. */
  stderr: string;
}

export function cli(...argv: string[]): CliRun {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err, stderr: err.join('\n') };
}

/** A stack trace line (`    at parse (src/scenario/load.ts:12:3)`). */
export const STACK_LINE = /^\s+at .+[:(]/m;
