/**
 * The library runs made when the site is built (build/libraryRuns.ts): each must unpack to exactly
 * the trace and report the engine makes now — hashed as `npm run trace-hashes` does — and carry
 * the show map made of it now, so that a stale or wrong run fails here; and the runner must take
 * one only for the run it is.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COURSE } from '../../build/course.ts';
import { libraryFile, prebuiltRun } from '../../src/ui/library.ts';
import { paneRequest } from '../../src/ui/paneRuns.ts';
import { Player, createRunner, offeredMeshes, runScenario, type RunOutcome, type WorkerLike } from '../../src/player/index.ts';
import { buildShowMap } from '../../src/player/pace.ts';
import { showMapOf, useBuiltShowMap } from '../../src/player/builtShow.ts';
import { fromWire, type WorkerRequest } from '../../src/player/runner.ts';
import { canonical } from '../tools/canonical.ts';

const hash = (value: unknown): string => createHash('sha256').update(canonical(value)).digest('hex').slice(0, 16);

/** What a run is, hashed: its events, its report, and the rest of its trace. */
function fingerprint(o: RunOutcome): { events: string; report: string; trace: string; n: number } {
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  const { events, ...rest } = o.trace;
  return { events: hash(events), report: hash(o.report), trace: hash(rest), n: events.length };
}

const PLAIN = { edits: {}, versions: {}, seed: undefined };

describe('library runs made when the site is built', () => {
  for (const key of COURSE)
    it(`${key}: a run for each mesh it is offered under, the engine's own`, async () => {
      const file = (await libraryFile(key))!;
      expect(file.loaded?.ok).toBe(true);
      if (!file.loaded?.ok) return;
      const meshes = offeredMeshes(file.loaded.scenario);
      expect(Object.keys(file.runs ?? {}).sort()).toEqual([...meshes].sort());
      for (const mesh of meshes) {
        const { trace, report, show } = (await prebuiltRun(key, mesh))!;
        const built = fromWire({ ok: true, trace, report, scenario: file.loaded.scenario, offered: [], compare: [] });
        const fresh = runScenario({ text: file.text, file: file.file, mesh, loaded: file.loaded, edits: {}, versions: {} });
        expect(fingerprint(built), `${key} under ${mesh}`).toEqual(fingerprint(fresh));
        if (!fresh.ok) return;
        if (!built.ok) return;
        useBuiltShowMap(built.trace, show);
        expect(showMapOf(built.trace), `${key} under ${mesh}: its show map`).toEqual(buildShowMap(fresh.trace.events, fresh.trace.durationMs));
      }
    });

  it('is what the runner answers for the page as written, and only then', async () => {
    const file = (await libraryFile('retries-flaky-pod'))!;
    const runner = createRunner();
    const asWritten = await runner.run(paneRequest(file, 'istio', PLAIN));
    expect(asWritten.where).toBe('built');
    const fresh = runScenario({ ...paneRequest(file, 'istio', PLAIN), prebuilt: undefined });
    expect(fingerprint(asWritten)).toEqual(fingerprint(fresh));
    if (!asWritten.ok || !fresh.ok) return;
    expect(asWritten.scenario).toBe(file.loaded?.ok ? file.loaded.scenario : null);
    expect([asWritten.offered, asWritten.compare]).toEqual([fresh.offered, fresh.compare]);
    // Its player plays it on the show map made with it, not one made again (~0.15 of the first frame's task).
    expect(new Player(asWritten.trace).timeline.show.eventShow).toBe((await prebuiltRun('retries-flaky-pod', 'istio'))!.show.eventShow);
    expect(new Player(fresh.trace).timeline.show).toEqual(new Player(asWritten.trace).timeline.show);
    // Another seed, a release, a knob or a command: simulated.
    const others = [
      { ...PLAIN, seed: 7 },
      { ...PLAIN, versions: { istio: '1.22' } },
      { ...PLAIN, edits: { policies: { retries: null } } },
    ];
    for (const with_ of others) expect((await runner.run(paneRequest(file, 'istio', with_))).where).toBe('inline');
  });

  it('is never sent to the worker (a loader cannot be cloned): a run simulated there goes without it', async () => {
    const file = (await libraryFile('retries-flaky-pod'))!;
    let posted: (m: WorkerRequest) => void = () => undefined;
    const sent = new Promise<WorkerRequest>((resolve) => (posted = resolve));
    // A worker stand-in that clones what it is sent, as postMessage does (a function in it throws DataCloneError).
    const worker: WorkerLike = { postMessage: (m) => posted(structuredClone(m) as WorkerRequest), addEventListener: () => undefined };
    const runner = createRunner({ spawnWorker: () => worker, workerAboveRequests: 0 });
    void runner.run(paneRequest(file, 'istio', { ...PLAIN, seed: 7 }));
    const { request } = await sent;
    expect([request.mesh, request.seed, 'prebuilt' in request]).toEqual(['istio', 7, false]);
  });
});
