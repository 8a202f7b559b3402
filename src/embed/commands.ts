/**
 * The commands a course page may send the embedded simulator (protocol.ts), checked with zod:
 * strict, an unknown key, type or value rejects the message. Loaded with the first message (see
 * Messenger.listen), so the embed's first frame does without zod.
 */
import { z } from '../scenario/zodSetup.ts';
import { COMPARE } from '../player/meshes.ts';
import { MESSAGE_SOURCE, PROTOCOL_VERSION } from './protocol.ts';

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
    /** `with`: compare mode's panes, 2–6 mesh ids (checked when run, so a wrong count is answered with an error). */
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
