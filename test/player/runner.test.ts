import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRunner, runScenario, type WorkerLike } from '../../src/player/index.ts';
import type { ShowRequest, ShowResponse, WorkerRequest, WorkerResponse } from '../../src/player/runner.ts';
import { answer } from '../../src/player/workerAnswer.ts';
import { showMapOf } from '../../src/player/builtShow.ts';
import { buildShowMap } from '../../src/player/pace.ts';
import { PREVIEW_ABOVE_REQUESTS } from '../../src/player/parse.ts';
import { PROFILES, keepProfiles } from '../../src/mesh/index.ts';
import { layoutModel } from '../../src/render/layout.ts';
import { modelOf } from '../../src/render/layoutModel.ts';
import { countedServices } from '../../src/render/freeSpot.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';

const file = 'scenarios/retries-flaky-pod.yaml';
const text = readFileSync(file, 'utf8');

/** A worker stand-in that runs the request in this thread, as the real worker would. */
function fakeWorker(log: string[]): () => WorkerLike {
  return () => {
    const listeners: ((e: { data: unknown }) => void)[] = [];
    return {
      postMessage(message) {
        const request = message as WorkerRequest | ShowRequest;
        log.push('showOf' in request ? 'show' : request.request.mesh);
        // As the real worker (workerAnswer.ts): the trace's columns transferred, the rest cloned.
        keepProfiles(Object.values(PROFILES));
        answer(request, (response: WorkerResponse | ShowResponse, transfer) => {
          const data = structuredClone(response, { transfer });
          queueMicrotask(() => listeners.forEach((l) => l({ data })));
        });
      },
      addEventListener(type: string, listener: (e: never) => void) {
        if (type === 'message') listeners.push(listener as (e: { data: unknown }) => void);
      },
    };
  };
}

