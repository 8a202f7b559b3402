/**
 * The skeleton of the screenshot tools (lookShots.ts, narrationShots.ts; tools, not tests): a built
 * site, one 1280×800 page, every library scenario (its file name matching `filter`) under each mesh
 * it is offered under plus compare mode, and an `index.txt` in `out` of what `visit` reports.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { loadScenarioOrThrow, type LoadedScenario } from '../../src/scenario/index.ts';
import { offeredMeshes } from '../../src/player/run.ts';
import { buildSite, launch, serve } from './site.ts';

/** What `visit` is given for one picture: the page, the site's URL, the scenario (id and loaded) and the mesh (or 'compare'). */
export interface LibraryShot {
  page: Page;
  url: string;
  id: string;
  scenario: LoadedScenario;
  mesh: string;
}

/** Runs `visit` on each library scenario × mesh; the lines it returns go to `out`/index.txt (and the console). */
export async function shootLibrary(out: string, filter: RegExp | null, visit: (shot: LibraryShot) => Promise<string[]>): Promise<void> {
  const dir = resolve(import.meta.dirname, '../../scenarios');
  mkdirSync(out, { recursive: true });
  const site = await serve(buildSite());
  const browser = await launch();
  const index: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => index.push(`  pageerror: ${e.message}`));
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const id = file.replace(/\.yaml$/, '');
      if (filter && !filter.test(id)) continue;
      const scenario = loadScenarioOrThrow(readFileSync(join(dir, file), 'utf8'), file);
      const meshes = offeredMeshes(scenario);
      for (const mesh of [...meshes, ...(meshes.length > 1 ? ['compare'] : [])])
        for (const row of await visit({ page, url: site.url, id, scenario, mesh })) {
          index.push(row);
          console.log(row);
        }
    }
  } finally {
    writeFileSync(join(out, 'index.txt'), index.join('\n') + '\n');
    await browser.close();
    await site.close();
  }
}
