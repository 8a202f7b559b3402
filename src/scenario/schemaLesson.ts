/**
 * The lesson around a run: narration lines, checkpoints and the figures `expect` checks
 * (DESIGN.md "Scenario files"). Part of the scenario schema (schema.ts).
 */
import { z } from './zodSetup.ts';
import { comparison, durationMs } from './units.ts';
import { NARRATION_TRIGGERS } from '../sim/decisions.ts';

/** A narration line; `mesh` is one of the catalog's ids. */
export const narrationSchemaOf = (meshId: z.ZodType<string>) =>
  z
    .strictObject({
      at: durationMs.optional().describe("The line's time (give at or on)."),
      /** Events a narration line can wait for (the first one in the run); the decision table says which decisions fire which. */
      on: z
        .enum(NARRATION_TRIGGERS)
        .optional()
        .describe(
          'The line waits for the first event of this kind: request, retry, timeout, handshake, certificate, config-push, failure, crash, deny, … (give at or on).',
        ),
      text: z.string().min(1).describe('What the line says.'),
      /** Only shown under this mesh (for lines about what one mesh does). */
      mesh: meshId.optional().describe('Only shown under this mesh, for lines about what one mesh does.'),
    })
    .superRefine((n, ctx) => {
      if ((n.at === undefined) === (n.on === undefined)) ctx.addIssue({ code: 'custom', message: 'must set exactly one of at or on' });
    });

/** What a checkpoint's answer is computed from: the simulation, never the file. */
export const CHECKPOINT_MEASURES = [
  'client-errors',
  'retries',
  'failed-handshakes',
  'mtls-requests',
  'plaintext-requests',
  'ejections',
  'denied-requests',
  'timeouts',
  'overflows',
  'certificates-issued',
  'requests-received',
  // The run report's footprint (FIDELITY-MORE H10, L6): the whole run, not between at and until.
  'proxies',
  'proxy-memory-mb',
] as const;

/**
 * A predict-then-reveal question. The answer is measured in the run — never written in the file:
 * for `yes-no`, "yes" when the measure is above zero between `at` and `until` (or the end).
 */
export const checkpointSchema = z
  .strictObject({
    at: durationMs.describe('When the question is asked: playback pauses there (0s asks before the start).'),
    question: z.string().min(1).describe('The question the learner answers before the run reveals it.'),
    measure: z
      .enum(CHECKPOINT_MEASURES)
      .describe(
        "What the answer is measured from in the run: client-errors, retries, requests-received, failed-handshakes, mtls-requests, plaintext-requests, ejections, denied-requests, timeouts, overflows or certificates-issued; proxies (the data plane's proxies) or proxy-memory-mb (their estimated memory, from published figures) for the whole run.",
      ),
    /** Only requests to this service (or external host) count, where the measure is about requests. */
    service: z.string().optional().describe('Only requests to this service (or external host) count, where the measure is about requests.'),
    /** Only requests from this service (or pod, or outside client) count. */
    from: z.string().optional().describe('Only requests from this service (or pod, or outside client) count.'),
    /** requests-received only: only attempts that reached this pod's app count. */
    pod: z.string().optional().describe("For requests-received: only attempts that reached this pod's app count (backend-1)."),
    answer: z
      .enum(['yes-no', 'number'])
      .default('yes-no')
      .describe('yes-no (default): the learner predicts yes or no; number: the learner predicts the count.'),
    /** For yes-no: the answer is yes when the measure is above zero (`some`) or zero (`none`). */
    yesWhen: z
      .enum(['some', 'none'])
      .default('some')
      .describe('For yes-no: the answer is yes when the measure is above zero (some, the default) or zero (none).'),
    until: durationMs.optional().describe('The end of the measured window (default: the end of the run).'),
  })
  .superRefine((c, ctx) => {
    if (c.until !== undefined && c.until <= c.at) ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after at' });
    if (c.pod !== undefined && c.measure !== 'requests-received')
      ctx.addIssue({ code: 'custom', path: ['pod'], message: 'is only for measure: requests-received' });
  });

/** Figures of the run report that `expect` can check. */
export const expectationSchema = z.strictObject({
  total: comparison.optional().describe('Requests in the run, such as ">= 100".'),
  ok: comparison.optional().describe('Requests that ended with a 2xx status.'),
  failed: comparison.optional().describe('Requests that did not end with a 2xx status.'),
  okRate: comparison.optional().describe('The share of requests that ended 2xx, 0 to 1, such as ">= 0.99".'),
  retries: comparison.optional().describe("Retries sent by the clients' proxies."),
  mtlsRate: comparison.optional().describe('The share of requests that travelled inside mTLS, 0 to 1.'),
  p50: comparison.optional().describe('The median request latency in ms.'),
  p99: comparison.optional().describe('The 99th percentile request latency in ms.'),
  handshakesOk: comparison.optional().describe('mTLS handshakes that succeeded.'),
  handshakesFailed: comparison.optional().describe('mTLS handshakes that failed.'),
  certificates: comparison.optional().describe('Workload certificates issued.'),
  proxies: comparison.optional().describe("The data plane's proxies (the run report's footprint.total.proxies)."),
  proxyMemoryMb: comparison.optional().describe('Their estimated memory in MB, from published figures (footprint.total.memoryMb).'),
  proxyVCpu: comparison.optional().describe('Their estimated vCPU, from published figures (footprint.total.vCpu).'),
  byStatus: z
    .record(z.string().regex(/^\d{1,3}$/, { message: 'must be a status code' }), comparison)
    .optional()
    .describe('Requests per final status code: { "503": "== 0" }.'),
  /** Requests whose reason starts with the key (`UO`, `URX`, `forbidden`, ...). */
  byReason: z.record(z.string(), comparison).optional().describe('Requests whose reason starts with the key (UO, URX, forbidden, …).'),
  /** Requests that reached each pod's application. */
  received: z.record(z.string(), comparison).optional().describe('Requests that reached each pod\'s application: { reviews-1: "> 0" }.'),
  // Connection meshes (Network Service Mesh, FIDELITY-MORE K2–K4): vWires, not requests.
  vwires: comparison.optional().describe('vWires that came up (a connection mesh: Network Service Mesh).'),
  refreshes: comparison.optional().describe('Requests clients re-sent to keep their vWires from expiring.'),
  heals: comparison.optional().describe('vWires a client healed away from after its liveness check failed.'),
});
