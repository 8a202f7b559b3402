/** Command-line arguments of mesh-sim, checked with messages that name the argument. */
import { MESH_IDS } from '../mesh/index.ts';
import { didYouMean } from '../scenario/messages.ts';
import { LESSON_FORMATS, type LessonFormat } from '../lesson/lesson.ts';

/** Bad usage: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

const COMMANDS = ['run', 'validate', 'check', 'schema', 'package'] as const;
const OPTIONS = ['--mesh', '--seed', '--set', '--trace', '--format', '--out', '--mastery', '--id', '--dist'];
/** The meshes a lesson can open on: one, or both side by side. */
const LESSON_MESHES = [...MESH_IDS, 'compare'];

/** A checked command line: the command, its files and options. */
export interface Args {
  command: (typeof COMMANDS)[number] | 'help';
  files: string[];
  mesh?: string;
  seed?: number;
  sets: [string, string][];
  trace?: 'text' | 'json';
  /** `package`: the LMS format, the zip to write, the mastery score, the lesson's id, a ready build. */
  format?: LessonFormat;
  out?: string;
  mastery?: number;
  id?: string;
  dist?: string;
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
      const meshes: readonly string[] = args.command === 'package' ? LESSON_MESHES : MESH_IDS;
      if (!meshes.includes(m)) throw new UsageError(`--mesh must be ${meshes.join(' or ')} (got "${m}")`);
      args.mesh = m;
    } else if (a === '--format') {
      const f = value();
      if (!(LESSON_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${LESSON_FORMATS.join(', ')} (got "${f}")`);
      args.format = f as LessonFormat;
    } else if (a === '--out' || a === '-o') {
      args.out = value();
    } else if (a === '--mastery') {
      const m = value();
      if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(m))
        throw new UsageError(`--mastery must be a number from 0 to 1, the share of checkpoints to answer right (got "${m}")`);
      args.mastery = Number(m);
    } else if (a === '--id') {
      const id = value();
      if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(id))
        throw new UsageError(`--id must be an IRI such as https://courses.example.com/mesh/lesson-3 or urn:example:lesson-3 (got "${id}")`);
      args.id = id;
    } else if (a === '--dist') {
      args.dist = value();
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
    if (args.format || args.out || args.mastery !== undefined || args.id || args.dist)
      throw new UsageError('--format, -o, --mastery, --id and --dist are options of package');
  } else if (args.command === 'package') {
    if (args.files.length !== 1) throw new UsageError('package takes exactly one scenario file');
    if (!args.format) throw new UsageError(`package needs --format (one of ${LESSON_FORMATS.join(', ')})`);
    if (args.seed !== undefined || args.sets.length || args.trace) throw new UsageError('package takes --format, -o, --mesh, --mastery, --id and --dist');
  } else if (args.command === 'schema') {
    if (args.files.length) throw new UsageError('schema takes no files');
  } else if (args.files.length === 0) {
    throw new UsageError(`${args.command} needs at least one file`);
  } else if (
    args.mesh ||
    args.seed !== undefined ||
    args.sets.length ||
    args.trace ||
    args.format ||
    args.out ||
    args.mastery !== undefined ||
    args.id ||
    args.dist
  ) {
    throw new UsageError(`${args.command} takes only files`);
  }
  return args;
}
