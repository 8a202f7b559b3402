/**
 * `npm run bench`: runs every `bench/*.bench.ts` module's `run()` and prints its figures; with
 * `-- --json`, prints all of them as one JSON object. Figures that compare against a baseline
 * measured in the same run are reported as ratios next to it.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const json = process.argv.includes('--json');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const all: Record<string, number | string> = {};
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  const name = file.replace(/\.bench\.ts$/, '');
  if (only && only !== name) continue;
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run: () => Promise<Record<string, number | string>> };
  const figures = await mod.run();
  Object.assign(all, figures);
  if (!json) {
    console.log(`\n${name}`);
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(34)} ${v}`);
  }
}
if (json) console.log(JSON.stringify(all));
