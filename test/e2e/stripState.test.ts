/**
 * A ztunnel's strip shows its state (issue 12, "state on screen"): under Istio ambient the node
 * proxy holds the config istiod pushes and a certificate per identity of its node's pods, as a
 * sidecar does, and its strip ends in a config chip (stale while istiod has newer config, synced
 * after) and a summary of those certificates, beside its caption and off it. What the chips
 * should say is read from a Player of the same run in the test, at the page's step.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { statePhrase } from '../../src/player/index.ts';
import { pagePlayer } from '../helpers/pagePlayer.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, frames, inside, openPicture, overlaps, type Rect } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

type Text = Rect & { text: string };

/** Per ztunnel (its node id), its config state and its certificates' phrases, in pane `pane` of a Player of the page's runs, at the page's step. */
function expectedStates(id: string, meshes: readonly string[], pane: number, at: { timeMs: number; stepIndex: number }) {
  const { player, traces } = pagePlayer(id, meshes, at);
  const components = player.viewOf(pane).components;
  const out = new Map<string, { config: string; certs: string[] }>();
  for (const p of traces[pane]!.topology.proxies.filter((x) => x.kind === 'node')) {
    const config = components.find((c) => c.machine === 'proxyConfig' && c.node === p.id)!.state;
    const certs = p.identities.map((i) => {
      const c = components.find((x) => x.entity === i.certificate);
      return c ? statePhrase('certificate', c.state, c.previous).short : 'no cert';
    });
    out.set(p.id, { config, certs });
  }
  return out;
}

/** What each strip of pane `pane` shows: its caption and the chips right of it. */
async function strips(page: Page, pane: number): Promise<Map<string, { strip: Rect; caption: Text; chips: Text[] }>> {
  const { layout, texts } = await page.evaluate((p) => ({ layout: window.meshSim!.layoutOnScreen(p)!, texts: window.meshSim!.textsOnScreen(p) }), pane);
  const out = new Map<string, { strip: Rect; caption: Text; chips: Text[] }>();
  for (const b of layout.boxes.filter((x) => x.role === 'node-proxy')) {
    const within = texts.filter((t) => inside(t, b, 1)).sort((a, c) => a.x - c.x);
    const caption = within.find((t) => t.text.startsWith('ztunnel'))!;
    expect(caption, `${b.id}'s caption`).toBeDefined();
    out.set(b.id, { strip: b, caption, chips: within.filter((t) => t !== caption) });
  }
  return out;
}

/** Checks each strip against the Player's states; the number of strips whose certificates are counted ("cert ✓ ×2"). */
async function checkStrips(page: Page, id: string, pane: number, config: 'stale' | 'synced'): Promise<number> {
  const at = await appState(page);
  const expected = expectedStates(id, at.meshes, pane, at);
  const drawn = await strips(page, pane);
  expect([...drawn.keys()].sort()).toEqual([...expected.keys()].sort());
  let counted = 0;
  for (const [node, { config: state, certs }] of expected) {
    expect(state, `${node}'s config in the trace`).toBe(config);
    const { caption, chips } = drawn.get(node)!;
    const words = chips.map((c) => c.text);
    // The config chip is there, saying stale or synced in the sidecars' words (or shorter).
    const configChip = chips.find((c) => /^config|^stale$/.test(c.text));
    expect(configChip, `${node}: ${words.join(' | ')}`).toBeDefined();
    if (config === 'stale') expect(configChip!.text).toMatch(/stale$/);
    else expect(configChip!.text).toMatch(/^config (v\d+ )?✓$/);
    // The certificate summary: the worst phrase, with how many certificates are in it.
    const worst = certs.includes('cert expired') ? 'cert expired' : (certs.find((c) => c !== 'cert ✓') ?? 'cert ✓');
    const n = certs.filter((c) => c === worst).length;
    const certChip = chips.find((c) => c !== configChip);
    if (certChip) {
      expect([`${worst} ×${n}`, worst], node).toContain(certChip.text);
      if (certChip.text.includes('×')) counted++;
    }
    for (const c of chips) expect(overlaps(c, caption), `${node}: "${c.text}" on its caption`).toBe(false);
  }
  return counted;
}

/** Badge rows and the HBONE pipes' labels off every strip's chips. */
async function nothingOnChips(page: Page, pane: number): Promise<void> {
  const drawn = await strips(page, pane);
  const { badges, texts } = await page.evaluate((p) => ({ badges: window.meshSim!.badgesOnScreen(p), texts: window.meshSim!.textsOnScreen(p) }), pane);
  const others = [...badges, ...texts.filter((t) => t.text === 'HBONE tunnel · mTLS')];
  const wrong: string[] = [];
  for (const [node, { chips }] of drawn)
    for (const c of chips) for (const o of others) if (overlaps(c, o, 1)) wrong.push(`${node}'s "${c.text}" under "${o.text}"`);
  expect(wrong).toEqual([]);
}

/** Waits until pane `pane`'s picture is laid out and drawn. */
async function drawn(page: Page, pane: number): Promise<void> {
  await page.waitForFunction((p) => window.meshSim!.layoutOnScreen(p) !== null, pane, { timeout: 55_000 });
  await frames(page);
}

describe("a ztunnel strip's state chips", () => {
  it.each([
    ['ambient-waypoint-l7', '', 0],
    ['ambient-waypoint-l7', '&mesh=compare&with=istio,ambient', 1],
    ['authorization', '', 0],
  ] as const)(
    '%s%s: stale while istiod has newer config, synced after; the certificates as the trace has them',
    { timeout: 120_000 },
    async (id, query, pane) => {
      // authorization: istiod pushes at 2 s (ztunnels stale until 2.101 s); ambient-waypoint-l7 at 5 s (until 5.101 s).
      const [staleAt, syncedAt] = id === 'authorization' ? [2050, 2400] : [5050, 5300];
      const mesh = query || '&mesh=ambient';
      const { page, problems } = await openPicture(browser, site, `?scenario=${id}${mesh}&t=${staleAt}`);
      await drawn(page, pane);
      let counted = await checkStrips(page, id, pane, 'stale');
      await nothingOnChips(page, pane);
      await page.goto(`${site.url}?scenario=${id}${mesh}&t=${syncedAt}`);
      await page.waitForSelector('body[data-ready=true]', { timeout: 55_000 });
      await drawn(page, pane);
      counted += await checkStrips(page, id, pane, 'synced');
      await nothingOnChips(page, pane);
      // At 1280×800 a strip at least has room to count its certificates.
      if (pane === 0) expect(counted).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});
