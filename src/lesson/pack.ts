/**
 * Packs a lesson: checks the scenario like every loader does (a scenario with problems is not
 * packaged: the caller gets the same `file:line:column` list), then zips the built simulator, the
 * scenario, the launcher's configuration and the manifest. The zip is reproducible: entries in
 * path order, one fixed timestamp, the same compression level — the same inputs give the same
 * bytes on any machine and in any time zone.
 */
import { zipSync, strToU8, type Zippable } from 'fflate';
import { parseScenario, type ScenarioProblem } from '../scenario/index.ts';
import { LESSON_PATHS, lessonConfig, type LessonConfig, type LessonOptions } from './lesson.ts';
import { cmi5CourseStructure, scorm12Manifest, scorm2004Manifest } from './manifest.ts';

/** What a lesson is made of. */
export interface PackInput {
  /** The built simulator (`vite build`'s output): path inside the zip → bytes. */
  site: ReadonlyMap<string, Uint8Array>;
  /** The scenario's text, and its name in messages. */
  text: string;
  file: string;
  options: LessonOptions;
}

export type PackResult = { ok: true; zip: Uint8Array; config: LessonConfig; entries: string[] } | { ok: false; problems: ScenarioProblem[] };

/**
 * Every entry's timestamp. fflate writes the DOS date from the local clock fields, so the date
 * is made from local fields too, when packing (the time zone may have changed since start-up):
 * the same bytes in every time zone.
 */
const fixedTime = (): Date => new Date(2000, 0, 1, 0, 0, 0);

/** The manifest's file name and text for the lesson's format. */
export function manifestFor(config: LessonConfig, files: readonly string[]): [string, string] {
  switch (config.format) {
    case 'scorm12':
      return ['imsmanifest.xml', scorm12Manifest(config, files)];
    case 'scorm2004':
      return ['imsmanifest.xml', scorm2004Manifest(config, files)];
    case 'cmi5':
      return ['cmi5.xml', cmi5CourseStructure(config)];
  }
}

/** Files of the build a lesson does not carry: manifests of its own making, and the build's file list. */
const LEFT_OUT = new Set(['imsmanifest.xml', 'cmi5.xml', 'site-files.json']);

/** Builds the lesson zip, or says why it cannot. */
export function packLesson(input: PackInput): PackResult {
  const loaded = parseScenario(input.text, input.file);
  if (!loaded.ok) return loaded;
  if (!input.site.has(LESSON_PATHS.launcher))
    return {
      ok: false,
      problems: [
        { file: input.file, line: 1, column: 1, path: '', message: `the simulator's build has no ${LESSON_PATHS.launcher}: rebuild it (npm run build)` },
      ],
    };
  const config = lessonConfig(loaded.scenario, input.options);
  const own = new Map<string, Uint8Array>([
    [LESSON_PATHS.scenario, strToU8(input.text)],
    [LESSON_PATHS.config, strToU8(`${JSON.stringify(config, null, 2)}\n`)],
  ]);
  const content = new Map([...input.site].filter(([path]) => !own.has(path) && !LEFT_OUT.has(path)));
  for (const [path, bytes] of own) content.set(path, bytes);
  const files = [...content.keys()].sort();
  const [manifestName, manifest] = manifestFor(config, files);
  content.set(manifestName, strToU8(manifest));
  const entries = [...content.keys()].sort();
  const zippable: Zippable = {};
  const mtime = fixedTime();
  for (const path of entries) zippable[path] = [content.get(path)!, { mtime, level: 9 }];
  return { ok: true, zip: zipSync(zippable), config, entries };
}
