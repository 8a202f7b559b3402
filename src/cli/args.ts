/** Command-line arguments of mesh-sim, checked with messages that name the argument. */
import { MESH_IDS } from '../mesh/index.ts';
import { didYouMean } from '../scenario/messages.ts';

/** Bad usage: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

const COMMANDS = ['run', 'validate', 'check', 'schema'] as const;
const OPTIONS = ['--mesh', '--seed', '--set', '--trace'];

/** A checked command line: the command, its files and options. */
export interface Args {
  command: (typeof COMMANDS)[number] | 'help';
  files: string[];
  mesh?: string;
  seed?: number;
  sets: [string, string][];
  trace?: 'text' | 'json';
}

/** Parses `argv` (without node and the script); throws {@link UsageError} on bad usage. */
export function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (!command) throw new UsageError('a command is required');
  if (['help', '--help', '-h'].includes(command) || rest.includes('--help') || rest.includes('-h')) return { command: 'help', files: [], sets: [] };
  if (!(COMMANDS as readonly string[]).includes(command)) {
    const guess = didYouMean(command, COMMANDS);
    throw new UsageError(`unknown command "${command}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
  }
  const args: Args = { command: command as Args['command'], files: [], sets: [] };
  for (let i = 0; i < rest.length; i++) {
    // `--mesh=istio` is `--mesh istio`.
    const eq = rest[i]!.startsWith('--') ? rest[i]!.indexOf('=') : -1;
    const a = eq > 0 ? rest[i]!.slice(0, eq) : rest[i]!;
    const inline = eq > 0 ? rest[i]!.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--' && inline === undefined) {
      continue; // `--`, the conventional end of options: nothing to do, since no file starts with -
    } else if (a === '--mesh') {
      const m = value();
      if (!MESH_IDS.includes(m as never)) throw new UsageError(`--mesh must be ${MESH_IDS.join(' or ')} (got "${m}")`);
      args.mesh = m;
    } else if (a === '--seed') {
      const s = value();
      if (!/^\d+$/.test(s) || Number(s) > 2 ** 32 - 1) throw new UsageError(`--seed must be a whole number from 0 to 4294967295 (got "${s}")`);
      args.seed = Number(s);
    } else if (a === '--set') {
      const kv = value();
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`--set needs key=value (got "${kv}")`);
      args.sets.push([kv.slice(0, eq), kv.slice(eq + 1)]);
    } else if (a === '--trace') {
      const t = value();
      if (t !== 'text' && t !== 'json') throw new UsageError(`--trace must be text or json (got "${t}")`);
      args.trace = t;
    } else if (a.startsWith('-') && a !== '-') {
      const guess = didYouMean(a, OPTIONS);
      throw new UsageError(`unknown option ${a}${guess ? ` (did you mean ${guess}?)` : ''}`);
    } else {
      args.files.push(a);
    }
  }
  if (args.command === 'run') {
    if (args.files.length !== 1) throw new UsageError('run takes exactly one scenario file');
    if (!args.mesh) throw new UsageError('run needs --mesh');
  } else if (args.command === 'schema') {
    if (args.files.length) throw new UsageError('schema takes no files');
  } else if (args.files.length === 0) {
    throw new UsageError(`${args.command} needs at least one file`);
  } else if (args.mesh || args.seed !== undefined || args.sets.length || args.trace) {
    throw new UsageError(`${args.command} takes only files`);
  }
  return args;
}
