/**
 * Where a simulation runs. Small scenarios simulate inline (a few milliseconds; a worker's
 * start-up would cost more); a scenario expected to block the main thread for more than ~50 ms
 * goes to a Web Worker, when the caller can spawn one. The answer is the same either way: the
 * run is deterministic. A scenario's text is parsed only when the request does not carry it
 * loaded (library scenarios are compiled when the site is built) or a native setting is edited;
 * the parser (yaml, zod, the schemas) is then loaded on first use.
 */
import type { LoadResult, LoadedScenario } from '../scenario/index.ts';
import { packTrace, packedBuffers, unpackTrace, type PackedTrace } from '../sim/index.ts';
import { loadProfile, packReport, unpackReport, type PackedReport, type RunReport } from '../mesh/index.ts';
import { asBuilt, comparePanes, estimatedRequests, offeredMeshes, problemsOf, type RunOutcome, type RunProblem, type RunRequest } from './run.ts';
import { loadCommands } from './edits.ts';
import { useBuiltShowMap, useShowMap, type ShowMap } from './builtShow.ts';

/**
 * Starts loading the profiles of `meshes` (each a chunk in the page) without waiting for them: a
 * hint, since a run loads its mesh's profile anyway. The page gives it before its renderer starts,
 * so that the chunks arrive while the renderer does. An id that is no mesh loads nothing.
 */
export function preloadMeshes(meshes: readonly string[]): void {
  for (const mesh of meshes) void loadProfile(mesh).catch(() => undefined);
}

/**
 * The engine (simulateRun.ts, src/sim, src/mesh), loaded on first use: a page that opens on a run
 * made when the site was built plays it without, and loads the engine with the first run that must
 * be simulated (a knob, fault, release or seed; the knobs panel's parser brings it too).
 */
export const loadEngine = (): Promise<typeof import('./simulateRun.ts')> => import('./simulateRun.ts');

/** The part of a `Worker` the runner uses (so Node tests can pass a stand-in). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (e: unknown) => void): void;
  terminate?(): void;
}

/**
 * A worker that answered a run of this many trace events or more, with nothing else pending, is
 * retired and a new one started for the next run: its heap, grown by the simulation, would
 * otherwise stay beside the page's while the page indexes the run (the 10-minute load's
 * 5.4 million events). A new worker costs a fraction of such a run's simulation. A run this long
 * also gets its show map made in a worker, not on the page: making one needs about its own size
 * again while it places the events (~300 MB for the 10-minute load). It is made in the next
 * worker, started with an empty heap, not in the one that simulated: that one's heap still holds
 * what the simulation left (~100 MB for the 10-minute load) until it is retired. The trace goes to
 * it and comes back with the show map, its buffers transferred each way; that worker is retired
 * too once it has answered.
 */
export const RETIRE_WORKER_EVENTS = 1_000_000;

/** A run's answer, plus where it ran (`built`: made when the site was built). */
export type RunnerOutcome = RunOutcome & { where: 'inline' | 'worker' | 'built' };

/** Messages between the runner and `simulation.worker.ts`. */
export interface WorkerRequest {
  id: number;
  request: RunRequest;
  /** A long run first sends a preview: the run's start, for the picture at 0 s (parse.ts runTextPreviewed). */
  preview?: boolean;
}
/** A long run's trace sent to a worker for its show map ({@link RETIRE_WORKER_EVENTS}); `id`: the run's. */
export interface ShowRequest {
  id: number;
  showOf: PackedTrace;
}
export interface WorkerResponse {
  id: number;
  outcome: WireOutcome;
  /** This is the run's preview; its outcome follows. */
  preview?: boolean;
}
/** A {@link ShowRequest}'s answer: the trace, back, and its show map. */
export interface ShowResponse {
  id: number;
  showOf: PackedTrace;
  show: ShowMap;
}

/** The buffers of `show`, each once (a list naming one twice is refused: DataCloneError). */
export function showBuffers(show: ShowMap): ArrayBuffer[] {
  const arrays = [show.instantMs, show.startShow, show.holdShow, show.eventShow, show.flightSeqs, show.flightEnd, show.flightLengthIds, show.flightLengthOf];
  return [...new Set(arrays.filter((a) => a !== null).map((a) => a.buffer as ArrayBuffer))];
}

/** A run's answer as it leaves the worker: the trace's events and the report's requests as transferable buffers, not objects to clone. */
export type WireOutcome =
  Exclude<RunOutcome, { ok: true }> | (Omit<Extract<RunOutcome, { ok: true }>, 'trace' | 'report'> & { trace: PackedTrace; report: PackedReport<RunReport> });

