/**
 * The postMessage protocol between a course page and the embedded simulator. Every message is a
 * plain JSON object `{ source: 'mesh-sim', version: 1, type, ... }`. Commands come in and are
 * checked with zod (commands.ts: strict, an unknown key, type or value rejects the message);
 * events go out. The `<mesh-sim>` element speaks the same protocol from the host side. This
 * module does without zod, so the embed's first frame does too: the schema loads with the first
 * message from the host page.
 */
import type { XapiStatement } from './xapi.ts';

/** Marks every message as ours (a page may carry other postMessage traffic). */
export const MESSAGE_SOURCE = 'mesh-sim';
/** Bumped only by an incompatible change; a message with another version is ignored. */
export const PROTOCOL_VERSION = 1;

export type { Command } from './commands.ts';

/** What the simulator tells its host page. */
export type EmbedEvent =
  /** `mesh`: a mesh id or `compare`; `meshes`: each pane's mesh (one, or compare's 2–6, the reference first). */
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
