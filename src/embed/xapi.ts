/**
 * xAPI-shaped statements for the `step`, `checkpoint` and `completed` events, so a host page or
 * an LMS wrapper can forward them to a Learning Record Store as they are. The simulator does not
 * know who the learner is: the actor is an anonymous placeholder the host replaces with its own
 * (xAPI 1.0.3 §2.4.2). Activity and extension IRIs live under the simulator's own URL, which the
 * course controls.
 */

/** ADL's verbs (the xAPI vocabulary, http://adlnet.gov/expapi/verbs/). */
export const VERBS = {
  experienced: 'http://adlnet.gov/expapi/verbs/experienced',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
} as const;

/** Activity types from the xAPI registry. */
export const ACTIVITY_TYPES = {
  simulation: 'http://adlnet.gov/expapi/activities/simulation',
  step: 'http://id.tincanapi.com/activitytype/step',
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
} as const;

type LanguageMap = { 'en-US': string };

/** An xAPI Activity object (xAPI 1.0.3 §2.4.4.1). */
export interface XapiActivity {
  objectType: 'Activity';
  id: string;
  definition: { name: LanguageMap; description?: LanguageMap; type: string; interactionType?: 'other' };
}

/** The statement shape a Learning Record Store accepts once the host has set `actor`. */
export interface XapiStatement {
  actor: { objectType: 'Agent'; account: { homePage: string; name: string } };
  verb: { id: string; display: LanguageMap };
  object: XapiActivity;
  result?: { completion?: boolean; success?: boolean; response?: string; duration?: string; extensions?: Record<string, string | number> };
  context: { platform: 'mesh-sim'; language: 'en-US'; contextActivities?: { parent: XapiActivity[] }; extensions: Record<string, string | number> };
  timestamp: string;
}

/** What every statement of one run shares. */
export interface XapiRun {
  /** The simulator's own folder URL (`https://sim.example.com/mesh-sim/`): the IRIs' base. */
  base: string;
  scenarioId: string;
  title: string;
  /** A mesh id, or `compare`. */
  mesh: string;
  /** Each pane's mesh (compare mode's 2–6, the reference first). */
  meshes: readonly string[];
}

const en = (text: string): LanguageMap => ({ 'en-US': text });

/** The scenario as an activity: `<base>scenarios/<id>`. */
export function scenarioActivity(run: XapiRun): XapiActivity {
  return {
    objectType: 'Activity',
    id: `${run.base}scenarios/${encodeURIComponent(run.scenarioId)}`,
    definition: { name: en(run.title), type: ACTIVITY_TYPES.simulation },
  };
}

/** ISO 8601 duration (`PT12.5S`) for an elapsed real time. */
export function isoDuration(ms: number): string {
  return `PT${Math.round(Math.max(0, ms) / 10) / 100}S`;
}

function statement(run: XapiRun, verb: keyof typeof VERBS, object: XapiActivity, now: Date, result?: XapiStatement['result'], parent = false): XapiStatement {
  return {
    actor: { objectType: 'Agent', account: { homePage: run.base, name: 'anonymous' } },
    verb: { id: VERBS[verb], display: en(verb) },
    object,
    ...(result ? { result } : {}),
    context: {
      platform: 'mesh-sim',
      language: 'en-US',
      ...(parent ? { contextActivities: { parent: [scenarioActivity(run)] } } : {}),
      extensions: { [`${run.base}xapi/mesh`]: run.mesh, ...(run.meshes.length > 1 ? { [`${run.base}xapi/meshes`]: run.meshes.join(',') } : {}) },
    },
    timestamp: now.toISOString(),
  };
}

/** "experienced" a step: `index` steps done of `of`, at simulated time `t`. */
export function stepStatement(run: XapiRun, step: { index: number; of: number; t: number; text: string }, now: Date): XapiStatement {
  const object: XapiActivity = {
    objectType: 'Activity',
    id: `${scenarioActivity(run).id}/steps/${step.index}`,
    definition: { name: en(`Step ${step.index} of ${step.of}`), description: en(step.text), type: ACTIVITY_TYPES.step },
  };
  return statement(run, 'experienced', object, now, { extensions: { [`${run.base}xapi/simulated-ms`]: step.t } }, true);
}

/** "answered" checkpoint `index` (0-based, in the scenario's order). */
export function checkpointStatement(run: XapiRun, c: { index: number; question: string; answer: string; correct: boolean }, now: Date): XapiStatement {
  const object: XapiActivity = {
    objectType: 'Activity',
    id: `${scenarioActivity(run).id}/checkpoints/${c.index}`,
    definition: { name: en(c.question), type: ACTIVITY_TYPES.interaction, interactionType: 'other' },
  };
  return statement(run, 'answered', object, now, { response: c.answer, success: c.correct }, true);
}

/** "completed" the scenario, `elapsedMs` of real time after it opened. */
export function completedStatement(run: XapiRun, elapsedMs: number, now: Date): XapiStatement {
  return statement(run, 'completed', scenarioActivity(run), now, { completion: true, duration: isoDuration(elapsedMs) });
}
