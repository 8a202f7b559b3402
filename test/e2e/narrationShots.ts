/**
 * A tool, not a test: screenshots every library scenario at its first narration lines (N from the
 * start) under each mesh it is offered under and in compare, at 1280×800, and reports whether the
 * narration panel holds its text (scrollHeight vs clientHeight) and the widest callout.
 *
 *   npx tsx test/e2e/narrationShots.ts [out-dir] [scenario-filter] [lines]
 */
import { join, resolve } from 'node:path';
import { frames } from './harness.ts';
import { shootLibrary } from './libraryShots.ts';

const out = resolve(process.argv[2] ?? '/tmp/nshots');
const filter = process.argv[3] ? new RegExp(process.argv[3]) : null;
const lines = Number(process.argv[4] ?? 2);

await shootLibrary(out, filter, async ({ page, url, id, mesh }) => {
  await page.goto(`${url}?scenario=${id}&mesh=${mesh}`);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 180_000 });
  const rows: string[] = [];
  for (let k = 1; k <= lines; k++) {
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press('n');
    await frames(page);
    await frames(page);
    const m = await page.evaluate(() => {
      const n = document.querySelector<HTMLElement>('.narration')!;
      const panes = window.meshSim!.state()!.mesh === 'compare' ? window.meshSim!.state()!.meshes.length : 1;
      const cs: { w: number; h: number; text: string }[] = [];
      for (let p = 0; p < panes; p++) cs.push(...(window.meshSim!.calloutsOnScreen(p) ?? []).map((c) => ({ w: c.w, h: c.h, text: c.shown })));
      return {
        t: window.meshSim!.state()!.timeMs,
        sh: n.scrollHeight,
        ch: n.clientHeight,
        sw: n.scrollWidth,
        cw: n.clientWidth,
        lines: [...n.querySelectorAll('.narration-text,.narration-past')].map((e) => (e as HTMLElement).innerText),
        callouts: cs,
      };
    });
    const name = `${id}__${mesh}__${k}.png`;
    await page.screenshot({ path: join(out, name) });
    const over = m.sh > m.ch + 1 || m.sw > m.cw + 1 ? ' OVERFLOW' : '';
    const wide = Math.max(0, ...m.callouts.map((c) => c.w));
    const row = `${name} t=${m.t} panel ${m.ch}/${m.sh}h ${m.cw}/${m.sw}w${over} callout-max-w=${wide} lines=${JSON.stringify(m.lines)}`;
    rows.push(row);
  }
  return rows;
});
