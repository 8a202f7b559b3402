/**
 * `npm run bench`: runs every `bench/*.bench.ts` module's `run()` and prints its figures; with
 * `-- --json`, prints all of them as one JSON object. Keys are stable (`engine.usPerRequest`,
 * `browser.firstPlayKB`, ...) so runs can be compared from one change to the next; each figure
 * sits beside the baseline it is judged against, measured in the same run.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const json = process.argv.includes('--json');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const all: Record<string, unknown> = {};
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  const name = file.replace(/\.bench\.ts$/, '');
  if (only && only !== name) continue;
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run: () => Promise<Record<string, unknown>> };
  const figures = await mod.run();
  Object.assign(all, figures);
  if (!json) {
    console.log(`\n${name}`);
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(44)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
}
if (json) console.log(JSON.stringify(all));
