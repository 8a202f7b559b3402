/** What the launcher needs from an LMS, whichever standard it speaks. */
import type { LessonReporter, LessonState } from '../../lesson/tracker.ts';

/** One launch of the lesson by an LMS. */
export interface LmsSession {
  /** `SCORM 1.2`, `SCORM 2004`, `cmi5`: shown to the learner. */
  name: string;
  /** What an earlier session saved, when this one resumes it. */
  resume: LessonState | null;
  /** The LMS's passing score (0–1), which wins over the package's; null when it sets none. */
  masteryScore: number | null;
  reporter: LessonReporter;
  /** Ends the session: time spent, last commit, terminate. Safe to call twice. */
  finish(): Promise<void> | void;
}
