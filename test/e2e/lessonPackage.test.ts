/**
 * Lesson packages under real LMS run-times nobody here wrote: scorm-again's SCORM 1.2 and SCORM
 * 2004 APIs in the LMS page, and a cmi5 launch (the LMS's launch data and "launched" statement,
 * the launch URL) against an LRS stub that records statements. A learner plays the lesson in
 * Chromium, answers its checkpoints and finishes; the tests read what the LMS received: status,
 * score, interactions, suspend data, session time, and a return that resumes at the saved place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';
import { strFromU8, unzipSync } from 'fflate';
import { buildSite } from './site.ts';
import { launchDataKey, startLms, type Lms } from './lms.ts';
import { readSite } from '../../src/cli/siteBuild.ts';
import { packLesson } from '../../src/lesson/pack.ts';
import type { LessonFormat } from '../../src/lesson/lesson.ts';
import { runScenario } from '../../src/player/runScenario.ts';
import { LESSON } from '../lesson/fixtures.ts';
import { newTab } from './tabs.ts';

let lms: Lms;
let browser: Browser;
let site: Map<string, Uint8Array>;

beforeAll(async () => {
  site = readSite(buildSite());
  lms = await startLms();
  browser = await workerBrowser();
});

afterAll(async () => {
  await releaseBrowser(browser);
  await lms?.close();
});

/** Packs the lesson fixture and installs it in the LMS; its URL and its files. */
function install(name: string, format: LessonFormat, text = LESSON): { url: string; files: Map<string, string> } {
  const packed = packLesson({ site, text, file: 'lesson.yaml', options: { format } });
  if (!packed.ok) throw new Error(packed.problems.map((p) => p.message).join('\n'));
  const files = new Map(Object.entries(unzipSync(packed.zip)).map(([k, v]) => [k, strFromU8(v)]));
  return { url: lms.install(name, packed.zip), files };
}

/** The measured answers of the fixture's checkpoints under `mesh`. */
function answers(mesh: string): string[] {
  const run = runScenario({ text: LESSON, file: 'lesson.yaml', mesh });
  if (!run.ok) throw new Error('fixture does not run');
  return run.report.checkpoints.map((c) => c.answer);
}

interface Opened {
  page: Page;
  problems: string[];
  /** The simulator's frame inside the launcher. */
  sim: FrameLocator;
}

