/**
 * The workbench as a learner uses it in the real page: compare mode under one playhead with its
 * divergence marker, a knob that changes the outcome and the YAML, a crash injected at the
 * playhead with the earlier run still reachable, a breakpoint, a checkpoint, and export.
 * Scenario texts are the tests' own (served as fixtures) where numbers matter; expected times
 * come from simulating the same text here, in Node.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { releaseBrowser, workerBrowser } from './lifecycle.ts';
import { divergences, formatClock, runScenario, type RunOutcome } from '../../src/player/index.ts';
import { buildSite, serve, type Site } from './site.ts';
import { appState, clock, frames, metricsRow, openApp, stageShot as shot } from './harness.ts';
import { clockAtEvent } from './clockAt.ts';
import { AUTHORIZATION, FLAKY } from '../player/scenarios.ts';

const CHECKPOINT = `id: strict-checkpoint
title: Strict mTLS shuts out a plaintext client
seed: 5
duration: 4s
services:
  - name: legacy
    meshed: false
  - name: orders
traffic:
  - from: legacy
    to: orders
    rate: 2/s
policies:
  mtls: strict
checkpoints:
  - at: 0s
    until: 1s
    question: How many of the legacy client's requests will fail in the first second?
    measure: client-errors
    from: legacy
    answer: number
  - at: 1s
    question: Will the legacy client's requests still succeed?
    measure: client-errors
    from: legacy
    yesWhen: none
`;

let site: Site;
let browser: Browser;

beforeAll(async () => {
  site = await serve(buildSite());
  browser = await workerBrowser();
  site.fixtures.set('flaky.yaml', FLAKY);
  site.fixtures.set('authorization.yaml', AUTHORIZATION);
  site.fixtures.set('checkpoint.yaml', CHECKPOINT);
});

afterAll(async () => {
  await releaseBrowser(browser);
  await site?.close();
});

function simulated(text: string, mesh: string): Extract<RunOutcome, { ok: true }> {
  const o = runScenario({ text, file: 'fixture.yaml', mesh });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return o;
}

/** Drags the timeline to its end. */
async function scrubToEnd(page: Page): Promise<void> {
  await page.getByRole('slider', { name: 'Timeline' }).evaluate((input: HTMLInputElement) => {
    input.value = input.max;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await frames(page);
}

describe('the workbench', () => {
  it('compares both meshes in two pictures under one playhead, with a marker where they first diverge', async () => {
    const { page, problems } = await openApp(browser, site, '?scenario=retries-flaky-pod&mesh=compare&t=1281.5');
    expect(await appState(page)).toMatchObject({ mesh: 'compare', timeMs: 1281.5 });
    expect(await page.getByRole('button', { name: 'Compare', exact: true }).getAttribute('aria-pressed')).toBe('true');
    // Each pane names the mesh and the release it runs as.
    expect(await page.locator('.pane-label:visible').allInnerTexts()).toEqual(['Istio 1.30', 'Linkerd 2.20']);
    expect(await page.getByRole('application', { name: /^The mesh/ }).count()).toBe(2);
    expect(await page.getByRole('slider', { name: 'Timeline' }).count()).toBe(1);
    expect(await page.getByLabel('Simulation time').count()).toBe(1);

    // One playhead: stepping moves both pictures.
    const before = [await shot(page, 'stage'), await shot(page, 'stage-2')];
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    await frames(page);
    const after = [await shot(page, 'stage'), await shot(page, 'stage-2')];
    expect(after[0]!.equals(before[0]!)).toBe(false);
    expect(after[1]!.equals(before[1]!)).toBe(false);
    expect((await appState(page)).stepIndex).toBeGreaterThan(0);

    // The first divergence: a marker on the timeline that moves the playhead there.
    const marker = page.getByRole('button', { name: /^First divergence at/ });
    expect(await marker.count()).toBe(1);
    const label = (await marker.getAttribute('aria-label'))!;
    expect(label).toMatch(/^First divergence at \d+\.\d{3} s: req-\d+: (Istio|Linkerd)/);
    // Every difference is a mark, as many as the two runs simulated here have.
    const text = readFileSync('scenarios/retries-flaky-pod.yaml', 'utf8');
    const diverged = divergences([simulated(text, 'istio').trace, simulated(text, 'linkerd').trace]);
    expect(diverged.length).toBeGreaterThan(5);
    expect(await page.locator('.marks .mark').count()).toBe(diverged.length);
    expect(label).toBe(`First divergence at ${formatClock(diverged[0]!.timeMs)}: ${diverged[0]!.text}`);
    expect(await page.locator('.marks button').count()).toBe(1);
    await page.keyboard.press('Home');
    await marker.click();
    await frames(page);
    const at = /^First divergence at (.+?): /.exec(label)![1]!;
    // The clock there: the divergence's time, or the time the run had reached when it shows (stepClock.ts).
    expect(await clock(page)).toBe(clockAtEvent([simulated(text, 'istio').trace, simulated(text, 'linkerd').trace], diverged[0]!.pane, diverged[0]!.seq).text);
    const summary = page.getByRole('region', { name: 'Compare' });
    expect(await summary.getByRole('heading', { name: `First divergence at ${at}` }).count()).toBe(1);
    expect(await summary.locator('tr', { hasText: 'failed' }).first().innerText()).toMatch(/≠/);
    expect(new URL(page.url()).searchParams.get('mesh')).toBe('compare');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('turns a knob: the same seed re-simulated at the same playhead, a new outcome, and the YAML lines it changed', async () => {
    const { page, problems } = await openApp(browser, site, '?scenarioUrl=/fixtures/flaky.yaml&mesh=istio&t=6000');
    expect(await metricsRow(page, 'reviews')).toMatch(/\(0 failed\)/);
    await page.getByRole('group', { name: 'Effective YAML' }).locator('summary').click();
    await page.waitForFunction(() => (document.querySelector('.yaml-note')?.textContent ?? '') !== '');
    expect(await page.locator('pre.yaml').innerText()).not.toMatch(/VirtualService/);
    // The workbench's panels start closed: their code loads when one is opened.
    await page.getByRole('group', { name: 'Knobs' }).locator('summary').click();
    const attempts = page.getByLabel('reviews: attempts');
    await attempts.fill('0');
    await attempts.press('Enter');
    await page.waitForFunction(() => /Re-simulated/.test(document.querySelector('.knob-status')?.textContent ?? ''));
    await frames(page);
    expect(await clock(page)).toBe('6.000 s');
    expect(Number(/\((\d+) failed\)/.exec(await metricsRow(page, 'reviews'))?.[1])).toBeGreaterThan(0);
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /^Re-simulated/ })
        .innerText(),
    ).toMatch(/Now \d+ ok, [1-9]\d* failed \(was \d+ ok, 0 failed\); retries [1-9]\d* → 0, attempts \d+ → \d+/);
    const added = await page.locator('pre.yaml .line[data-change=added]').allInnerTexts();
    expect(added.join('\n')).toMatch(/kind: VirtualService/);
    expect(added.join('\n')).toMatch(/attempts: 0/);
    expect(await page.locator('pre.yaml .line[data-change=same]').count()).toBe(0);
    expect(problems).toEqual([]);
    // The link carries the knob: opening it shows the same run.
    const link = new URL(page.url());
    expect(link.searchParams.getAll('knob')).toEqual(['retries/reviews/attempts=0']);
    const again = await openApp(browser, site, link.search);
    expect(await again.page.getByLabel('reviews: attempts').inputValue()).toBe('0');
    expect(await metricsRow(again.page, 'reviews')).toBe(await metricsRow(page, 'reviews'));
    await again.page.close();
    await page.close();
  });

  it('injects a crash at the playhead: nothing changes before it, requests fail after it, and the earlier run is one click away', async () => {
    const { page, problems } = await openApp(browser, site, '?scenarioUrl=/fixtures/flaky.yaml&mesh=linkerd&t=4200');
    const at = await metricsRow(page, 'reviews');
    const whatIf = page.getByRole('group', { name: 'What if' });
    await whatIf.locator('summary').click();
    await whatIf.getByLabel('fault', { exact: true }).selectOption('pod.crash');
    await whatIf.getByLabel('pod', { exact: true }).selectOption('reviews-0');
    await whatIf.getByRole('button', { name: 'Inject at 4.200 s' }).click();
    await page.waitForFunction(() => /after 4\.2 s/.test(document.querySelector('.what-if-summary')?.textContent ?? ''));
    await frames(page);
    expect(await clock(page)).toBe('4.200 s');
    expect(await metricsRow(page, 'reviews')).toBe(at);
    const summary = await whatIf.getByRole('status').innerText();
    const failedAfter = Number(/after 4\.2 s: (\d+) requests? failed that succeeded before/.exec(summary)?.[1]);
    expect(failedAfter).toBeGreaterThan(0);
    expect(summary).toMatch(/before 4\.2 s nothing changed/);
    expect(await page.locator('.marks .mark-fault').count()).toBe(1);
    expect(await page.locator('.marks .mark-fault').getAttribute('title')).toBe('Fault injected: crash reviews-0 at 4.200 s');
    expect(new URL(page.url()).searchParams.getAll('fault')).toEqual(['{"type":"pod.crash","pod":"reviews-0","at":4200}']);

    await scrubToEnd(page);
    const crashed = Number(/\((\d+) failed\)/.exec(await metricsRow(page, 'reviews'))![1]);
    await page.getByRole('radio', { name: 'as written' }).check();
    await page.waitForFunction(() => document.querySelector('.marks .mark-fault') === null);
    await frames(page);
    const written = Number(/\((\d+) failed\)/.exec(await metricsRow(page, 'reviews'))![1]);
    expect(crashed).toBeGreaterThan(written);
    await page.getByRole('radio', { name: '+ crash reviews-0 at 4.200 s' }).check();
    await page.waitForFunction(() => document.querySelector('.marks .mark-fault') !== null);
    await frames(page);
    expect(Number(/\((\d+) failed\)/.exec(await metricsRow(page, 'reviews'))![1])).toBe(crashed);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('restores the faults a link names (read as the page starts, its reader loaded then), and names a bad one', async () => {
    const crash = encodeURIComponent('{"type":"pod.crash","pod":"reviews-0","at":4200}');
    const bad = encodeURIComponent('{"type":"pod.explode","at":1}');
    const { page, problems } = await openApp(browser, site, `?scenarioUrl=/fixtures/flaky.yaml&mesh=linkerd&fault=${crash}&fault=${bad}`);
    expect(await page.locator('.marks .mark-fault').getAttribute('title')).toBe('Fault injected: crash reviews-0 at 4.200 s');
    expect(await page.getByRole('group', { name: 'What if' }).getAttribute('open')).not.toBeNull();
    expect(await page.getByRole('alert').locator('li').allInnerTexts()).toEqual([
      expect.stringMatching(/^URL parameter fault: type must be one of pod\.crash, .* \(got "pod\.explode"\); left out$/),
    ]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('stops at a breakpoint exactly on the first denied request', async () => {
    const run = simulated(AUTHORIZATION, 'istio');
    const deny = run.trace.events.find((e) => e.type === 'decision' && e.kind === 'deny')!;
    const { page, problems } = await openApp(browser, site, '?scenarioUrl=/fixtures/authorization.yaml&mesh=istio');
    await page.locator('.breakpoints-panel summary').click();
    await page.getByText(/\(12 in this run\)/).waitFor();
    expect(await page.getByText(/\(12 in this run\)/).count()).toBe(1);
    await page.getByRole('checkbox', { name: 'a request is denied' }).check();
    await page.getByLabel('Speed').selectOption('10');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => window.meshSim!.state()!.playing === false && window.meshSim!.state()!.timeMs > 0);
    await frames(page);
    expect(await clock(page)).toBe(clockAtEvent([run.trace], 0, deny.seq).text);
    expect(await page.locator('.event[aria-current=step] .event-text').innerText()).toMatch(/authorization: .*denied|DENY|no ALLOW policy/i);
    expect(await page.locator('.break-note').innerText()).toMatch(/^Paused at a breakpoint: a request is denied/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('offers the question at 0 s before the start (a number), asks the one at 1 s when the playhead reaches it (yes or no), grades each and shows the evidence', async () => {
    const run = simulated(CHECKPOINT, 'istio');
    const [first, answer] = run.report.checkpoints as [(typeof run.report.checkpoints)[0], (typeof run.report.checkpoints)[0]];
    expect(answer.answer).toBe('no');
    const evidence = run.trace.events[answer.evidenceSeq!]!;
    const { page, problems } = await openApp(browser, site, '?scenarioUrl=/fixtures/checkpoint.yaml&mesh=istio');

    // The question at 0 s is offered before the start, and takes a number.
    const start = page.getByRole('group', { name: 'Question before you start' });
    expect(await start.innerText()).toMatch(/How many of the legacy client's requests will fail in the first second\?/);
    await start.getByRole('button', { name: 'Predict' }).click();
    const opening = page.getByRole('dialog', { name: /^Checkpoint at 0\.000 s/ });
    await opening.getByLabel('Your prediction').fill(first.answer);
    await opening.getByLabel('Your prediction').press('Enter');
    expect(await opening.getByText(`✓ Right — ${first.answer}.`, { exact: true }).count()).toBe(1);
    await opening.getByRole('button', { name: 'Continue' }).click();
    expect(await start.isVisible()).toBe(false);

    await page.getByLabel('Speed').selectOption('10');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /^Checkpoint at 1\.000 s/ });
    await dialog.waitFor();
    expect(await clock(page)).toBe('1.000 s');
    expect((await appState(page)).playing).toBe(false);
    expect(await dialog.innerText()).toMatch(/Will the legacy client's requests still succeed\?/);
    await dialog.getByRole('button', { name: 'Reveal' }).click();
    expect(await dialog.getByRole('alert').innerText()).toBe('Choose yes or no first.');
    await dialog.getByLabel('yes').check();
    await dialog.getByRole('button', { name: 'Reveal' }).click();
    expect(await dialog.getByText(/^✗ Not quite — the answer is no \(you said yes\)\.$/).count()).toBe(1);
    expect(await dialog.innerText()).toContain(answer.explanation);
    await dialog.getByRole('button', { name: 'Show me' }).click();
    await frames(page);
    expect(await clock(page)).toBe(clockAtEvent([run.trace], 0, evidence.seq).text);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    expect(await dialog.isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('exports the run as trace JSON and a request as a sequence diagram', async () => {
    const { page, problems } = await openApp(browser, site, '?scenarioUrl=/fixtures/flaky.yaml&mesh=istio');
    const exporter = page.locator('.export');
    await exporter.locator('summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), exporter.getByRole('button', { name: 'Download trace (JSON)' }).click()]);
    expect(download.suggestedFilename()).toBe('flaky-fixture-istio-seed7.trace.json');
    const trace = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { events: unknown[]; mesh: string };
    expect(trace.mesh).toBe('istio');
    expect(trace.events.length).toBe(simulated(FLAKY, 'istio').trace.events.length);
    await exporter.getByRole('button', { name: 'Draw sequence diagram' }).click();
    const mermaid = await exporter.getByRole('textbox', { name: 'Sequence diagram as Mermaid text' }).inputValue();
    expect(mermaid).toMatch(/^sequenceDiagram\n {2}title Retries hide a flaky pod — req-000001 \(istio\)\n {2}participant P0 as productpage-0\n/);
    expect(await exporter.getByRole('img', { name: /^Sequence diagram: / }).count()).toBe(1);
    // The request picker lists only the rows in view, and finds any request by what it says.
    const requests = simulated(FLAKY, 'istio').report.requests;
    expect(requests.length).toBeGreaterThan(150);
    const picker = exporter.getByRole('listbox', { name: 'Request' });
    expect(await picker.getByRole('option').count()).toBeLessThan(30);
    await exporter.getByRole('searchbox', { name: 'Find a request' }).fill(requests[149]!.id);
    expect(await picker.getByRole('option').count()).toBe(1);
    await picker.getByRole('option', { name: new RegExp(`^${requests[149]!.id} `) }).click();
    await exporter.getByRole('button', { name: 'Draw sequence diagram' }).click();
    expect(await exporter.getByRole('textbox', { name: 'Sequence diagram as Mermaid text' }).inputValue()).toMatch(
      new RegExp(`^sequenceDiagram\\n {2}title Retries hide a flaky pod — ${requests[149]!.id} \\(istio\\)\\n`),
    );
    expect(problems).toEqual([]);
    await page.close();
  });
});