/** The worker's answer for `postMessage(response, transfer)`. */
export function wireOutcome(id: number, outcome: RunOutcome): { response: WorkerResponse; transfer: ArrayBuffer[] } {
  if (!outcome.ok) return { response: { id, outcome }, transfer: [] };
  const { packed, transfer } = packTrace(outcome.trace);
  const report = packReport(outcome.report);
  return { response: { id, outcome: { ...outcome, trace: packed, report: report.packed } }, transfer: [...transfer, ...report.transfer] };
}

/** The run's answer again, from what the worker sent. */
export function fromWire(outcome: WireOutcome): RunOutcome {
  return outcome.ok ? { ...outcome, trace: unpackTrace(outcome.trace), report: unpackReport(outcome.report) } : outcome;
}

/**
 * Simulating costs about 0.1 ms per request in Chromium and Node (test/bench/browser.bench.ts), so
 * above this many expected requests a run would hold the main thread past 50 ms.
 */
export const WORKER_ABOVE_REQUESTS = 400;

export interface Runner {
  run(request: RunRequest): Promise<RunnerOutcome>;
  /**
   * Starts the worker now, if this runner has one and it has not started: a hint from a caller
   * about to fetch a scenario that may be long (a `scenarioUrl`), so that the worker's modules
   * load while the scenario is fetched and parsed instead of after.
   */
  warm?(): void;
  /**
   * Starts `request` in the worker now, its text parsed there, when this runner has one: a head
   * start for the page's first run (a `scenarioUrl`), begun before the renderer so that fetching,
   * parsing and simulating overlap its start. The first {@link Runner.run} of an equal request
   * takes that answer instead of simulating again.
   */
  early?(request: RunRequest): void;
  /**
   * For a run begun by {@link Runner.early} whose request equals `request`: its preview (the same
   * run simulated only through its start, for the picture at 0 s), or null if the run came
   * without one (short enough) or before it. Undefined when no such run was begun. Does not take
   * the head start: {@link Runner.run} still does.
   */
  preview?(request: RunRequest): Promise<RunOutcome | null> | undefined;
}

/** What makes two requests the same run (the text is compared as a string besides). */
const runKey = (r: RunRequest): string => JSON.stringify([r.file, r.mesh, r.seed ?? null, r.versions ?? {}, r.edits ?? {}, r.loaded === undefined]);

/**
 * A runner that uses `spawnWorker` (called once, lazily) for expensive runs. With `always`, every
 * run goes to the worker, parsing included: the authoring view re-simulates on each edit and keeps
 * the main thread for typing.
 */