describe('runScenario', () => {
  it('names the file, line and column of a broken scenario', () => {
    const outcome = runScenario({ text: 'id: x\ntitle: X\nduration: 1s\nservices:\n  - name: a\n    replicas: three\n', file: 'broken.yaml', mesh: 'istio' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems[0]!.text).toMatch(/^broken\.yaml:6:\d+: /);
    expect(outcome.problems[0]!.line).toBe(6);
  });

  it('names an unknown mesh', () => {
    const outcome = runScenario({ text, file, mesh: 'nomesh' });
    expect(outcome.ok ? '' : outcome.problems[0]!.text).toMatch(/unknown mesh "nomesh"/);
  });

  it('uses the seed it is given', () => {
    const outcome = runScenario({ text, file, mesh: 'istio', seed: 99 });
    expect(outcome.ok && outcome.trace.seed).toBe(99);
  });
});

describe('createRunner', () => {
  it('simulates a small scenario inline', async () => {
    const log: string[] = [];
    const outcome = await createRunner({ spawnWorker: fakeWorker(log) }).run({ text, file, mesh: 'istio' });
    expect(outcome.where).toBe('inline');
    expect(log).toEqual([]);
  });

  it('sends a scenario that would block the main thread to the worker, with the same trace', async () => {
    const log: string[] = [];
    const runner = createRunner({ spawnWorker: fakeWorker(log), workerAboveRequests: 10 });
    const outcome = await runner.run({ text, file, mesh: 'linkerd' });
    expect(outcome.where).toBe('worker');
    expect(log).toEqual(['linkerd']);
    const inline = runScenario({ text, file, mesh: 'linkerd' });
    expect(outcome.ok && inline.ok && outcome.trace).toEqual(inline.ok && inline.trace);
  });

  it('starts its worker when warmed, before any run, and runs in that one worker later', async () => {
    const log: string[] = [];
    let spawned = 0;
    const spawn = fakeWorker(log);
    const runner = createRunner({
      spawnWorker: () => {
        spawned++;
        return spawn();
      },
      workerAboveRequests: 10,
    });
    runner.warm?.();
    expect([spawned, log]).toEqual([1, []]);
    runner.warm?.();
    const outcome = await runner.run({ text, file, mesh: 'istio' });
    expect([outcome.where, spawned, log]).toEqual(['worker', 1, ['istio']]);
  });

  it("retires its worker after answering a long run with nothing else pending; the run's show map is made in the next worker, retired too, and a new one starts for the next run", async () => {
    const workers: { asked: string[]; othersRetired: boolean; terminated: boolean }[] = [];
    const runner = (retireWorkerAboveEvents: number) =>
      createRunner({
        spawnWorker: () => {
          const asked: string[] = [];
          const othersRetired = workers.every((w) => w.terminated);
          const w = { ...fakeWorker(asked)(), asked, othersRetired, terminated: false, terminate: () => (w.terminated = true) };
          workers.push(w);
          return w;
        },
        workerAboveRequests: 10,
        retireWorkerAboveEvents,
      });
    const seen = () => workers.map(({ asked, othersRetired, terminated }) => ({ asked, othersRetired, terminated }));
    // retries-flaky-pod records ~2,500 events: long for a limit of 1,000, short for one of 10,000.
    const long = runner(1000);
    const first = await long.run({ text, file, mesh: 'istio' });
    expect(first.ok && first.trace.events.length).toBeGreaterThan(1000);
    // The worker that simulated was retired before the next one was started for the show map.
    expect(seen()).toEqual([
      { asked: ['istio'], othersRetired: true, terminated: true },
      { asked: ['show'], othersRetired: true, terminated: true },
    ]);
    // Its show map is kept for the trace (the same object each time it is asked for), and it is
    // the one the page would make of the same run; the trace came back whole.
    const inline = runScenario({ text, file, mesh: 'istio' });
    if (!first.ok || !inline.ok) throw new Error('no run');
    expect(showMapOf(first.trace)).toBe(showMapOf(first.trace));
    expect(showMapOf(first.trace)).toEqual(buildShowMap(inline.trace.events, inline.trace.durationMs));
    expect(first.trace).toEqual(inline.trace);
    const second = await long.run({ text, file, mesh: 'linkerd' });
    expect(second.where).toBe('worker');
    expect(seen().slice(2)).toEqual([
      { asked: ['linkerd'], othersRetired: true, terminated: true },
      { asked: ['show'], othersRetired: true, terminated: true },
    ]);
    const short = runner(10_000);
    const made = await short.run({ text, file, mesh: 'istio' });
    // A short run comes without one: the page makes it (a new one each time it is asked for here).
    if (!made.ok) throw new Error('no run');
    expect(showMapOf(made.trace)).not.toBe(showMapOf(made.trace));
    await short.run({ text, file, mesh: 'linkerd' });
    expect(seen().slice(4)).toEqual([{ asked: ['istio', 'linkerd'], othersRetired: true, terminated: false }]);
  });

  it('starts a run early in the worker, parsed there, and answers the first equal request with it instead of simulating again', async () => {
    const log: string[] = [];
    const requests: WorkerRequest[] = [];
    const spawn = fakeWorker(log);
    const runner = createRunner({
      spawnWorker: () => {
        const worker = spawn();
        return { ...worker, postMessage: (m: unknown, t?: Transferable[]) => (requests.push(m as WorkerRequest), worker.postMessage(m, t)) };
      },
    });
    runner.early!({ text, file, mesh: 'istio', seed: 7, edits: {}, versions: {} });
    // Posted at once, as text: the worker parses it (the page has not loaded the parser).
    expect(requests.map((r) => [r.request.mesh, r.request.loaded === undefined])).toEqual([['istio', true]]);
    const outcome = await runner.run({ text, file, mesh: 'istio', seed: 7, edits: {}, versions: {} });
    expect([outcome.where, log]).toEqual(['worker', ['istio']]);
    const inline = runScenario({ text, file, mesh: 'istio', seed: 7 });
    expect(outcome.ok && inline.ok && outcome.trace).toEqual(inline.ok && inline.trace);
    // Taken once: the same request again (a small scenario) runs inline; another seed is another run.
    expect((await runner.run({ text, file, mesh: 'istio', seed: 7, edits: {}, versions: {} })).where).toBe('inline');
    runner.early!({ text, file, mesh: 'istio', seed: 8, edits: {}, versions: {} });
    expect((await runner.run({ text, file, mesh: 'istio', seed: 9, edits: {}, versions: {} })).where).toBe('inline');
    expect(log).toEqual(['istio', 'istio']);
  });

  it("sends a long run begun early in two parts: a preview, the run's first events, whose picture is the run's; then the run", async () => {
    // 20 services calling one another, 1,000 requests/s for 25 s: above the preview's threshold.
    const long = loadScenarioYaml(20, 2, 1000, 25);
    const req = { text: long, file: 'long.yaml', mesh: 'istio', edits: {}, versions: {} };
    const order: string[] = [];
    const runner = createRunner({ spawnWorker: fakeWorker([]) });
    runner.early!(req);
    const preview = runner.preview!(req)!.then((o) => (order.push('preview'), o));
    const outcome = await runner.run(req).then((o) => (order.push('run'), o));
    const early = await preview;
    expect(order).toEqual(['preview', 'run']);
    if (!early?.ok || !outcome.ok) throw new Error('both should have simulated');
    expect(outcome.report.requests.length).toBeGreaterThan(PREVIEW_ABOVE_REQUESTS);
    // The preview is the run's start: a second or so of it, its events the run's first ones.
    const events = early.trace.events;
    expect(events.length).toBeGreaterThan(1_000);
    expect(events.length).toBeLessThan(outcome.trace.events.length / 10);
    const last = events.at(-1)!.t;
    const settled = events.filter((e) => e.t < last);
    expect(settled.map((e) => JSON.stringify(e))).toEqual(outcome.trace.events.slice(0, settled.length).map((e) => JSON.stringify(e)));
    // Laid out alike: the page draws the preview's picture first and the run's replaces it unchanged.
    const viewport = { w: 1000, h: 600 };
    const requestsScale = early.scenario.duration / early.trace.durationMs;
    expect(requestsScale).toBeGreaterThan(10);
    expect(layoutModel(modelOf(early.trace, { requestsScale }), { viewport })).toEqual(layoutModel(modelOf(outcome.trace), { viewport }));
    expect(countedServices(early.trace)).toEqual(countedServices(outcome.trace));
    // A short run has none: its preview answers null, with the run.
    runner.early!({ text, file, mesh: 'istio', edits: {}, versions: {} });
    expect(await runner.preview!({ text, file, mesh: 'istio', edits: {}, versions: {} })).toBeNull();
    // And a run not begun early has no preview to wait for.
    expect(runner.preview!({ text, file, mesh: 'linkerd', edits: {}, versions: {} })).toBeUndefined();
  });

  it('with always, sends every run to the worker, a broken one too (the authoring view keeps the main thread for typing)', async () => {
    const log: string[] = [];
    const runner = createRunner({ spawnWorker: fakeWorker(log), always: true });
    const small = await runner.run({ text, file, mesh: 'istio' });
    const broken = await runner.run({ text: text.replace('replicas: 3', 'replicas: three'), file, mesh: 'istio' });
    expect([small.where, broken.where, log]).toEqual(['worker', 'worker', ['istio', 'istio']]);
    expect(broken.ok ? 0 : broken.problems[0]!.line).toBe(text.split('\n').findIndex((l) => l.includes('replicas: 3')) + 1);
  });
});

describe('the player is headless', () => {
  it('touches no DOM, pixi, randomness or clock, and imports nothing above it', () => {
    for (const name of readdirSync('src/player')) {
      const source = readFileSync(`src/player/${name}`, 'utf8');
      expect(source, name).not.toMatch(/Math\.random|Date\.now|performance\.now|document\.|window\.|requestAnimationFrame|setTimeout/);
      for (const [, from] of source.matchAll(/from '([^']+)'/g)) expect(from, name).not.toMatch(/pixi|\.\.\/(ui|render|embed|cli)\//);
    }
  });
});