async function newPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await newTab(browser, { width: 1300, height: 1000 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { page, problems };
}

/** Opens the LMS page, gives it a SCORM API (with `cmi` loaded as an LMS would) and launches the SCO in a frame. */
async function launchScorm(format: 'scorm12' | 'scorm2004', name: string, url: string, cmi: Record<string, unknown>): Promise<Opened> {
  const { page, problems } = await newPage();
  await page.goto(`${lms.origin}/lms/lms.html`);
  await page.evaluate(
    ({ format, cmi, src, commitUrl }) => {
      const w = window as unknown as Record<string, new (settings: object) => { loadFromJSON(json: object): void }>;
      const api = new w[format === 'scorm12' ? 'Scorm12API' : 'Scorm2004API']!({ autocommit: false, logLevel: 5, lmsCommitUrl: commitUrl });
      api.loadFromJSON(cmi);
      (window as unknown as Record<string, unknown>)[format === 'scorm12' ? 'API' : 'API_1484_11'] = api;
      const frame = document.createElement('iframe');
      frame.id = 'sco';
      frame.title = 'Lesson';
      frame.style.cssText = 'width: 1260px; height: 900px; border: 0';
      frame.src = src;
      document.body.append(frame);
    },
    { format, cmi, src: `${url}lesson.html`, commitUrl: `${lms.origin}/lms/commit/${name}` },
  );
  const launcher = page.frameLocator('#sco');
  await launcher.locator('body[data-ready=true]').waitFor();
  const sim = launcher.frameLocator('.lesson-sim');
  await sim.locator('body[data-ready=true]').waitFor();
  return { page, problems, sim };
}

/** Plays the lesson and answers its two checkpoints with `given`. */
async function answerCheckpoints(sim: FrameLocator, given: [string, string]): Promise<void> {
  await sim.getByLabel('Speed').selectOption('10');
  await sim.getByRole('button', { name: 'Play', exact: true }).click();
  const first = sim.getByRole('dialog', { name: /^Checkpoint at 0\.500 s/ });
  await first.getByLabel('Your prediction').fill(given[0]);
  await first.getByRole('button', { name: 'Reveal' }).click();
  await first.getByRole('button', { name: 'Continue' }).click();
  const second = sim.getByRole('dialog', { name: /^Checkpoint at 1\.000 s/ });
  await second.getByLabel(given[1], { exact: true }).check();
  await second.getByRole('button', { name: 'Reveal' }).click();
  await second.getByRole('button', { name: 'Continue' }).click();
}

const wrong = (answer: string): string => (answer === 'yes' ? 'no' : answer === 'no' ? 'yes' : String(Number(answer) + 1));

interface Interaction {
  id: string;
  type: string;
  student_response?: string;
  learner_response?: string;
  result: string;
}
/** The parts of the SCORM 1.2 and 2004 data models the tests read, as scorm-again commits them. */
interface Cmi {
  core: { lesson_status: string; lesson_location: string; exit: string; session_time: string; score: { raw: string; min: string; max: string } };
  completion_status: string;
  success_status: string;
  score: { scaled: string; raw: string; min: string; max: string };
  location: string;
  exit: string;
  session_time: string;
  suspend_data: string;
  interactions: Record<string, Interaction>;
}

/** Waits until the LMS has received a commit that satisfies `ok`. */
async function committed(name: string, ok: (cmi: Cmi) => boolean): Promise<Cmi> {
  for (let i = 0; i < 200; i++) {
    const list = lms.commits.get(name) ?? [];
    const last = list.at(-1) as { cmi: Cmi } | undefined;
    if (last && ok(last.cmi)) return last.cmi;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the LMS never received the expected commit for ${name}: ${JSON.stringify(lms.commits.get(name)?.at(-1))}`);
}

const apiCall = (page: Page, script: string): Promise<unknown> => page.evaluate(script);

describe('a SCORM 1.2 lesson under scorm-again', () => {
  it('reports passed with the score, one interaction per checkpoint, the place and the time; a return resumes there', async () => {
    const { url, files } = install('scorm12', 'scorm12');
    const mastery = /<adlcp:masteryscore>(\d+)<\/adlcp:masteryscore>/.exec(files.get('imsmanifest.xml')!)![1]!;
    const { page, problems, sim } = await launchScorm('scorm12', 'scorm12', url, {
      core: { student_id: 'l1', student_name: 'Learner, One' },
      student_data: { mastery_score: mastery },
    });
    expect(await apiCall(page, "API.LMSGetValue('cmi.core.lesson_status')")).toBe('incomplete');

    // The learner switches to Linkerd, then answers both checkpoints right.
    await sim.getByRole('button', { name: 'Linkerd', exact: true }).click();
    await sim.locator('.mesh-switch [data-mesh=linkerd][aria-pressed=true]').waitFor();
    const right = answers('linkerd') as [string, string];
    await answerCheckpoints(sim, right);
    const scored = await committed('scorm12', (cmi) => cmi.core.lesson_status === 'passed');
    expect(scored.core.score).toEqual({ raw: '100', min: '0', max: '100' });
    expect(Object.values(scored.interactions).map((i) => ({ id: i.id, type: i.type, student_response: i.student_response, result: i.result }))).toEqual([
      { id: 'checkpoint-0', type: 'numeric', student_response: right[0], result: 'correct' },
      { id: 'checkpoint-1', type: 'true-false', student_response: right[1] === 'yes' ? 't' : 'f', result: 'correct' },
    ]);

    // Finish: the session's time, the suspend data with the place, then LMSFinish.
    await page.frameLocator('#sco').getByRole('button', { name: 'Finish' }).click();
    await page.frameLocator('#sco').locator('body[data-lesson=finished]').waitFor();
    const final = await committed('scorm12', (cmi) => cmi.core.session_time !== '00:00:00');
    expect(final.core.session_time).toMatch(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
    expect(final.core.exit).toBe('suspend');
    expect(final.core.lesson_status).toBe('passed');
    const suspend = JSON.parse(final.suspend_data) as { mesh: string; step: number; answers: object };
    expect(suspend).toMatchObject({ v: 1, mesh: 'linkerd', answers: { 0: true, 1: true }, completed: true, passed: true });
    expect(suspend.step).toBeGreaterThan(0);
    expect(final.core.lesson_location).toBe(String(suspend.step));
    expect(await apiCall(page, 'API.isTerminated()')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();

    // The learner comes back: the LMS resumes the attempt with the suspend data.
    const again = await launchScorm('scorm12', 'scorm12-return', url, {
      core: { entry: 'resume', lesson_status: 'passed', lesson_location: String(suspend.step) },
      suspend_data: JSON.stringify(suspend),
      student_data: { mastery_score: mastery },
    });
    await again.sim.locator('.mesh-switch [data-mesh=linkerd][aria-pressed=true]').waitFor();
    expect(await again.sim.locator('.step-info').innerText()).toMatch(new RegExp(`^step ${suspend.step} of \\d+$`));
    expect(await again.page.frameLocator('#sco').locator('.lesson-status').innerText()).toBe('Checkpoints answered: 2 of 2 · Passed (100%) · Complete');
    expect(again.problems).toEqual([]);
    await again.page.close();
  });
});

describe('a SCORM 2004 lesson under scorm-again', () => {
  it('reports completed and failed below the passing score, scaled score, interactions and session time', async () => {
    const { url } = install('scorm2004', 'scorm2004');
    const { page, problems, sim } = await launchScorm('scorm2004', 'scorm2004', url, {
      learner_id: 'l2',
      learner_name: 'Learner, Two',
      scaled_passing_score: '0.8',
    });
    expect(await apiCall(page, "API_1484_11.GetValue('cmi.completion_status')")).toBe('incomplete');
    const right = answers('istio') as [string, string];
    await answerCheckpoints(sim, [right[0], wrong(right[1])]);
    const scored = await committed('scorm2004', (cmi) => cmi.success_status === 'failed' && cmi.completion_status === 'completed');
    expect(scored.score).toMatchObject({ scaled: '0.5', raw: '50', min: '0', max: '100' });
    expect(Object.values(scored.interactions).map((i) => `${i.id} ${i.type} ${i.learner_response} ${i.result}`)).toEqual([
      `checkpoint-0 numeric ${right[0]} correct`,
      `checkpoint-1 true-false ${String(wrong(right[1]) === 'yes')} incorrect`,
    ]);
    await page.frameLocator('#sco').getByRole('button', { name: 'Finish' }).click();
    await page.frameLocator('#sco').locator('body[data-lesson=finished]').waitFor();
    const final = await committed('scorm2004', (cmi) => /^PT/.test(String(cmi.session_time)) && cmi.session_time !== 'PT0S');
    expect(final.session_time).toMatch(/^PT(\d+H)?(\d+M)?\d+(\.\d+)?S$/);
    expect(final.exit).toBe('suspend');
    const suspend = JSON.parse(final.suspend_data) as object;
    expect(suspend).toMatchObject({ v: 1, mesh: 'istio', answers: { 0: true, 1: false }, completed: true, passed: false });
    expect(final.location).toBe(String((suspend as { step: number }).step));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('completes a lesson without checkpoints when the run reaches its end', async () => {
    const { url } = install('scorm2004-plain', 'scorm2004', LESSON.replace(/checkpoints:[\s\S]*$/, ''));
    const { page, problems, sim } = await launchScorm('scorm2004', 'scorm2004-plain', url, {});
    const scrubber = sim.getByLabel('Timeline');
    await scrubber.fill((await scrubber.getAttribute('max'))!);
    const done = await committed('scorm2004-plain', (cmi) => cmi.completion_status === 'completed');
    expect(done.success_status).toBe('unknown');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a cmi5 lesson launched against an LRS', () => {
  it('sends launched (the LMS), initialized, answered, passed, completed and terminated, and keeps the place in a state document', async () => {
    const { url, files } = install('cmi5', 'cmi5');
    const structure = files.get('cmi5.xml')!;
    const courseId = /<course id="([^"]+)"/.exec(structure)![1]!;
    const auId = /<au id="([^"]+)"/.exec(structure)![1]!;
    const mastery = Number(/masteryScore="([^"]+)"/.exec(structure)![1]);
    const registration = '6f1b2c1e-3f1e-4a3e-9d3a-0c7a5b2e9f10';
    const sessionId = 'b8f0b0a4-5f7e-4c6b-9a39-3d1c8e2f4a77';
    const actor = { objectType: 'Agent', account: { homePage: 'https://lms.example.com', name: 'learner-3' } };
    const SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
    const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
    const MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
    // What the LMS does before the launch (cmi5 §10.2.1, §9.3.1): launch data, then "launched".
    lms.lrs.state.set(
      launchDataKey(auId, registration),
      JSON.stringify({
        contextTemplate: { contextActivities: { grouping: [{ id: courseId }] }, extensions: { [SESSION]: sessionId } },
        launchMode: 'Normal',
        moveOn: 'CompletedAndPassed',
        masteryScore: mastery,
      }),
    );
    lms.lrs.statements.push({
      actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/launched' },
      object: { id: auId },
      context: { registration, contextActivities: { category: [{ id: CMI5 }] }, extensions: { [SESSION]: sessionId } },
    });
    const query = new URLSearchParams({ endpoint: lms.lrs.endpoint, fetch: lms.lrs.fetchUrl, actor: JSON.stringify(actor), registration, activityId: auId });
    const { page, problems } = await newPage();
    await page.goto(`${url}lesson.html?${query.toString()}`);
    await page.locator('body[data-ready=true]').waitFor();
    const sim = page.frameLocator('.lesson-sim');
    await sim.locator('body[data-ready=true]').waitFor();
    await answerCheckpoints(sim, answers('istio') as [string, string]);
    await page.getByText('Passed (100%)').waitFor();
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.locator('body[data-lesson=finished]').waitFor();

    const received = lms.lrs.statements;
    expect(received.map((s) => s.verb.id.replace(/^.*\//, ''))).toEqual([
      'launched',
      'initialized',
      'answered',
      'answered',
      'passed',
      'completed',
      'terminated',
    ]);
    for (const s of received.slice(1)) {
      expect(s.actor).toEqual(actor);
      expect(s.context?.registration).toBe(registration);
      expect(s.context?.extensions?.[SESSION]).toBe(sessionId);
      expect(s.context?.contextActivities?.grouping).toEqual([{ id: courseId }]);
    }
    const [, initialized, first, second, passed, completed, terminated] = received as [never, ...(typeof received)[number][]];
    for (const s of [initialized!, passed!, completed!, terminated!]) {
      expect(s.object.id).toBe(auId);
      expect(s.context?.contextActivities?.category).toContainEqual({ id: CMI5 });
    }
    expect(first!.object.definition?.interactionType).toBe('numeric');
    expect(first!.result).toMatchObject({ response: answers('istio')[0], success: true });
    expect(second!.object.definition?.interactionType).toBe('true-false');
    expect(second!.context?.contextActivities?.category ?? []).not.toContainEqual({ id: CMI5 });
    expect(passed!.result).toMatchObject({ score: { scaled: 1 }, success: true });
    expect(passed!.context?.contextActivities?.category).toContainEqual({ id: MOVEON });
    expect(completed!.result).toMatchObject({ completion: true });
    expect(completed!.result?.duration).toMatch(/^PT/);
    expect(terminated!.result?.duration).toMatch(/^PT/);
    const saved = JSON.parse(lms.lrs.state.get(`${auId}|${registration}|https://mesh-sim.dev/xapi/lesson-state`)!) as object;
    expect(saved).toMatchObject({ v: 1, mesh: 'istio', answers: { 0: true, 1: true }, completed: true, passed: true });
    // The LRS answers 404 for what does not exist yet, as xAPI says: the AU's state document on a
    // first launch, and learner preferences no LMS set (cmi5 §11); the browser logs both.
    expect(problems.filter((p) => !p.endsWith('the server responded with a status of 404 (Not Found)'))).toEqual([]);
    expect(problems).toHaveLength(2);
    await page.close();
  });
});