export function createRunner(
  options: { spawnWorker?: () => WorkerLike; workerAboveRequests?: number; always?: boolean; retireWorkerAboveEvents?: number } = {},
): Runner {
  const limit = options.workerAboveRequests ?? WORKER_ABOVE_REQUESTS;
  const retireAbove = options.retireWorkerAboveEvents ?? RETIRE_WORKER_EVENTS;
  let worker: WorkerLike | undefined;
  let nextId = 1;
  const pending = new Map<number, (o: RunOutcome) => void>();
  /** Where each pending run's preview goes (a run begun by `early`). */
  const previews = new Map<number, (o: RunOutcome | null) => void>();
  /** Long runs answered whose show map a worker is making ({@link RETIRE_WORKER_EVENTS}): the answer, and who waits for it. */
  const showing = new Map<number, { outcome: Extract<WireOutcome, { ok: true }>; resolve?: (o: RunOutcome) => void }>();
  /** Runs begun by `early`, each taken by the first `run` of an equal request. */
  const headStarts: { key: string; text: string; outcome: Promise<RunOutcome>; preview: Promise<RunOutcome | null> }[] = [];

  const start = (): WorkerLike => {
    if (!worker) {
      worker = options.spawnWorker!();
      /** Retires the worker when nothing waits for it (its heap grew by a long run or a show map). */
      const retireIfIdle = (): void => {
        if (pending.size === 0 && showing.size === 0 && worker?.terminate) {
          worker.terminate();
          worker = undefined;
        }
      };
      worker.addEventListener('message', (e) => {
        if ('showOf' in (e.data as object)) {
          const { id, showOf, show } = e.data as ShowResponse;
          const waiting = showing.get(id);
          showing.delete(id);
          retireIfIdle();
          if (!waiting) return;
          const answer = fromWire({ ...waiting.outcome, trace: showOf });
          if (answer.ok) useShowMap(answer.trace, show);
          waiting.resolve?.(answer);
          return;
        }
        const { id, outcome, preview } = e.data as WorkerResponse;
        if (preview) {
          previews.get(id)?.(fromWire(outcome));
          previews.delete(id);
          return;
        }
        // No preview came (a short run), or it came already: whoever waits for one waits no more.
        previews.get(id)?.(null);
        previews.delete(id);
        const resolve = pending.get(id);
        pending.delete(id);
        if (outcome.ok && outcome.trace.packedEvents.length >= retireAbove) {
          // Its show map made in the next worker (this one retired if nothing else waits for it).
          retireIfIdle();
          showing.set(id, { outcome, resolve });
          start().postMessage({ id, showOf: outcome.trace } satisfies ShowRequest, packedBuffers(outcome.trace));
          return;
        }
        resolve?.(fromWire(outcome));
      });
      worker.addEventListener('error', () => {
        // A worker that fails (to start, or while it runs): what waits for it is answered with the failure.
        const failed = (id: number): RunOutcome => ({
          ok: false,
          problems: [{ file: '', line: 0, column: 0, text: `simulation worker failed (request ${id})` }],
        });
        for (const [id, resolve] of pending) resolve(failed(id));
        pending.clear();
        // A trace sent for its show map went with the worker.
        for (const [id, { resolve }] of showing) resolve?.(failed(id));
        showing.clear();
        for (const resolve of previews.values()) resolve(null);
        previews.clear();
      });
    }
    return worker;
  };

  const viaWorker = ({ prebuilt: _, ...request }: RunRequest, preview?: (o: RunOutcome | null) => void): Promise<RunOutcome> => {
    const worker = start();
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      if (preview) previews.set(id, preview);
      worker.postMessage({ id, request, ...(preview ? { preview: true } : {}) } satisfies WorkerRequest);
    });
  };

  return {
    warm() {
      if (options.spawnWorker) start();
    },
    early(request) {
      if (!options.spawnWorker) return;
      let preview: (o: RunOutcome | null) => void = () => undefined;
      const previewed = new Promise<RunOutcome | null>((resolve) => (preview = resolve));
      headStarts.push({ key: runKey(request), text: request.text, outcome: viaWorker(request, preview), preview: previewed });
    },
    preview(request) {
      const key = runKey(request);
      return headStarts.find((h) => h.key === key && h.text === request.text)?.preview;
    },
    async run(request) {
      // The run as the site's build made it, when that is what is asked: neither the engine nor
      // the mesh's profile is needed (the YAML pane loads the profile when it shows the resources).
      if (request.prebuilt && request.loaded?.ok && asBuilt(request)) {
        const { scenario } = request.loaded;
        const offered = offeredMeshes(scenario);
        const { trace, report, show } = await request.prebuilt();
        const outcome = fromWire({ ok: true, trace, report, scenario, offered, compare: comparePanes(scenario, offered) });
        if (outcome.ok) useBuiltShowMap(outcome.trace, show);
        return { ...outcome, where: 'built' };
      }
      // The mesh's profile, loaded on first use (a chunk of its own in the page), here even when
      // the worker simulates: the YAML pane reads it for the resources in effect.
      const profile = loadProfile(request.mesh);
      // What runs the learner's commands (faults), when the request has any: a first play has none.
      if (request.edits?.commands?.length) await loadCommands();
      const key = runKey(request);
      const early = headStarts.findIndex((h) => h.key === key && h.text === request.text);
      if (early >= 0) {
        const [head] = headStarts.splice(early, 1);
        await profile;
        return { ...(await head!.outcome), where: 'worker' };
      }
      await profile;
      // The authoring view's runner: everything in the worker, parsing included.
      if (options.always && options.spawnWorker) return { ...(await viaWorker(request)), where: 'worker' };
      const base = await loadBase(request);
      if (!base.ok) return { ok: false, problems: problemsOf(request.file, base.problems), where: 'inline' };
      // From here on the scenario travels loaded, native edits in it: the worker parses nothing.
      const { native: _, ...edits } = request.edits ?? {};
      const loaded: RunRequest = { ...request, edits, loaded: base };
      if (options.spawnWorker && estimatedRequests(base.scenario) > limit) return { ...(await viaWorker(loaded)), where: 'worker' };
      const { runLoaded } = await loadEngine();
      return { ...runLoaded(base.scenario, loaded), where: 'inline' };
    },
  };
}

/** The request's scenario with its native edits, parsed only when it must be. */
async function loadBase(request: RunRequest): Promise<LoadResult> {
  if (request.loaded && !request.edits?.native?.length) return request.loaded;
  const { loadWithNative } = await import('./parse.ts');
  return loadWithNative(request.text, request.file, request.edits?.native, request.loaded);
}

/**
 * A scenario file as written (no edits): `loaded` when given (a library scenario), else its text
 * parsed, loading the parser on first use.
 */
export async function readScenario(
  text: string,
  file: string,
  loaded?: LoadResult,
): Promise<{ ok: true; scenario: LoadedScenario } | { ok: false; problems: RunProblem[] }> {
  const base = loaded ?? (await import('./parse.ts')).parseOnce(text, file);
  return base.ok ? base : { ok: false, problems: problemsOf(file, base.problems) };
}
