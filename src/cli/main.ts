/**
 * The command line (DESIGN.md "Command line"): `npm run sim -- <command>`, also the package's bin.
 *
 *   run <scenario> --mesh istio|linkerd [--seed N] [--set key=value ...] [--trace text|json]
 *   validate <files...>     exit 0 when all are valid, else 2 with file:line:column messages
 *   check <files...>        run each scenario under each mesh it names (`meshes`, else `expect`); exit 1 on a miss
 *   schema                  the JSON Schema of scenario files
 *   package <scenario> --format scorm12|scorm2004|cmi5 [-o lesson.zip]
 *                           a lesson zip for an LMS (builds the simulator once, on demand)
 *
 * Exit codes: 0 all good, 1 an expectation missed (check), 2 bad usage or a bad scenario file,
 * 3 a bug in mesh-sim itself — never 1, so a crash cannot pass for a missed expectation in CI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseScenario, formatProblem, scenarioJsonSchema, namedMeshes, type LoadedScenario } from '../scenario/index.ts';
import { simulate, profileById, checkExpectations, dataPlaneProblems, MESH_IDS, type AnyMeshProfile } from '../mesh/index.ts';
import { formatTrace } from '../sim/index.ts';
import { parseArgs, UsageError, type Args } from './args.ts';
import { LESSON_FORMATS } from '../lesson/lesson.ts';
import { packLesson } from '../lesson/pack.ts';
import { buildSite, readSite } from './siteBuild.ts';

/** The usage text; a function, so meshes registered after this module loaded are listed too. */
const usage = (): string => `usage: mesh-sim <command>
  run <scenario> --mesh ${MESH_IDS.join('|')} [--seed N] [--set key=value ...] [--trace text|json]
                          simulate; print the run report as JSON
  validate <files...>     check scenario files; exit 2 with file:line:column messages
  check <files...>        run each scenario under the meshes it names; exit 1 on a miss
  schema                  print the JSON Schema of scenario files
  package <scenario> --format ${LESSON_FORMATS.join('|')} [-o lesson.zip] [--mesh M] [--mastery 0.8] [--id IRI] [--dist dir]
                          a lesson zip for an LMS: the built simulator (built on first use), the
                          scenario, the manifest and a launcher that reports progress and score
exit codes: 0 ok, 1 an expectation missed, 2 bad usage or scenario file, 3 internal error`;

/** Where the CLI writes: the real streams, or a test's buffers. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Loads a scenario file, applying `--set` overrides; problems go to stderr. */
function load(file: string, sets: [string, string][], io: Io): LoadedScenario | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`${file}: cannot read the file: ${readError(e as NodeJS.ErrnoException)}`);
    return undefined;
  }
  const r = parseScenario(text, file, { overrides: sets });
  if (!r.ok) {
    for (const p of r.problems) io.err(formatProblem(p));
    return undefined;
  }
  return r.scenario;
}

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export function main(argv: string[], io: Io = { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') }): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`mesh-sim: ${e.message}\n${usage()}`);
      return 2;
    }
    throw e;
  }
  try {
    return execute(args, io);
  } catch (e) {
    const err = e as Error;
    io.err(`mesh-sim: internal error (a bug in mesh-sim, not in your scenario; please report it): ${err.message}\n${err.stack ?? ''}`);
    return 3;
  }
}

