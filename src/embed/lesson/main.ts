/**
 * The lesson launcher (`lesson.html` in a lesson package): what the LMS launches. It reads the
 * package's `lesson/lesson.json`, connects to the LMS the package was made for (SCORM 1.2, SCORM
 * 2004 or cmi5), opens the simulator on the lesson's scenario in a frame — at the learner's saved
 * place when the LMS resumes a session — and passes the simulator's events (the embed protocol)
 * to a {@link LessonTracker}, which decides what the LMS hears.
 */
import './lesson.css';
import { el, setText } from '../../ui/dom.ts';
import { LESSON_PATHS, type LessonConfig } from '../../lesson/lesson.ts';
import { LessonTracker, type LessonEvent } from '../../lesson/tracker.ts';
import { MESSAGE_SOURCE, PROTOCOL_VERSION } from '../protocol.ts';
import { scorm12Session, scorm2004Session } from './scorm.ts';
import { cmi5Session } from './cmi5.ts';
import type { LmsSession } from './session.ts';

const started = performance.now();
const elapsed = (): number => performance.now() - started;

async function connect(config: LessonConfig): Promise<LmsSession | null> {
  switch (config.format) {
    case 'scorm12':
      return scorm12Session(elapsed);
    case 'scorm2004':
      return scorm2004Session(elapsed);
    case 'cmi5':
      return cmi5Session();
  }
}

/** The simulator's page for the lesson, at `state`'s mesh and step. */
function simulatorUrl(config: LessonConfig, mesh: string, step: number): string {
  const q = new URLSearchParams({ embed: '1', scenarioUrl: LESSON_PATHS.scenario, mesh, origins: location.origin, controls: 'full' });
  if (step > 0) q.set('step', String(step));
  return `index.html?${q.toString()}`;
}

async function main(): Promise<void> {
  const root = document.getElementById('lesson')!;
  const response = await fetch(LESSON_PATHS.config);
  if (!response.ok) throw new Error(`cannot read ${LESSON_PATHS.config} (HTTP ${response.status})`);
  const config = (await response.json()) as LessonConfig;
  document.title = `${config.title} — mesh-sim lesson`;
  const status = el('p', { class: 'lesson-status', role: 'status' });
  const finish = el('button', { type: 'button', class: 'lesson-finish' }, 'Finish');
  const frame = el('iframe', { class: 'lesson-sim', title: `mesh-sim: ${config.title}` });
  root.replaceChildren(el('header', { class: 'lesson-bar' }, el('h1', {}, config.title), status, finish), frame);

  const session = await connect(config).catch((e: unknown) => {
    console.error(e);
    return null;
  });
  const masteryScore = session?.masteryScore ?? config.masteryScore;
  const tracker = session ? new LessonTracker(config, session.resume, masteryScore, session.reporter) : null;
  const show = (): void => {
    if (!session || !tracker) return setText(status, 'Preview: not launched from an LMS, so nothing is recorded.');
    const total = config.checkpoints.length;
    const parts = [
      total ? `Checkpoints answered: ${tracker.answered} of ${total}` : null,
      tracker.state.passed === null ? null : `${tracker.state.passed ? 'Passed' : 'Not passed'} (${Math.round(tracker.score! * 100)}%)`,
      tracker.state.completed ? 'Complete' : null,
    ].filter(Boolean);
    setText(status, parts.join(' · ') || 'In progress');
    document.body.dataset.lesson = tracker.state.completed ? 'complete' : 'incomplete';
  };
  const resume = tracker?.state ?? null;
  frame.src = simulatorUrl(config, resume?.mesh ?? config.mesh, resume?.step ?? 0);

  let ended = false;
  window.addEventListener('message', (e: MessageEvent) => {
    if (ended || e.source !== frame.contentWindow || e.origin !== location.origin) return;
    const m = e.data as { source?: unknown; version?: unknown; type?: unknown; height?: unknown } | null;
    if (m?.source !== MESSAGE_SOURCE || m.version !== PROTOCOL_VERSION) return;
    if (m.type === 'resize' && typeof m.height === 'number') frame.style.height = `${m.height}px`;
    if (m.type === 'ready' || m.type === 'step' || m.type === 'checkpoint' || m.type === 'completed') {
      tracker?.take(m as LessonEvent);
      show();
    }
  });
  const end = async (): Promise<void> => {
    // After Finish the LMS session is over: the learner may look on, but nothing more is recorded.
    ended = true;
    finish.disabled = true;
    await session?.finish();
    setText(status, session ? 'Your progress is saved. You can close this lesson.' : 'Preview: nothing was recorded.');
    document.body.dataset.lesson = 'finished';
  };
  finish.addEventListener('click', () => void end());
  // The LMS may close the window without Finish: end the session on the way out.
  window.addEventListener('pagehide', () => {
    ended = true;
    void session?.finish();
  });
  show();
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  console.error(e);
  const root = document.getElementById('lesson');
  root?.replaceChildren(el('p', { class: 'fatal', role: 'alert' }, `This lesson could not start: ${e instanceof Error ? e.message : String(e)}`));
  document.body.dataset.ready = 'error';
});
