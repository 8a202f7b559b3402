/**
 * Compare mode with more than two panes, in the real page: `?mesh=compare&with=...` opens one
 * picture per pane in a grid under one playhead, the Compare panel has a column per pane with ≠
 * against the reference (the first), the divergence marker jumps, the side panels follow any
 * pane, and a checkpoint is graded per pane. Expected figures come from simulating the same
 * scenario here, in Node.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Player, divergences, formatClock } from '../../src/player/index.ts';
import { simulateFile } from '../helpers/library.ts';
import { clockAtEvent } from './clockAt.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { appState, clock, frames, openApp, stageShot } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

const FILE = 'scenarios/retries-flaky-pod.yaml';

const simulated = (mesh: string, versions: { istio?: string } = {}) => simulateFile(FILE, mesh, versions);

/** The pictures of every pane, as PNG bytes. */
const shots = (page: Page, panes: number): Promise<Buffer[]> =>
  Promise.all(Array.from({ length: panes }, (_, i) => stageShot(page, i === 0 ? 'stage' : `stage-${i + 1}`)));

/** The Compare panel's table as text, row by row. */
const table = (page: Page): Promise<string[][]> =>
  page
    .getByRole('region', { name: 'Compare' })
    .locator('table.summary tr')
    .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));

describe('compare mode with three panes', () => {
  it('opens ?mesh=compare&with=istio,linkerd,istio: three pictures, one playhead, a column per pane, and the marker jumps', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=compare&with=istio,linkerd,istio&t=1281.5');
    expect(await appState(page)).toMatchObject({ mesh: 'compare', meshes: ['istio', 'linkerd', 'istio'], timeMs: 1281.5 });
    expect(await page.getByRole('application', { name: /^The mesh/ }).count()).toBe(3);
    expect(await page.locator('.pane-label:visible').allInnerTexts()).toEqual(['Istio 1.30 #1 · reference', 'Linkerd 2.20', 'Istio 1.30 #2']);
    expect(await page.getByRole('slider', { name: 'Timeline' }).count()).toBe(1);
    expect(await page.getByLabel('Simulation time').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('with')).toBe('istio,linkerd,istio');

    // A grid, not a three-way split: two pictures in the first row, the third below the first.
    const boxes = await Promise.all(['stage', 'stage-2', 'stage-3'].map(async (id) => (await page.locator(`[data-testid=${id}]`).boundingBox())!));
    expect(boxes[1]!.y).toBe(boxes[0]!.y);
    expect(boxes[1]!.x).toBeGreaterThan(boxes[0]!.x + boxes[0]!.width - 2);
    expect(boxes[2]!.x).toBe(boxes[0]!.x);
    expect(boxes[2]!.y).toBeGreaterThan(boxes[0]!.y + boxes[0]!.height - 2);
    expect(boxes.map((b) => [b.width, b.height])).toEqual([0, 1, 2].map(() => [boxes[0]!.width, boxes[0]!.height]));
    expect(boxes[0]!.width).toBeGreaterThan(300);

    // The Compare panel: a column per pane; ≠ only where a pane differs from the reference.
    const istio = simulated('istio').report.summary;
    const linkerd = simulated('linkerd').report.summary;
    expect(istio.failed).not.toBe(linkerd.failed);
    const rows = await table(page);
    expect(rows[0]).toEqual(['', 'Istio #1 (reference)', 'Linkerd', 'Istio #2']);
    expect(rows.find((r) => r[0] === 'failed')).toEqual(['failed', String(istio.failed), `${linkerd.failed} ≠`, String(istio.failed)]);
    expect(rows.find((r) => r[0] === 'requests')!.slice(1)).toEqual([
      String(istio.total),
      linkerd.total === istio.total ? String(istio.total) : `${linkerd.total} ≠`,
      String(istio.total),
    ]);
    const summary = page.getByRole('region', { name: 'Compare' });
    expect(await summary.getByText('Istio #2: no difference from Istio #1', { exact: true }).count()).toBe(1);
    await summary.locator('.divergence-list summary').click();
    const listed = await summary.locator('ol.divergences li button').first().innerText();
    expect(listed).toMatch(/Linkerd ≠ Istio #1/);

    // One playhead: stepping walks every pane's steps in time order, and moves every picture.
    const before = await shots(page, 3);
    const visited = new Set<string>();
    for (let i = 0; i < 30 && visited.size < 3; i++) {
      await page.keyboard.press('ArrowRight');
      // The panels follow the player in the page's frame loop: read the list once a frame has drawn it.
      await frames(page);
      const text = await page.locator('.event[aria-current=step] .event-text').innerText();
      visited.add(/^(Istio #1|Linkerd|Istio #2): /.exec(text)?.[1] ?? text);
    }
    expect(visited).toEqual(new Set(['Istio #1', 'Linkerd', 'Istio #2']));
    await frames(page);
    const after = await shots(page, 3);
    for (let i = 0; i < 3; i++) expect(after[i]!.equals(before[i]!), `pane ${i + 1}`).toBe(false);

    // The marks: as many as Node finds against the reference; the third pane (a copy of the first) adds none.
    const expected = divergences([simulated('istio').trace, simulated('linkerd').trace, simulated('istio').trace]);
    expect(expected.length).toBe(divergences([simulated('istio').trace, simulated('linkerd').trace]).length);
    expect(await page.locator('.marks .mark').count()).toBe(expected.length);
    const marker = page.getByRole('button', { name: /^First divergence at/ });
    expect(await marker.getAttribute('aria-label')).toBe(`First divergence at ${formatClock(expected[0]!.timeMs)}: ${expected[0]!.text}`);
    await page.keyboard.press('Home');
    await marker.click();
    await frames(page);
    expect(await clock(page)).toBe(
      clockAtEvent([simulated('istio').trace, simulated('linkerd').trace, simulated('istio').trace], expected[0]!.pane, expected[0]!.seq).text,
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lets the side panels follow any pane, and grades a checkpoint against each pane', async () => {
    // Istio 1.23, whose default retries hide the 503s Linkerd lets through: the panes answer differently.
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=compare&with=istio,linkerd,istio&istio=1.23');
    const follow = page.getByRole('group', { name: 'Panels follow' });
    await follow.getByRole('button', { name: 'Istio #2' }).click();
    expect(await follow.getByRole('button', { name: 'Istio #2' }).getAttribute('aria-pressed')).toBe('true');
    expect(await follow.getByRole('button', { name: 'Istio #1' }).getAttribute('aria-pressed')).toBe('false');
    const yaml = page.getByRole('group', { name: 'Effective YAML' });
    await yaml.locator('summary').click();
    expect(await yaml.locator('select option:checked').innerText()).toBe('Istio #2');
    await follow.getByRole('button', { name: 'Linkerd' }).click();
    expect(await yaml.locator('select option:checked').innerText()).toBe('Linkerd');

    // The question at 0 s: one prediction, graded against each pane's measured answer.
    const answers = ['istio', 'linkerd', 'istio'].map((m) => simulated(m, { istio: '1.23' }).report.checkpoints[0]!);
    expect(answers[0]!.answer).not.toBe(answers[1]!.answer);
    await page.getByRole('group', { name: 'Question before you start' }).getByRole('button', { name: 'Predict' }).click();
    const dialog = page.getByRole('dialog', { name: /^Checkpoint at 0\.000 s/ });
    await dialog.getByLabel('no').check();
    await dialog.getByRole('button', { name: 'Reveal' }).click();
    const grades = await dialog.locator('.grade').allInnerTexts();
    expect(grades.map((g) => /^[✓✗] ([^:]+):/.exec(g)?.[1])).toEqual(['Istio #1', 'Linkerd', 'Istio #2']);
    expect(grades.map((g) => g.startsWith('✓'))).toEqual(answers.map((a) => a.answer === 'no'));
    const evidence = answers[1]!.evidenceSeq;
    if (evidence !== undefined) {
      await dialog.getByRole('button', { name: 'Show me (Linkerd)' }).click();
      await frames(page);
      const traces = ['istio', 'linkerd', 'istio'].map((m) => simulated(m, { istio: '1.23' }).trace);
      expect(await clock(page)).toBe(clockAtEvent(traces, 1, evidence).text);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('names a bad with in the page, with the meshes it allows, and keeps working', async () => {
    const cases: [string, RegExp, number][] = [
      ['?mesh=compare&with=istio,nomesh', /^URL parameter with: unknown mesh "nomesh"; give 2 to 6 of istio, linkerd.*; showing Istio and Linkerd$/, 2],
      [
        '?mesh=compare&with=istio',
        /^URL parameter with: lists 1 mesh; compare shows 2 to 6 side by side: give 2 to 6 of istio, linkerd.*; showing Istio and Linkerd$/,
        2,
      ],
      ['?mesh=compare&with=istio,linkerd,istio,linkerd,istio,linkerd,istio', /^URL parameter with: lists 7 meshes; .* of istio, linkerd.*$/, 2],
      [
        '?mesh=istio&with=istio,linkerd',
        /^URL parameter with: lists the meshes compare mode shows side by side, so it needs mesh=compare \(mesh is "istio"\); left out$/,
        1,
      ],
    ];
    for (const [query, message, canvases] of cases) {
      const { page, problems } = await openApp(browser, site, `?scenario=retries-flaky-pod&${query.slice(1)}`);
      expect(await page.getByRole('alert').locator('li').allInnerTexts(), query).toEqual([expect.stringMatching(message)]);
      expect(
        await page
          .getByRole('application', { name: /^The mesh/ })
          .locator('visible=true')
          .count(),
        query,
      ).toBe(canvases);
      expect(problems, query).toEqual([]);
      await page.close();
    }
  });

  it('switches from four panes to two and back to one, keeping the time', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=compare&with=linkerd,istio,linkerd,istio&t=2500');
    expect(await page.locator('.pane-label:visible').allInnerTexts()).toEqual([
      'Linkerd 2.20 #1 · reference',
      'Istio 1.30 #1',
      'Linkerd 2.20 #2',
      'Istio 1.30 #2',
    ]);
    expect((await table(page))[0]).toEqual(['', 'Linkerd #1 (reference)', 'Istio #1', 'Linkerd #2', 'Istio #2']);
    await page.getByRole('button', { name: 'Istio', exact: true }).click();
    await page.waitForFunction(() => window.meshSim!.state()!.mesh === 'istio');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await page.waitForFunction(() => window.meshSim!.state()!.mesh === 'compare');
    await frames(page);
    // Compare alone: Istio and Linkerd, as it always meant.
    expect(await appState(page)).toMatchObject({ meshes: ['istio', 'linkerd'], timeMs: 2500 });
    expect(await page.locator('.pane-label:visible').allInnerTexts()).toEqual(['Istio 1.30', 'Linkerd 2.20']);
    expect(
      await page
        .getByRole('application', { name: /^The mesh/ })
        .locator('visible=true')
        .count(),
    ).toBe(2);
    expect(new URL(page.url()).searchParams.has('with')).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('Go there', () => {
  it(
    'lands where the difference is: ambient-authz-fail-closed, Istio | Istio ambient, the clock reads the first divergence’s 0.006 s on its step',
    { timeout: 120_000 },
    async () => {
      // Simulated here: the first difference (ambient's deny at 6 ms) plays behind its conversation,
      // after steps of Istio's pane at up to 27 ms; the page's clock read 0.136 s there.
      const file = 'scenarios/ambient-authz-fail-closed.yaml';
      const traces = ['istio', 'ambient'].map((mesh) => simulateFile(file, mesh).trace);
      const first = divergences(traces)[0]!;
      const event = traces[first.pane]!.events[first.seq]!;
      const player = new Player(traces);
      player.seekEvent(first.pane, first.seq);
      const { page, problems } = await openApp(browser, site, '?scenario=ambient-authz-fail-closed&mesh=compare&with=istio,ambient&t=0', {
        readyTimeout: 90_000,
      });
      const summary = page.getByRole('region', { name: 'Compare' });
      expect(await summary.locator('.first-divergence h3').innerText()).toMatch(new RegExp(`^First divergence at ${formatClock(first.timeMs)}$`, 'i'));
      await summary.locator('.first-divergence').getByRole('button', { name: 'Go there' }).click();
      await frames(page);
      expect(await clock(page)).toBe(formatClock(event.t));
      expect(formatClock(event.t)).toBe('0.006 s');
      // On the difference's own step: the event Node's player lands on, named in the event list.
      expect(await appState(page)).toMatchObject({ timeMs: event.t, stepIndex: player.stepIndex });
      expect(await page.locator('.event[aria-current=step] .event-text').innerText()).toBe(player.steps[player.stepIndex]!.text);
      // Istio's pane (the first) is at 0.006 s too, its 403 of 6 ms in flight, not past its 200 of 27 ms.
      expect(first.pane).toBe(1);
      const frame = player.viewOf(0).packets;
      const expected = Array.from({ length: frame.length }, (_, k) => frame.packet(k).seq);
      expect(expected.map((seq) => traces[0]!.events[seq]!.t)).toContain(event.t);
      for (const seq of expected) expect(traces[0]!.events[seq]!.t, `Istio's packet ${seq}`).toBeLessThanOrEqual(event.t);
      const drawn = await page.evaluate(() => window.meshSim!.packetsOnScreen().map((p) => p.seq));
      expect(drawn.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});
