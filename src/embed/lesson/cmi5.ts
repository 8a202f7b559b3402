/**
 * The launcher's cmi5 binding, through `@xapi/cmi5` (cmi5 Quartz): the launch URL names the LRS,
 * the auth-token fetch URL, the actor, the registration and the AU's activity id. The library
 * sends the cmi5 defined statements (initialized, completed, passed / failed, terminated) with the
 * LMS's context template; checkpoint answers go as cmi5 allowed "answered" interactions, and the
 * learner's place as an xAPI state document. Statements leave one at a time, in order.
 */
import type Cmi5 from '@xapi/cmi5';
import type { LmsSession } from './session.ts';
import { readState, type LessonReporter } from '../../lesson/tracker.ts';

/** The state document holding the learner's place (the AU's own, beside the LMS's `LMS.LaunchData`). */
export const STATE_ID = 'https://mesh-sim.dev/xapi/lesson-state';

/** A cmi5 session, or null when the page was not launched by a cmi5 LMS. */
export async function cmi5Session(): Promise<LmsSession | null> {
  const { default: Cmi5Class } = await import('@xapi/cmi5');
  if (!Cmi5Class.isCmiAvailable) return null;
  const cmi5: Cmi5 = new Cmi5Class();
  await cmi5.initialize();
  const params = cmi5.getLaunchParameters();
  const launch = cmi5.getLaunchData();
  // Browse and Review launches record nothing that changes the learner's status (cmi5 §10.2.2).
  const normal = launch.launchMode === 'Normal';
  const where = { agent: params.actor, activityId: params.activityId, registration: params.registration, stateId: STATE_ID };
  let resume = null;
  try {
    const saved = await cmi5.xapi!.getState(where);
    resume = readState(typeof saved.data === 'string' ? saved.data : JSON.stringify(saved.data));
  } catch {
    // No state yet (404): a first launch.
  }
  let queue: Promise<unknown> = Promise.resolve();
  const send = (what: () => Promise<unknown>): void => {
    queue = queue
      .then(what)
      .catch((e: unknown) => console.error(`mesh-sim lesson: the LRS refused a statement: ${e instanceof Error ? e.message : String(e)}`));
  };
  let finished: Promise<void> | null = null;
  const reporter: LessonReporter = {
    answered(a, kind) {
      send(() =>
        cmi5.interaction(
          'checkpoints',
          String(a.index),
          kind === 'yes-no' ? String(a.answer.trim().toLowerCase() === 'yes') : a.answer,
          {
            type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
            interactionType: kind === 'yes-no' ? 'true-false' : 'numeric',
            name: { 'en-US': a.question },
          },
          a.correct,
        ),
      );
    },
    scored(score, passed) {
      if (normal) send(() => (passed ? cmi5.pass(score) : cmi5.fail(score)));
    },
    completed() {
      if (normal) send(() => cmi5.complete());
    },
    save(state) {
      send(() => cmi5.xapi!.setState({ ...where, state: state as never, contentType: 'application/json' }));
    },
  };
  return {
    name: 'cmi5',
    resume,
    masteryScore: typeof launch.masteryScore === 'number' ? launch.masteryScore : null,
    reporter,
    finish() {
      finished ??= (async () => {
        send(() => cmi5.terminate());
        await queue;
      })();
      return finished;
    },
  };
}
