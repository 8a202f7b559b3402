/**
 * What a lesson reports, decided from the simulator's events (the embed's postMessage protocol):
 * the learner's place (mesh and step), each checkpoint's first answer, completion (the run
 * reached its end, or every checkpoint is answered), and the score (right answers out of the
 * checkpoints) with passed or failed against the mastery score once every checkpoint is answered.
 * Each fact goes to the LMS once. Pure: the launcher binds it to SCORM or cmi5.
 */
import type { LessonConfig } from './lesson.ts';

/** The learner's place and results, kept by the LMS between sessions (suspend data). */
export interface LessonState {
  v: 1;
  mesh: string;
  /** The step shown, as the transport bar counts (0 is the start). */
  step: number;
  /** Checkpoint index → whether the first answer was right. */
  answers: Record<number, boolean>;
  completed: boolean;
  /** Set once every checkpoint is answered. */
  passed: boolean | null;
}

/** A checkpoint answered in the simulator. */
export interface CheckpointAnswer {
  index: number;
  question: string;
  answer: string;
  correct: boolean;
}

/** The events the tracker reads (a subset of the embed protocol's events). */
export type LessonEvent =
  { type: 'ready'; mesh: string; index: number } | { type: 'step'; index: number } | ({ type: 'checkpoint' } & CheckpointAnswer) | { type: 'completed' };

/** Where the tracker's decisions go: one LMS binding. */
export interface LessonReporter {
  /** A checkpoint answered for the first time. */
  answered(answer: CheckpointAnswer, kind: 'yes-no' | 'number'): void;
  /** The lesson is complete (once). */
  completed(): void;
  /** Every checkpoint is answered: the score (0–1) and passed or failed (once). */
  scored(score: number, passed: boolean): void;
  /** The place and results changed: keep them for the next session. */
  save(state: LessonState): void;
}

/** Reads `text` as saved state; null when it is not one (a first session, or foreign data). */
export function readState(text: string | null | undefined): LessonState | null {
  if (!text) return null;
  try {
    const s = JSON.parse(text) as Partial<LessonState>;
    if (s.v !== 1 || typeof s.mesh !== 'string' || !Number.isInteger(s.step) || typeof s.answers !== 'object' || s.answers === null) return null;
    return { v: 1, mesh: s.mesh, step: s.step!, answers: s.answers, completed: s.completed === true, passed: typeof s.passed === 'boolean' ? s.passed : null };
  } catch {
    return null;
  }
}

export class LessonTracker {
  private current: LessonState;

  /**
   * `resume` is the state saved by an earlier session; `masteryScore` the LMS's (which wins over
   * the package's, as SCORM and cmi5 both say) or the package's.
   */
  constructor(
    private readonly config: LessonConfig,
    resume: LessonState | null,
    private readonly masteryScore: number | null,
    private readonly reporter: LessonReporter,
  ) {
    this.current = resume ?? { v: 1, mesh: config.mesh, step: 0, answers: {}, completed: false, passed: null };
  }

  get state(): LessonState {
    return this.current;
  }

  /** Right answers out of the checkpoints (0–1); null for a lesson without checkpoints. */
  get score(): number | null {
    const total = this.config.checkpoints.length;
    if (total === 0) return null;
    return Object.values(this.current.answers).filter(Boolean).length / total;
  }

  get answered(): number {
    return Object.keys(this.current.answers).length;
  }

  /** Takes one event from the simulator. */
  take(e: LessonEvent): void {
    switch (e.type) {
      case 'ready':
        return this.update({ mesh: e.mesh, step: e.index });
      case 'step':
        return this.update({ step: e.index });
      case 'completed':
        return this.complete();
      case 'checkpoint': {
        const kind = this.config.checkpoints[e.index]?.answer;
        if (kind === undefined || e.index in this.current.answers) return;
        this.reporter.answered({ index: e.index, question: e.question, answer: e.answer, correct: e.correct }, kind);
        this.update({ answers: { ...this.current.answers, [e.index]: e.correct } });
        if (this.answered < this.config.checkpoints.length) return;
        const score = this.score!;
        const passed = score >= (this.masteryScore ?? 0);
        if (this.current.passed === null) {
          this.reporter.scored(score, passed);
          this.update({ passed });
        }
        return this.complete();
      }
    }
  }

  private complete(): void {
    if (this.current.completed) return;
    this.current = { ...this.current, completed: true };
    this.reporter.completed();
    this.reporter.save(this.current);
  }

  private update(change: Partial<LessonState>): void {
    const next = { ...this.current, ...change };
    if (next.mesh === this.current.mesh && next.step === this.current.step && next.answers === this.current.answers && next.passed === this.current.passed)
      return;
    this.current = next;
    this.reporter.save(next);
  }
}
