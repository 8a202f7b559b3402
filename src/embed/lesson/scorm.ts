/**
 * The launcher's SCORM bindings: finds the LMS's API object (SCORM 1.2 `API`, SCORM 2004
 * `API_1484_11`) in a parent or opener window, as the run-time environment specifies, and writes
 * the tracker's decisions to the CMI data model: status, score, interactions (one per checkpoint),
 * location and suspend data, session time.
 */
import { readState, type CheckpointAnswer, type LessonReporter, type LessonState } from '../../lesson/tracker.ts';
import type { LmsSession } from './session.ts';
import { isoDuration } from '../xapi.ts';

interface Scorm12Api {
  LMSInitialize(arg: ''): string;
  LMSFinish(arg: ''): string;
  LMSGetValue(element: string): string;
  LMSSetValue(element: string, value: string): string;
  LMSCommit(arg: ''): string;
}

interface Scorm2004Api {
  Initialize(arg: ''): string;
  Terminate(arg: ''): string;
  GetValue(element: string): string;
  SetValue(element: string, value: string): string;
  Commit(arg: ''): string;
}

/**
 * The API object named `name` in this window's parents, then its opener's (SCORM 1.2 RTE §3.3.6.1,
 * SCORM 2004 RTE §3.1.2.1: search up to the top, then the opener), or null.
 */
function findApi<T>(name: 'API' | 'API_1484_11'): T | null {
  const search = (start: Window | null): T | null => {
    let w = start;
    for (let hops = 0; w && hops < 500; hops++) {
      try {
        const api = (w as unknown as Record<string, unknown>)[name];
        if (api) return api as T;
      } catch {
        // A window of another origin: it cannot be ours.
      }
      if (w.parent === w) break;
      w = w.parent;
    }
    return null;
  };
  return search(window) ?? search(window.opener as Window | null);
}

/** `HHHH:MM:SS.SS` (SCORM 1.2 CMITimespan). */
export function scorm12Time(ms: number): string {
  const cs = Math.round(ms / 10);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(Math.floor(cs / 360000), 4)}:${pad(Math.floor(cs / 6000) % 60)}:${pad(Math.floor(cs / 100) % 60)}.${pad(cs % 100)}`;
}

const yesNo = (answer: string): boolean => answer.trim().toLowerCase() === 'yes';

/** A SCORM 1.2 session, or null when no LMS offers the API. */
export function scorm12Session(startedMs: () => number): LmsSession | null {
  const api = findApi<Scorm12Api>('API');
  if (!api || api.LMSInitialize('') !== 'true') return null;
  const status = api.LMSGetValue('cmi.core.lesson_status');
  if (status === 'not attempted' || status === '') api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
  const resume = api.LMSGetValue('cmi.core.entry') === 'resume' ? readState(api.LMSGetValue('cmi.suspend_data')) : null;
  const mastery = api.LMSGetValue('cmi.student_data.mastery_score');
  let passed: boolean | null = resume?.passed ?? null;
  let finished = false;
  const reporter: LessonReporter = {
    answered(a: CheckpointAnswer, kind) {
      const n = api.LMSGetValue('cmi.interactions._count') || '0';
      const at = `cmi.interactions.${n}`;
      api.LMSSetValue(`${at}.id`, `checkpoint-${a.index}`);
      api.LMSSetValue(`${at}.type`, kind === 'yes-no' ? 'true-false' : 'numeric');
      api.LMSSetValue(`${at}.student_response`, kind === 'yes-no' ? (yesNo(a.answer) ? 't' : 'f') : a.answer);
      api.LMSSetValue(`${at}.result`, a.correct ? 'correct' : 'wrong');
      api.LMSCommit('');
    },
    scored(score, ok) {
      passed = ok;
      api.LMSSetValue('cmi.core.score.min', '0');
      api.LMSSetValue('cmi.core.score.max', '100');
      api.LMSSetValue('cmi.core.score.raw', String(Math.round(score * 100)));
      api.LMSSetValue('cmi.core.lesson_status', ok ? 'passed' : 'failed');
      api.LMSCommit('');
    },
    completed() {
      // passed / failed say completed too (SCORM 1.2 has one status); only a lesson not yet scored says completed.
      if (passed === null) api.LMSSetValue('cmi.core.lesson_status', 'completed');
      api.LMSCommit('');
    },
    save(state: LessonState) {
      api.LMSSetValue('cmi.core.lesson_location', String(state.step));
      api.LMSSetValue('cmi.suspend_data', JSON.stringify(state));
      api.LMSSetValue('cmi.core.exit', 'suspend');
    },
  };
  return {
    name: 'SCORM 1.2',
    resume,
    masteryScore: /^\d+(\.\d+)?$/.test(mastery) ? Number(mastery) / 100 : null,
    reporter,
    finish() {
      if (finished) return;
      finished = true;
      api.LMSSetValue('cmi.core.session_time', scorm12Time(startedMs()));
      api.LMSCommit('');
      api.LMSFinish('');
    },
  };
}

/** A SCORM 2004 session, or null when no LMS offers the API. */
export function scorm2004Session(startedMs: () => number): LmsSession | null {
  const api = findApi<Scorm2004Api>('API_1484_11');
  if (!api || api.Initialize('') !== 'true') return null;
  const status = api.GetValue('cmi.completion_status');
  if (status === 'not attempted' || status === 'unknown' || status === '') api.SetValue('cmi.completion_status', 'incomplete');
  const resume = api.GetValue('cmi.entry') === 'resume' ? readState(api.GetValue('cmi.suspend_data')) : null;
  const passing = api.GetValue('cmi.scaled_passing_score');
  let finished = false;
  const reporter: LessonReporter = {
    answered(a, kind) {
      const n = api.GetValue('cmi.interactions._count') || '0';
      const at = `cmi.interactions.${n}`;
      api.SetValue(`${at}.id`, `checkpoint-${a.index}`);
      api.SetValue(`${at}.type`, kind === 'yes-no' ? 'true-false' : 'numeric');
      api.SetValue(`${at}.learner_response`, kind === 'yes-no' ? String(yesNo(a.answer)) : a.answer);
      api.SetValue(`${at}.result`, a.correct ? 'correct' : 'incorrect');
      api.SetValue(`${at}.description`, a.question.slice(0, 250));
      api.Commit('');
    },
    scored(score, ok) {
      api.SetValue('cmi.score.scaled', String(score));
      api.SetValue('cmi.score.min', '0');
      api.SetValue('cmi.score.max', '100');
      api.SetValue('cmi.score.raw', String(Math.round(score * 100)));
      api.SetValue('cmi.success_status', ok ? 'passed' : 'failed');
      api.Commit('');
    },
    completed() {
      api.SetValue('cmi.completion_status', 'completed');
      api.Commit('');
    },
    save(state) {
      api.SetValue('cmi.location', String(state.step));
      api.SetValue('cmi.suspend_data', JSON.stringify(state));
      api.SetValue('cmi.exit', 'suspend');
    },
  };
  return {
    name: 'SCORM 2004',
    resume,
    masteryScore: /^-?\d+(\.\d+)?$/.test(passing) ? Number(passing) : null,
    reporter,
    finish() {
      if (finished) return;
      finished = true;
      api.SetValue('cmi.session_time', isoDuration(startedMs()));
      api.Commit('');
      api.Terminate('');
    },
  };
}
