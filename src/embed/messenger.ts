/**
 * The embed's side of postMessage. Commands are accepted only from the parent window, only from
 * an origin in the allow-list (exact match), and only when they pass the zod schema; anything
 * else is dropped without a word (a hostile page learns nothing, and nothing throws). Events go
 * only to allowed origins, never to `*`: to the parent's actual origin where the browser tells
 * it (`location.ancestorOrigins`), else to each allowed origin (the browser delivers a message
 * only when the target origin matches the parent's).
 */
import type { z } from '../scenario/zodSetup.ts';
import { message, type Command, type EmbedEvent } from './protocol.ts';

/** One frame's postMessage link to its host page. */
export class Messenger {
  private readonly targets: readonly string[];

  constructor(
    private readonly win: Window,
    private readonly origins: readonly string[],
  ) {
    this.targets = Messenger.targetsOf(win, origins);
  }

  private static targetsOf(win: Window, origins: readonly string[]): readonly string[] {
    if (win.parent === win || origins.length === 0) return [];
    const ancestor = win.location.ancestorOrigins?.[0];
    if (ancestor !== undefined) return origins.includes(ancestor) ? [ancestor] : [];
    return origins;
  }

  /** Whether any page will hear the events. */
  get connected(): boolean {
    return this.targets.length > 0;
  }

  post(event: EmbedEvent): void {
    const m = message(event);
    for (const origin of this.targets) this.win.parent.postMessage(m, origin);
  }

  /**
   * Calls `handle` with each acceptable command, in the order they came. A command that fails
   * while running (a scenario that cannot load) is reported as an `error` event; a message that
   * is not acceptable is not. `schema` may be a loader, called once, with the first message
   * from an allowed origin (the embed loads zod then, not before its first frame).
   */
  listen(schema: z.ZodType<Command> | (() => Promise<z.ZodType<Command>>), handle: (command: Command) => Promise<void> | void): void {
    let loaded: Promise<z.ZodType<Command>> | null = typeof schema === 'function' ? null : Promise.resolve(schema);
    this.win.addEventListener('message', (e: MessageEvent) => {
      if (this.origins.length === 0 || e.source !== this.win.parent || this.win.parent === this.win) return;
      if (!this.origins.includes(e.origin)) return;
      const data: unknown = e.data;
      loaded ??= (schema as () => Promise<z.ZodType<Command>>)();
      void loaded.then((s) => {
        const parsed = s.safeParse(data);
        if (!parsed.success) return;
        Promise.resolve()
          .then(() => handle(parsed.data))
          .catch((err: unknown) => this.post({ type: 'error', message: `${parsed.data.type}: ${err instanceof Error ? err.message : String(err)}` }));
      });
    });
  }
}
