/**
 * Proxies of every kind, drawn from a library scenario under Istio ambient
 * (ambient-authz-fail-closed): a ztunnel as a strip along its Kubernetes node with that node's
 * pods grouped above it, the waypoint as one box of its own in its Kubernetes node's band (a pod
 * there; a Gateway of class istio-waypoint, drawn once: not also at the ingress edge), HBONE tunnels as pipes with
 * their packets inside. The moments are simulated here, in Node.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Player, runScenario } from '../../src/player/index.ts';
import type { FlightEvent } from '../../src/sim/index.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, frames, inside, openApp, overlaps, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

const FILE = 'scenarios/ambient-authz-fail-closed.yaml';
const run = runScenario({ text: readFileSync(FILE, 'utf8'), file: FILE, mesh: 'ambient' });
if (!run.ok) throw new Error(run.problems.map((p) => p.text).join('\n'));
const trace = run.trace;

const layout = async (page: Page) => (await page.evaluate(() => window.meshSim!.layoutOnScreen()))!;
const texts = (page: Page) => page.evaluate(() => window.meshSim!.textsOnScreen());

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

describe('proxies of every kind, under Istio ambient', () => {
  it('draws each ztunnel as a strip along its Kubernetes node, the pods of that node grouped above it, and no sidecar', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=ambient-authz-fail-closed&mesh=ambient');
    const l = await layout(page);
    expect(l.bands.map((b) => b.label)).toEqual(['node node-1', 'node node-2']);
    const [a, b] = l.bands;
    const card = (pod: string): Rect => l.cards.find((c) => c.members.includes(pod))!;
    expect(inside(card('productpage-0'), a!) && inside(card('reviews-1'), a!)).toBe(true);
    expect(inside(card('reviews-0'), b!)).toBe(true);
    for (const [band, id] of [
      [a!, 'node-1/ztunnel'],
      [b!, 'node-2/ztunnel'],
    ] as const) {
      const strip = l.boxes.find((x) => x.id === id)!;
      expect(strip.role).toBe('node-proxy');
      expect(inside(strip, band)).toBe(true);
      expect(strip.w).toBeGreaterThan(4 * strip.h);
      // Along the node's bottom, below every pod of the node.
      for (const c of l.cards.filter((x) => inside(x, band))) expect(strip.y).toBeGreaterThan(c.y + c.h);
    }
    expect(l.boxes.filter((x) => x.role === 'sidecar')).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws the waypoint once, as a standalone box outside every card, in its Kubernetes node's band", async () => {
    const { page } = await openApp(browser, site, '?scenario=ambient-authz-fail-closed&mesh=ambient&t=6000');
    const l = await layout(page);
    const boxes = l.boxes.filter((x) => x.id === 'waypoint-0/gateway');
    expect(boxes.map((x) => x.role)).toEqual(['waypoint']);
    for (const r of l.cards) expect(overlaps(boxes[0]!, r)).toBe(false);
    const node = trace.topology.proxies.find((p) => p.id === 'waypoint-0/gateway')!.nodeName;
    expect(
      inside(
        boxes[0]!,
        l.bands.find((b) => b.label === `node ${node}`)!,
      ),
    ).toBe(true);
    const titles = (await texts(page)).filter((t) => t.text === 'waypoint-0');
    expect(titles).toHaveLength(1);
    expect(inside(titles[0]!, boxes[0]!)).toBe(true);
    await page.close();
  });

  it('draws the tunnels as labelled pipes, with a packet on one as it sets off', async () => {
    // A request from node-1's ztunnel to the waypoint (HBONE). A link to its simulated moment shows
    // its step done, and the steps after it whose clock has not passed that moment (Player.seekTime:
    // the waypoint's end of the handshake, 5.755 s too, by when the packet has crossed); stepped
    // back to, as a learner would, it sets off (the moment and the step are simulated here).
    const hop = trace.events.find(
      (e): e is FlightEvent => e.type === 'flight' && e.from === 'node-1/ztunnel' && e.to === 'waypoint-0/gateway' && e.kind === 'http-request',
    )!;
    expect(hop).toBeDefined();
    const player = new Player(trace);
    const target = player.steps.findIndex((st) => st.seq === hop.seq);
    player.seekTime(hop.t);
    const { page } = await openApp(browser, site, `?scenario=ambient-authz-fail-closed&mesh=ambient&t=${hop.t}`);
    expect((await texts(page)).filter((x) => x.text === 'HBONE tunnel · mTLS').length).toBeGreaterThanOrEqual(1);
    const opened = await appState(page);
    expect(opened.timeMs).toBe(hop.t);
    expect(opened.stepIndex).toBe(player.stepIndex);
    expect(opened.stepIndex).toBeGreaterThanOrEqual(target);
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    for (let i = opened.stepIndex; i > target; i--) await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((n) => window.meshSim!.state()!.stepIndex === n, target);
    await frames(page);
    const packet = (await page.evaluate(() => window.meshSim!.packetsOnScreen())).find((p) => p.seq === hop.seq);
    expect(packet?.label).toBe(hop.label);
    const l = await layout(page);
    const from = l.boxes.find((x) => x.id === 'node-1/ztunnel')!;
    const to = l.boxes.find((x) => x.id === 'waypoint-0/gateway')!;
    // At the strip's end facing the waypoint (on node-2, right of node-1), on its way there.
    expect(packet!.x).toBeGreaterThan(from.x + from.w - 40);
    expect(packet!.x).toBeLessThan(to.x);
    await page.close();
  });

  it('draws a waypoint a change deploys faint and dashed, "deployed at 5 s", with its pipes, until its pod starts (ambient-waypoint-l7)', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=ambient-waypoint-l7&mesh=ambient&t=4900');
    const title = async () => (await texts(page)).find((t) => t.text === 'waypoint-0');
    const note = async () => (await texts(page)).find((t) => /^deployed at /.test(t.text));
    // Before 5 s: the box is there to see where it will stand, but faded, and says when it comes.
    expect((await title())!.alpha).toBeLessThan(0.5);
    expect((await note())?.text).toBe('deployed at 5 s');
    const pipes = (await texts(page)).filter((t) => t.text === 'HBONE tunnel · mTLS');
    // The pipes to the waypoint faint with it; the one between the two ztunnels as drawn.
    expect(pipes.filter((p) => p.alpha < 0.5).length).toBeGreaterThanOrEqual(1);
    expect(pipes.filter((p) => p.alpha === 1).length).toBe(1);
    const box = (await layout(page)).boxes.find((x) => x.id === 'waypoint-0/gateway')!;
    expect(inside((await note())!, { x: box.x - box.w, y: box.y + box.h, w: 3 * box.w, h: 3 * box.h })).toBe(true);
    // Step on as a learner would until the waypoint's pod starts: then drawn plainly, the note gone.
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    for (let i = 0; i < 200 && (await title())!.alpha < 1; i++) {
      const before = (await appState(page)).stepIndex;
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((n) => window.meshSim!.state()!.stepIndex !== n, before);
      await frames(page);
    }
    expect((await title())!.alpha).toBe(1);
    expect((await appState(page)).timeMs).toBeGreaterThanOrEqual(5000);
    expect(await note()).toBeUndefined();
    for (const p of (await texts(page)).filter((t) => t.text === 'HBONE tunnel · mTLS')) expect(p.alpha).toBe(1);
    await page.screenshot({ path: '/tmp/picture-waypoint-deployed.png' });
    // Back before 5 s (a reload there): faded again.
    await page.goto(`${site.url}?scenario=ambient-waypoint-l7&mesh=ambient&t=2000`);
    await page.waitForSelector('body[data-ready=true]');
    await frames(page);
    expect((await title())!.alpha).toBeLessThan(0.5);
    expect((await note())?.text).toBe('deployed at 5 s');
    await page.screenshot({ path: '/tmp/picture-waypoint-not-yet.png' });
    expect(problems).toEqual([]);
    await page.close();
  });
});
