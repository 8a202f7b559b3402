/**
 * A lesson package: the built simulator, one scenario, a manifest an LMS reads, and a launcher
 * page that reports the learner's progress to the LMS. This module says what a lesson is (its
 * formats, the files' places in the zip and the launcher's configuration); `manifest.ts` writes
 * the manifests and `pack.ts` the zip. Pure: the CLI and the authoring view share it.
 */
import type { LoadedScenario } from '../scenario/index.ts';

/** The LMS standards a lesson can be packaged for. */
export const LESSON_FORMATS = ['scorm12', 'scorm2004', 'cmi5'] as const;
export type LessonFormat = (typeof LESSON_FORMATS)[number];

/** How each format is called in messages and in the authoring view. */
export const FORMAT_NAMES: Record<LessonFormat, string> = { scorm12: 'SCORM 1.2', scorm2004: 'SCORM 2004 (4th edition)', cmi5: 'cmi5' };

/** Where things are inside the zip. The launcher page is part of the built simulator. */
export const LESSON_PATHS = {
  launcher: 'lesson.html',
  config: 'lesson/lesson.json',
  scenario: 'lesson/scenario.yaml',
} as const;

/** The share of checkpoints a learner must answer right to pass, unless the author or the LMS says otherwise. */
export const DEFAULT_MASTERY = 0.8;

/** What the launcher reads from `lesson/lesson.json`. */
export interface LessonConfig {
  version: 1;
  format: LessonFormat;
  /** The scenario's id, and the lesson's identifier in the manifest (an IRI for cmi5). */
  scenario: string;
  id: string;
  title: string;
  description: string;
  /** The mesh the lesson opens on (the learner may switch). */
  mesh: string;
  /** The scenario's checkpoints, in its order: what the score is out of. */
  checkpoints: { question: string; answer: 'yes-no' | 'number' }[];
  /** Share of checkpoints to answer right to pass (0–1); null when the lesson has no checkpoints. */
  masteryScore: number | null;
}

/** What an author chooses when packaging. */
export interface LessonOptions {
  format: LessonFormat;
  mesh?: string;
  /** 0–1; defaults to {@link DEFAULT_MASTERY}. */
  masteryScore?: number;
  /** The lesson's identifier; defaults to `urn:mesh-sim:lesson:<scenario id>`. */
  id?: string;
}

/** The launcher's configuration for `scenario` packaged with `options`. */
export function lessonConfig(scenario: LoadedScenario, options: LessonOptions): LessonConfig {
  return {
    version: 1,
    format: options.format,
    scenario: scenario.id,
    id: options.id ?? `urn:mesh-sim:lesson:${scenario.id}`,
    title: scenario.title,
    description: (scenario.description ?? '').trim() || scenario.title,
    mesh: options.mesh ?? 'istio',
    checkpoints: scenario.checkpoints.map((c) => ({ question: c.question, answer: c.answer })),
    masteryScore: scenario.checkpoints.length ? (options.masteryScore ?? DEFAULT_MASTERY) : null,
  };
}
