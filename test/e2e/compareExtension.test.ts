/**
 * Issue 9's acceptance, through the URL: a build with the throwaway third mesh
 * (MESH_SIM_EXTENSIONS=test/extensions/linkerdCopy.ts) opens a library scenario in three-pane
 * compare with it — `?mesh=compare&with=istio,linkerd,linkerd-copy` — with no file of the app
 * naming it. The figures and differences expected are simulated here, in Node, with the same
 * module registering the mesh in this process.
 */
import '../extensions/linkerdCopy.ts';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';
import { MESHES, divergences, formatClock, runScenario, summaryOf, type RunOutcome, type RunSummary } from '../../src/player/index.ts';
import { buildSite, serve, type Site } from './site.ts';
import { appState, clock, frames, openApp } from './harness.ts';
import { clockAtEvent } from './clockAt.ts';
import { COPY_ID } from '../extensions/linkerdCopyScenario.ts';

const EXTENSION = 'test/extensions/linkerdCopy.ts';
const FILE = 'scenarios/retries-flaky-pod.yaml';

let site: Site;
let browser: Browser;

beforeAll(async () => {
  site = await serve(buildSite([EXTENSION]));
  browser = await workerBrowser();
});

afterAll(async () => {
  await releaseBrowser(browser);
  await site?.close();
});

function simulated(mesh: string): Extract<RunOutcome, { ok: true }> {
  const o = runScenario({ text: readFileSync(FILE, 'utf8'), file: FILE, mesh });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return o;
}

/** The Compare panel's table as text, row by row. */
const table = (page: Page): Promise<string[][]> =>
  page
    .getByRole('region', { name: 'Compare' })
    .locator('table.summary tr')
    .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));

describe('a build with a third mesh, compared through the URL', () => {
  it('opens a library scenario with ?mesh=compare&with=istio,linkerd,linkerd-copy: three panes, a column each, the differences Node finds', async () => {
    expect(MESHES.map((m) => m.id)).toContain(COPY_ID);
    const meshes = ['istio', 'linkerd', COPY_ID];
    const runs = meshes.map(simulated);
    const { page, problems } = await openApp(browser, site, `?scenario=retries-flaky-pod&mesh=compare&with=${meshes.join(',')}`);
    expect(await appState(page)).toMatchObject({ scenario: 'retries-flaky-pod', mesh: 'compare', meshes });
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    expect(await page.getByRole('application', { name: /^The mesh/ }).count()).toBe(3);
    expect(await page.locator('.pane-label:visible').allInnerTexts()).toEqual([
      `${runs[0]!.report.release.label} · reference`,
      runs[1]!.report.release.label,
      runs[2]!.report.release.label,
    ]);
    // Each pane names its mesh, the copy too (its release is Linkerd's, under its own name).
    expect(runs.map((r) => r.report.release.label.replace(/ [\d.]+$/, ''))).toEqual(['Istio', 'Linkerd', 'Linkerd copy']);

    // A column per pane, each with the figures of its own run, ≠ where it differs from Istio's.
    const summaries = runs.map((r) => summaryOf(r.report));
    const rows = await table(page);
    expect(rows[0]).toEqual(['', 'Istio (reference)', 'Linkerd', 'Linkerd copy']);
    const cells = (read: (s: RunSummary) => number): string[] =>
      summaries.map((s, i) => (i > 0 && read(s) !== read(summaries[0]!) ? `${read(s)} ≠` : String(read(s))));
    expect(rows.find((r) => r[0] === 'ok')!.slice(1)).toEqual(cells((s) => s.ok));
    expect(rows.find((r) => r[0] === 'failed')!.slice(1)).toEqual(cells((s) => s.failed));
    expect(rows.find((r) => r[0] === 'retries')!.slice(1)).toEqual(cells((s) => s.retries));
    expect(summaries[2]!.failed).not.toBe(summaries[0]!.failed);

    // The differences: each pane against Istio, as many marks as Node finds, the first one a button that jumps.
    const expected = divergences(runs.map((r) => r.trace));
    const copyCount = expected.filter((d) => d.versus === 2).length;
    expect(copyCount).toBeGreaterThan(0);
    expect(await page.locator('.marks .mark').count()).toBe(expected.length);
    const summary = page.getByRole('region', { name: 'Compare' });
    expect(
      await summary
        .getByText(new RegExp(`^Linkerd copy: ${copyCount} differences from Istio, the first at ${formatClock(expected.find((d) => d.versus === 2)!.timeMs)}`))
        .count(),
    ).toBe(1);
    await page.getByRole('button', { name: /^First divergence at/ }).click();
    await frames(page);
    expect(await clock(page)).toBe(
      clockAtEvent(
        runs.map((r) => r.trace),
        expected[0]!.pane,
        expected[0]!.seq,
      ).text,
    );

    // Stepping walks the third pane's steps too, named by its mesh.
    const visited = new Set<string>();
    for (let i = 0; i < 30 && visited.size < 3; i++) {
      await page.keyboard.press('ArrowRight');
      // The panels follow the player in the page's frame loop: read the list once a frame has drawn it.
      await frames(page);
      visited.add(/^(Istio|Linkerd copy|Linkerd): /.exec(await page.locator('.event[aria-current=step] .event-text').innerText())?.[1] ?? '');
    }
    expect(visited).toEqual(new Set(['Istio', 'Linkerd', 'Linkerd copy']));
    expect(problems).toEqual([]);
    await page.close();
  });
});