function execute(args: Args, io: Io): number {
  switch (args.command) {
    case 'help':
      io.out(usage());
      return 0;
    case 'schema':
      io.out(JSON.stringify(scenarioJsonSchema(), null, 2));
      return 0;
    case 'validate': {
      let bad = 0;
      for (const file of args.files) if (!load(file, [], io)) bad++;
      if (bad === 0) io.out(`${args.files.length} scenario file${args.files.length === 1 ? '' : 's'} valid`);
      return bad === 0 ? 0 : 2;
    }
    case 'run': {
      const scenario = load(args.files[0]!, args.sets, io);
      if (!scenario) return 2;
      const profile = profileById(args.mesh!)!;
      if (!dataPlanesFit(args.files[0]!, scenario, profile, io)) return 2;
      const { trace, report } = simulate(scenario, profile, args.seed !== undefined ? { seed: args.seed } : {});
      if (args.trace === 'text') io.out(formatTrace(trace.events));
      else if (args.trace === 'json') io.out(JSON.stringify(trace));
      else io.out(JSON.stringify(report, null, 2));
      return 0;
    }
    case 'package':
      return packageLesson(args, io);
    case 'check': {
      let invalid = false;
      let failed = false;
      for (const file of args.files) {
        const scenario = load(file, [], io);
        if (!scenario) {
          invalid = true;
          continue;
        }
        const meshes = namedMeshes(scenario);
        if (meshes.length === 0) io.out(`${file}: no expect block — nothing to check`);
        for (const mesh of meshes) {
          // A mesh the file names must run what it asks for (services[].dataPlane, FIDELITY-MORE H8).
          if (!dataPlanesFit(file, scenario, profileById(mesh)!, io)) {
            invalid = true;
            continue;
          }
          const { report } = simulate(scenario, profileById(mesh)!);
          const expected = scenario.expect[mesh];
          if (!expected) {
            // Named in `meshes` without expectations: it must still run to the end.
            io.out(`ok   ${file} [${mesh}] no expect block; ran ${report.summary.total} requests`);
            continue;
          }
          const results = checkExpectations(report, expected);
          const misses = results.filter((r) => !r.pass);
          const line = results
            .map((r) => `${r.key} ${r.actual === Math.round(r.actual) ? r.actual : r.actual.toFixed(3)} ${r.pass ? '✓' : `✗ (expected ${r.expected})`}`)
            .join(', ');
          io.out(`${misses.length ? 'FAIL' : 'ok  '} ${file} [${mesh}] ${line}`);
          if (misses.length) failed = true;
        }
      }
      return invalid ? 2 : failed ? 1 : 0;
    }
  }
}

/** Whether `profile` runs every data plane `scenario`'s services ask for; else the located problems on stderr. */
function dataPlanesFit(file: string, scenario: LoadedScenario, profile: AnyMeshProfile, io: Io): boolean {
  const problems = dataPlaneProblems(scenario, profile);
  for (const p of problems) io.err(`${file}:${p.line}:1: ${p.path} ${p.message}`);
  return problems.length === 0;
}

/** `package`: checks the scenario, gets a build of the simulator, and writes the lesson zip. */
function packageLesson(args: Args, io: Io): number {
  const file = args.files[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`${file}: cannot read the file: ${readError(e as NodeJS.ErrnoException)}`);
    return 2;
  }
  // Checked before building: a scenario with problems is not worth a build.
  const checked = parseScenario(text, file);
  if (!checked.ok) {
    for (const p of checked.problems) io.err(formatProblem(p));
    return 2;
  }
  const dist = args.dist ?? buildSite((note) => io.err(note));
  let site: Map<string, Uint8Array>;
  try {
    site = readSite(dist);
  } catch (e) {
    io.err(`--dist ${dist}: cannot read the build: ${readError(e as NodeJS.ErrnoException)}`);
    return 2;
  }
  const packed = packLesson({
    site,
    text,
    file,
    options: {
      format: args.format!,
      ...(args.mesh ? { mesh: args.mesh } : {}),
      ...(args.mastery !== undefined ? { masteryScore: args.mastery } : {}),
      ...(args.id ? { id: args.id } : {}),
    },
  });
  if (!packed.ok) {
    for (const p of packed.problems) io.err(formatProblem(p));
    return 2;
  }
  const out = args.out ?? `${basename(file).replace(/\.(ya?ml|json)$/i, '')}-${args.format}.zip`;
  try {
    writeFileSync(out, packed.zip);
  } catch (e) {
    io.err(`-o ${out}: cannot write the lesson: ${readError(e as NodeJS.ErrnoException)}`);
    return 2;
  }
  io.out(`${out}: ${packed.config.title} as ${args.format}, ${packed.entries.length} files, ${Math.round(packed.zip.length / 1024)} KB`);
  return 0;
}

/** `ENOENT` in words. */
function readError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a scenario file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return e.code ?? e.message;
  }
}

/**
 * Loads the modules `MESH_SIM_EXTENSIONS` lists (comma-separated paths from the working folder),
 * each of which registers a mesh (README "Adding a mesh"); false, after saying why, when one cannot
 * be loaded.
 */
export async function loadExtensions(list: string, io: Io): Promise<boolean> {
  for (const path of list
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    try {
      await import(pathToFileURL(resolve(path)).href);
    } catch (e) {
      io.err(`mesh-sim: MESH_SIM_EXTENSIONS: cannot load ${path}: ${(e as Error).message}`);
      return false;
    }
  }
  return true;
}

const invokedDirectly = process.argv[1] !== undefined && /(?:^|[\\/])(?:main\.ts|mesh-sim(?:\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  const io: Io = { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };
  process.exitCode = (await loadExtensions(process.env.MESH_SIM_EXTENSIONS ?? '', io)) ? main(process.argv.slice(2), io) : 2;
}
