import { describe, expect, it } from 'vitest';
import { Messenger } from '../../src/embed/messenger.ts';
import { commandSchema, type Command } from '../../src/embed/commands.ts';

const LMS = 'https://lms.example.com';
const play = { source: 'mesh-sim', version: 1, type: 'play' } as const;

/** A window in a frame: its parent records what is posted to it, and messages can be delivered. */
function framedWindow(options: { ancestor?: string; framed?: boolean } = {}) {
  const posted: { message: unknown; origin: string }[] = [];
  const parent = { postMessage: (message: unknown, origin: string) => posted.push({ message, origin }) };
  let listener: ((e: MessageEvent) => void) | null = null;
  const win = {
    parent: null as unknown,
    location: { ancestorOrigins: options.ancestor === undefined ? undefined : [options.ancestor] },
    addEventListener: (_type: string, l: (e: MessageEvent) => void) => (listener = l),
  };
  win.parent = options.framed === false ? win : parent;
  const deliver = (data: unknown, origin: string, source: unknown = win.parent): void => listener?.({ data, origin, source } as MessageEvent);
  return { win: win as unknown as Window, parent, posted, deliver };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const schema = commandSchema(['istio', 'linkerd']);

describe(Messenger, () => {
  describe('events', () => {
    it("go to the parent's origin only, when the browser names it and it is allowed", () => {
      const f = framedWindow({ ancestor: LMS });
      new Messenger(f.win, ['https://other.example', LMS]).post({ type: 'resize', height: 300 });
      expect(f.posted).toEqual([{ message: { source: 'mesh-sim', version: 1, type: 'resize', height: 300 }, origin: LMS }]);
    });

    it("go nowhere when the parent's origin is not allowed", () => {
      const f = framedWindow({ ancestor: 'https://evil.example' });
      const m = new Messenger(f.win, [LMS]);
      m.post({ type: 'resize', height: 300 });
      expect(f.posted).toEqual([]);
      expect(m.connected).toBe(false);
    });

    it("go to each allowed origin when the browser does not name the parent's (it delivers only the matching one), never to *", () => {
      const f = framedWindow();
      new Messenger(f.win, [LMS, 'https://b.example']).post({ type: 'error', message: 'x' });
      expect(f.posted.map((p) => p.origin)).toEqual([LMS, 'https://b.example']);
    });

    it('go nowhere without origins, or outside a frame', () => {
      const a = framedWindow({ ancestor: LMS });
      new Messenger(a.win, []).post({ type: 'resize', height: 1 });
      const b = framedWindow({ framed: false });
      new Messenger(b.win, [LMS]).post({ type: 'resize', height: 1 });
      expect([...a.posted, ...b.posted]).toEqual([]);
    });
  });

  describe('commands', () => {
    const listen = (origins: string[]) => {
      const f = framedWindow({ ancestor: LMS });
      const m = new Messenger(f.win, origins);
      const handled: Command[] = [];
      m.listen(schema, (c) => void handled.push(c));
      return { ...f, handled };
    };

    it('are carried out when they come from the parent, from an allowed origin, and pass the schema', async () => {
      const f = listen([LMS]);
      f.deliver(play, LMS);
      f.deliver({ ...play, type: 'seek', t: 100 }, LMS);
      await settle();
      expect(f.handled).toEqual([play, { ...play, type: 'seek', t: 100 }]);
    });

    it('are ignored from another origin, from another window, or malformed, without a word back', async () => {
      const f = listen([LMS]);
      f.deliver(play, 'https://evil.example');
      f.deliver(play, `${LMS}.evil.example`);
      f.deliver(play, 'null');
      f.deliver(play, LMS, { postMessage() {} });
      f.deliver({ ...play, type: 'seek', t: 'soon' }, LMS);
      f.deliver('play', LMS);
      await settle();
      expect(f.handled).toEqual([]);
      expect(f.posted).toEqual([]);
    });

    it('load a lazy schema once, with the first message from an allowed origin, and are carried out in the order they came', async () => {
      const f = framedWindow({ ancestor: LMS });
      const handled: Command[] = [];
      let loads = 0;
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => (release = r));
      new Messenger(f.win, [LMS]).listen(
        () => {
          loads++;
          return gate.then(() => schema);
        },
        (c) => void handled.push(c),
      );
      f.deliver(play, 'https://evil.example');
      await settle();
      expect(loads).toBe(0);
      f.deliver(play, LMS);
      f.deliver({ ...play, type: 'seek', t: 'soon' }, LMS);
      f.deliver({ ...play, type: 'seek', t: 100 }, LMS);
      await settle();
      expect(handled).toEqual([]);
      release();
      await settle();
      expect(loads).toBe(1);
      expect(handled).toEqual([play, { ...play, type: 'seek', t: 100 }]);
    });

    it('are ignored altogether without origins', async () => {
      const f = listen([]);
      f.deliver(play, LMS);
      await settle();
      expect(f.handled).toEqual([]);
    });

    it('that fail while running answer with an error event', async () => {
      const f = framedWindow({ ancestor: LMS });
      new Messenger(f.win, [LMS]).listen(schema, () => {
        throw new Error('no scenario "nope" in the library');
      });
      f.deliver({ ...play, type: 'loadScenario', id: 'nope' }, LMS);
      await settle();
      expect(f.posted).toEqual([
        { message: { source: 'mesh-sim', version: 1, type: 'error', message: 'loadScenario: no scenario "nope" in the library' }, origin: LMS },
      ]);
    });
  });
});
