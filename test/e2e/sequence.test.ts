/**
 * The Export panel's sequence diagram and request picker (issue 12): notes wrapped, never cut
 * with "…"; retried and failed requests marked in the list; the request under way at the
 * playhead chosen until the learner picks one; each pod's app lane just left of its proxy's.
 * Expected figures come from simulating the same scenario here (the run report's requests).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runScenario } from '../../src/player/index.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { openApp } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const file = 'scenarios/retries-flaky-pod.yaml';
const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh: 'istio' });
if (!run.ok) throw new Error(file);
const requests = run.report.requests;
const retried = requests.filter((r) => r.attempts > 1);
const failed = requests.filter((r) => r.status === 0 || r.status >= 400);

async function openExport(page: Page): Promise<ReturnType<Page['locator']>> {
  const exporter = page.locator('.export');
  await exporter.locator('summary').click();
  await exporter.getByRole('listbox', { name: 'Request' }).waitFor();
  return exporter;
}

describe('the sequence diagram', () => {
  it('wraps every note inside its box (no "…"), and puts each pod’s app lane just left of its proxy', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=istio');
    const exporter = await openExport(page);
    // A retried request: its retry note is the longest line of the diagram.
    const request = retried[0]!;
    await exporter.getByRole('searchbox', { name: 'Find a request' }).fill(request.id);
    await exporter
      .getByRole('listbox', { name: 'Request' })
      .getByRole('option', { name: new RegExp(`^${request.id} `) })
      .click();
    await exporter.getByRole('button', { name: 'Draw sequence diagram' }).click();
    const diagram = exporter.getByRole('img', { name: /^Sequence diagram: / });
    await diagram.waitFor();
    const notes = await diagram.locator('g.note').evaluateAll((gs) =>
      gs.map((g) => {
        const box = (g.querySelector('rect') as SVGRectElement).getBBox();
        const text = g.querySelector('text') as SVGTextElement;
        const t = text.getBBox();
        return {
          shown: [...text.querySelectorAll('tspan')].map((s) => s.textContent).join(' '),
          full: text.querySelector('title')!.textContent!,
          inside: t.x >= box.x && t.y >= box.y - 0.5 && t.x + t.width <= box.x + box.width && t.y + t.height <= box.y + box.height + 0.5,
        };
      }),
    );
    expect(notes.length).toBeGreaterThan(3);
    expect(notes.some((n) => n.full.length > 60)).toBe(true);
    for (const n of notes) {
      expect(n.shown, n.full).toBe(n.full.replace(/\s+/g, ' '));
      expect(n.shown).not.toContain('…');
      expect(n.inside, n.full).toBe(true);
    }
    // Message labels are whole too.
    const messages = await diagram
      .locator('g.message text')
      .evaluateAll((ts) => ts.map((t) => [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' ')));
    for (const m of messages) expect(m).not.toContain('…');

    // Lanes: every pod reads app | proxy, in the picture and in the Mermaid text alike.
    const lanes = await diagram.locator('g.participant text').evaluateAll((ts) => ts.map((t) => t.querySelector('title')!.textContent!));
    const pods = run.trace.topology.pods.filter((p) => p.proxy);
    const labels = new Map(run.trace.topology.nodes.map((n) => [n.id, n.label]));
    let pairs = 0;
    for (const p of pods) {
      const app = lanes.indexOf(labels.get(p.app)!);
      const proxy = lanes.indexOf(labels.get(p.proxy!)!);
      if (app < 0 || proxy < 0) continue;
      pairs++;
      expect(proxy, `${p.name}: ${lanes.join(' | ')}`).toBe(app + 1);
    }
    expect(pairs).toBeGreaterThanOrEqual(2);
    const mermaid = await exporter.getByRole('textbox', { name: 'Sequence diagram as Mermaid text' }).inputValue();
    expect([...mermaid.matchAll(/participant P\d+ as (.*)$/gm)].map((m) => m[1])).toEqual(lanes);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the request picker', () => {
  it('marks retried and failed requests in words, and finds them by those words', async () => {
    expect(retried.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=istio');
    const exporter = await openExport(page);
    const search = exporter.getByRole('searchbox', { name: 'Find a request' });
    const picker = exporter.getByRole('listbox', { name: 'Request' });
    const count = exporter.locator('.request-count');
    await search.fill('retried');
    await page.waitForFunction((n) => document.querySelector('.export .request-count')?.textContent?.startsWith(`${n} of `), retried.length);
    expect(await count.innerText()).toBe(`${retried.length} of ${requests.length} requests`);
    const first = picker.getByRole('option').first();
    expect(await first.innerText()).toMatch(new RegExp(`^${retried[0]!.id} .*↻ retried ×${retried[0]!.attempts - 1}`, 's'));
    await search.fill('failed');
    await page.waitForFunction((n) => document.querySelector('.export .request-count')?.textContent?.startsWith(`${n} of `), failed.length);
    expect(await picker.getByRole('option').first().innerText()).toMatch(new RegExp(`^${failed[0]!.id} .*✗ failed`, 's'));
    // A request neither retried nor failed carries no mark.
    const plain = requests.find((r) => r.attempts === 1 && r.status < 400)!;
    await search.fill(plain.id);
    await page.waitForFunction(() => document.querySelector('.export .request-count')?.textContent?.startsWith('1 of '));
    expect(await picker.getByRole('option').first().locator('.request-mark').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('chooses the request under way at the playhead until the learner picks one', async () => {
    const t = retried[0]!.startMs + 20;
    const { page, problems } = await openApp(browser, site, `?scenario=retries-flaky-pod&mesh=istio&t=${t}`);
    const at = await page.evaluate(() => window.meshSim!.state()!.timeMs);
    const exporter = await openExport(page);
    const chosen = exporter.getByRole('listbox', { name: 'Request' }).locator('[aria-selected=true]');
    await chosen.waitFor();
    const id = (await chosen.innerText()).split(' ')[0]!;
    const r = requests.find((x) => x.id === id)!;
    // Under way at the playhead: started by then, not ended before.
    expect(r.startMs).toBeLessThanOrEqual(at);
    expect(r.endMs).toBeGreaterThanOrEqual(at);
    // Drawing draws that request.
    await exporter.getByRole('button', { name: 'Draw sequence diagram' }).click();
    expect(await exporter.getByRole('textbox', { name: 'Sequence diagram as Mermaid text' }).inputValue()).toContain(`— ${id} (istio)`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
