/**
 * A run past a million trace events in the page (issue 11; src/player/runner.ts
 * RETIRE_WORKER_EVENTS): the worker that simulated it is retired once it has answered, the next
 * worker makes the run's show map (the trace sent to it and back, transferred each way) and is
 * retired in turn; the run arrives whole — its last step is the one simulating the same text here
 * gives, at the same clock.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Player, runScenario, stepClockMs } from '../../src/player/index.ts';
import { RETIRE_WORKER_EVENTS } from '../../src/player/runner.ts';
import { loadScenarioYaml } from '../bench/loadScenario.ts';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { newTab } from './tabs.ts';

let site: Site;
let browser: Browser;

// 120 simulated seconds at 1,000 requests/s: ~1.09 million trace events.
const TEXT = loadScenarioYaml(20, 3, 1000, 120);

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
  site.fixtures.set('million-run.yaml', TEXT);
});

describe('a run past a million trace events', () => {
  it('is simulated in one worker, its show map made in the next after the first is retired, and plays to its last step', async () => {
    const run = runScenario({ text: TEXT, file: 'million-run.yaml', mesh: 'istio' });
    if (!run.ok) throw new Error(run.problems.map((p) => p.text).join('; '));
    expect(run.trace.events.length).toBeGreaterThan(RETIRE_WORKER_EVENTS);
    const steps = new Player(run.trace).steps;
    const last = steps.length - 1;

    const page = await newTab(browser, { width: 1400, height: 860 });
    // Every worker started, what each is asked and answers, and when each is retired, in order.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      let started = 0;
      const kind = (m: unknown): string => {
        const data = m as { showOf?: unknown; preview?: boolean; request?: unknown };
        return data.showOf ? 'show map' : data.preview && !data.request ? 'preview' : 'run';
      };
      const NativeWorker = window.Worker;
      window.Worker = class extends NativeWorker {
        private readonly n = ++started;
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          seen.push(`worker ${started} started`);
          // Before the runner's own listener: seen as it arrives.
          this.addEventListener('message', (e: MessageEvent) => seen.push(`worker ${this.n} answered ${kind(e.data)}`));
        }
        override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
          seen.push(`worker ${this.n} asked ${kind(message)}`);
          super.postMessage(message, transfer as Transferable[]);
        }
        override terminate(): void {
          seen.push(`worker ${this.n} retired`);
          super.terminate();
        }
      };
    });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${site.url}?scenarioUrl=/fixtures/million-run.yaml&mesh=istio`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 120_000 });
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
      'worker 1 started',
      'worker 1 asked run',
      'worker 1 answered preview',
      'worker 1 answered run',
      'worker 1 retired',
      'worker 2 started',
      'worker 2 asked show map',
      'worker 2 answered show map',
      'worker 2 retired',
    ]);
    // The event list's last row, jumped to: the run's last step, at its clock.
    const list = page.getByRole('listbox', { name: 'Events' });
    await list.getByRole('option').first().waitFor();
    await list.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => window.meshSim!.state()?.stepIndex)).toBe(last);
    expect(await page.evaluate(() => window.meshSim!.state()!.timeMs)).toBe(stepClockMs(steps, last));
    expect(await list.locator('[aria-selected=true]').innerText()).toContain(steps[last]!.text);
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);
});
