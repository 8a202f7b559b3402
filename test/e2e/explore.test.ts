/**
 * Exploring the picture without a mouse, and in words (issue 12's "keyboard complete"):
 * - the arrow keys on the focused canvas reach a link and a packet in flight, not only boxes; the
 *   live region says what the focus is on, and Enter puts it in the inspector;
 * - "Picture as text" names the boxes, links and packets on screen at the playhead, and changes
 *   when the playhead moves;
 * - a folded group of replicas ("reviews ×9") opens into one card per pod when clicked.
 * Where things are is read from the page (window.meshSim's *OnScreen queries); the keys walk
 * toward a target by its position, so the test does not depend on one arrangement.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, frames, openApp, PICTURE_WINDOW } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

/** What the keyboard can be on, as the page draws it: where, and how its description starts. */
interface Spot {
  kind: 'node' | 'link' | 'packet';
  x: number;
  y: number;
  /** How the live region's text starts when the focus is on it. */
  says: string;
  /** The inspector's heading once it is picked with Enter. */
  heading: RegExp;
}

const ROLE_WORDS: Record<string, string> = { app: 'app', sidecar: 'sidecar proxy' };

/** Everything on the picture the arrows can land on (boxes named as a learner hears them). */
async function spotsOf(page: Page): Promise<Spot[]> {
  const { boxes, tags, packets } = await page.evaluate(() => ({
    boxes: window.meshSim!.layoutOnScreen()!.boxes,
    tags: window.meshSim!.tagsOnScreen(),
    packets: window.meshSim!.packetsOnScreen(),
  }));
  const name = (id: string): string => {
    const b = boxes.find((x) => x.id === id);
    const pod = id.split('/')[0]!;
    return b && ROLE_WORDS[b.role] ? `${pod} ${ROLE_WORDS[b.role]}` : `${pod} (`;
  };
  const pod = (id: string): string => id.split('/')[0]!;
  return [
    ...boxes.map((b): Spot => ({ kind: 'node', x: b.x + b.w / 2, y: b.y + b.h / 2, says: name(b.id), heading: new RegExp(pod(b.id)) })),
    ...tags.map((t): Spot => ({
      kind: 'link',
      x: t.x + t.w / 2,
      y: t.y + t.h / 2,
      says: `link from ${name(t.from!)} to ${name(t.to!)}`,
      heading: new RegExp(`^Link: ${pod(t.from!)}.* → ${pod(t.to!)}`),
    })),
    ...packets.map((p): Spot => ({
      kind: 'packet',
      x: p.x,
      y: p.y,
      says: `packet ${p.label} from `,
      heading: new RegExp(`^Packet: ${p.label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
    })),
  ];
}

const said = (page: Page): Promise<string> => page.getByTestId('canvas-focus').innerText();

/**
 * Presses arrows on the focused canvas toward `goal` (each time the arrow along the larger
 * distance left, else the other one) until the live region says the focus is on it.
 */
async function walkTo(page: Page, spots: Spot[], goal: Spot): Promise<string[]> {
  const path: string[] = [];
  let now = await said(page);
  let at: Spot | undefined;
  for (let i = 0; i < 24 && !now.startsWith(goal.says); i++) {
    // Where the focus is: the spot it describes nearest where it was (packets may share a label).
    const from = at;
    const matching = spots.filter((s) => now.startsWith(s.says));
    at = from ? matching.sort((a, b) => Math.hypot(a.x - from.x, a.y - from.y) - Math.hypot(b.x - from.x, b.y - from.y))[0] : matching[0];
    const dx = goal.x - (at?.x ?? 0);
    const dy = goal.y - (at?.y ?? 0);
    const h = dx > 0 ? 'ArrowRight' : 'ArrowLeft';
    const v = dy > 0 ? 'ArrowDown' : 'ArrowUp';
    const keys = Math.abs(dx) >= Math.abs(dy) ? [h, v] : [v, h];
    for (const key of keys) {
      await page.keyboard.press(key);
      const next = await said(page);
      path.push(`${key} → ${next.slice(0, 60)}`);
      if (next !== now) {
        now = next;
        break;
      }
    }
  }
  expect(now.startsWith(goal.says), `toward "${goal.says}": ${path.join(' | ')}`).toBe(true);
  return path;
}

describe('exploring the picture', () => {
  it('reaches a link and a packet in flight with the arrow keys, says what they are, and inspects each with Enter', { timeout: 120_000 }, async () => {
    // retries-flaky-pod under Istio at 5.2 s: the client's links carry traffic (each with its tag) and packets fly.
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=istio&t=5200', { viewport: PICTURE_WINDOW });
    await frames(page);
    const before = (await appState(page)).stepIndex;
    const spots = await spotsOf(page);
    const links = spots.filter((s) => s.kind === 'link');
    const packets = spots.filter((s) => s.kind === 'packet');
    expect(links.length, 'links with tags on screen').toBeGreaterThan(0);
    expect(packets.length, 'packets on screen').toBeGreaterThan(0);
    await page.locator('[data-testid=stage] canvas').focus();
    await page.keyboard.press('ArrowDown');
    const inspector = page.getByRole('region', { name: 'Inspector' }).getByRole('heading', { level: 2 });
    // The link with the 503s: the live region gives its traffic in words.
    const link = links.find((l) => /reviews-1/.test(l.says)) ?? links[0]!;
    await walkTo(page, spots, link);
    expect(await said(page)).toMatch(/requests a second/);
    await page.keyboard.press('Enter');
    await expect.poll(() => inspector.innerText()).toMatch(link.heading);
    // A packet in flight, from there; the inspector follows to it.
    const packet = packets[0]!;
    await walkTo(page, spots, packet);
    await page.keyboard.press('Enter');
    await expect.poll(() => inspector.innerText()).toMatch(packet.heading);
    expect(await page.getByRole('region', { name: 'Inspector' }).innerText()).toMatch(/Decisions for req-/i);
    // The arrows moved the focus ring only, never the playhead.
    expect((await appState(page)).stepIndex).toBe(before);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('names in "Picture as text" the boxes, links and packets on screen, and follows the playhead', { timeout: 120_000 }, async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=istio&t=5200', { viewport: PICTURE_WINDOW });
    await frames(page);
    const panel = page.getByRole('group', { name: 'Picture as text' }).or(page.locator('details[aria-label="Picture as text"]'));
    await panel.locator('summary').click();
    const lines = (): Promise<string[]> => page.locator('#picture-text li').allInnerTexts();
    const check = async (): Promise<string[]> => {
      const spots = await spotsOf(page);
      // The text view is written after the frame: wait until it names what is drawn now.
      const packetLines = spots.filter((s) => s.kind === 'packet').map((s) => s.says);
      await expect
        .poll(async () =>
          (await lines())
            .filter((l) => l.startsWith('packet '))
            .map((l) => l.slice(0, l.indexOf(' from ') + 6))
            .sort(),
        )
        .toEqual(packetLines.sort());
      const text = await lines();
      for (const s of spots)
        expect(
          text.some((l) => l.startsWith(s.says)),
          `"${s.says}…" in ${text.length} lines`,
        ).toBe(true);
      return text;
    };
    const first = await check();
    expect(first.filter((l) => l.startsWith('packet ')).length).toBeGreaterThan(0);
    // Step on (from the page, not the canvas: there the arrows explore) until the packets on screen change.
    const seqs = (): Promise<string> =>
      page.evaluate(() =>
        window
          .meshSim!.packetsOnScreen()
          .map((p) => p.seq)
          .join(','),
      );
    const was = await seqs();
    await page.locator('body').focus();
    for (let i = 0; i < 10 && (await seqs()) === was; i++) {
      const index = (await appState(page)).stepIndex;
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((n) => window.meshSim!.state()!.stepIndex > n, index);
      await frames(page);
    }
    expect(await seqs()).not.toBe(was);
    const second = await check();
    expect(second).not.toEqual(first);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a folded group of replicas into a card per pod when it is clicked', { timeout: 120_000 }, async () => {
    site.fixtures.set(
      'ten-replicas.yaml',
      'id: ten-replicas\ntitle: Ten replicas\nduration: 2s\nservices:\n  - name: web\n  - name: reviews\n    replicas: 10\ntraffic:\n  - { from: web, to: reviews, rate: 20/s }\n',
    );
    const { page, problems } = await openApp(browser, site, '?scenarioUrl=/fixtures/ten-replicas.yaml&mesh=istio', { viewport: PICTURE_WINDOW });
    await frames(page);
    const cards = (): Promise<{ key: string; members: string[]; x: number; y: number; w: number; h: number }[]> =>
      page.evaluate(() => window.meshSim!.layoutOnScreen()!.cards);
    const group = (await cards()).find((c) => c.members.length > 1);
    expect(group, 'a folded group at 1280×800').toBeDefined();
    const titles = async (): Promise<string[]> => (await page.evaluate(() => window.meshSim!.textsOnScreen())).map((t) => t.text);
    expect(await titles()).toContain(`reviews ×${group!.members.length}`);
    const canvas = (await page.locator('[data-testid=stage] canvas').boundingBox())!;
    await page.mouse.click(canvas.x + group!.x + group!.w / 2, canvas.y + group!.y + group!.h / 2);
    await page.waitForFunction(() => window.meshSim!.layoutOnScreen()!.cards.every((c) => c.members.length === 1));
    await frames(page);
    const open = await cards();
    // One card per pod of the group, each where no other card is.
    for (const pod of group!.members) expect(open.map((c) => c.key)).toContain(pod);
    const spots = new Set(open.map((c) => `${Math.round(c.x)},${Math.round(c.y)}`));
    expect(spots.size).toBe(open.length);
    const shown = await titles();
    expect(shown).not.toContain(`reviews ×${group!.members.length}`);
    for (const pod of group!.members) expect(shown).toContain(pod);
    expect(problems).toEqual([]);
    await page.close();
  });
});
