/**
 * The postMessage protocol between a course page and the embedded simulator. Every message is a
 * plain JSON object `{ source: 'mesh-sim', version: 1, type, ... }`. Commands come in and are
 * checked here with zod (strict: an unknown key, type or value rejects the message); events go
 * out. The `<mesh-sim>` element speaks the same protocol from the host side.
 */
import { z } from '../scenario/zodSetup.ts';
import { COMPARE } from '../player/meshes.ts';
import type { XapiStatement } from './xapi.ts';

/** Marks every message as ours (a page may carry other postMessage traffic). */
export const MESSAGE_SOURCE = 'mesh-sim';
/** Bumped only by an incompatible change; a message with another version is ignored. */
export const PROTOCOL_VERSION = 1;

const envelope = { source: z.literal(MESSAGE_SOURCE), version: z.literal(PROTOCOL_VERSION) };

/** A step count as the transport bar shows it: 0 is the start, n is "step n of m". */
const stepIndex = z.int().min(0).max(10_000_000);
/** Simulated milliseconds (a day is far beyond any scenario; NaN and Infinity are refused). */
const simulatedMs = z.number().min(0).max(1e12);

/** Builds the command schema for the meshes a build offers (their ids; `compare` is added here). */
export function commandSchema(meshes: readonly [string, ...string[]]) {
  const id = z.enum(meshes);
  return z.discriminatedUnion('type', [
    z.strictObject({ ...envelope, type: z.literal('play') }),
    z.strictObject({ ...envelope, type: z.literal('pause') }),
    /** One step forward, or to step `index`. */
    z.strictObject({ ...envelope, type: z.literal('step'), index: stepIndex.optional() }),
    z.strictObject({ ...envelope, type: z.literal('seek'), t: simulatedMs }),
    /** `with`: compare mode's panes, 2–4 mesh ids (checked when run, so a wrong count is answered with an error). */
    z.strictObject({ ...envelope, type: z.literal('setMesh'), mesh: z.enum([COMPARE, ...meshes]), with: z.array(id).max(16).optional() }),
    z
      .strictObject({
        ...envelope,
        type: z.literal('loadScenario'),
        id: z
          .string()
          .regex(/^[\w-]{1,100}$/)
          .optional(),
        url: z.string().min(1).max(2048).optional(),
      })
      .refine((m) => (m.id === undefined) !== (m.url === undefined), 'give id or url'),
  ]);
}

/** A command that passed the schema. */
export type Command = z.output<ReturnType<typeof commandSchema>>;

/** What the simulator tells its host page. */
export type EmbedEvent =
  /** `mesh`: a mesh id or `compare`; `meshes`: each pane's mesh (one, or compare's 2–4, the reference first). */
  | { type: 'ready'; scenario: string; title: string; mesh: string; meshes: string[]; steps: number; durationMs: number; index: number; t: number }
  | { type: 'step'; t: number; index: number; of: number; text: string; statement: XapiStatement }
  | { type: 'narration'; t: number; text: string }
  | { type: 'checkpoint'; index: number; question: string; answer: string; correct: boolean; statement: XapiStatement }
  | { type: 'completed'; scenario: string; mesh: string; meshes: string[]; statement: XapiStatement }
  | { type: 'resize'; height: number }
  | { type: 'error'; message: string };

/** An event as posted: the envelope and the event. */
export type EmbedMessage = { source: typeof MESSAGE_SOURCE; version: typeof PROTOCOL_VERSION } & EmbedEvent;

/** Wraps an event in the envelope. */
export function message(event: EmbedEvent): EmbedMessage {
  return { source: MESSAGE_SOURCE, version: PROTOCOL_VERSION, ...event };
}
