/**
 * Writes src/mesh/profiles/fidelityIndex.ts from the fidelity pages (every
 * src/mesh/profiles/<mesh>/FIDELITY.md and DIFFERENCES.md): `npm run fidelity-index` after adding or
 * renaming an item. test/mesh/fidelityRefs.test.ts fails while the index is out of date.
 */
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { fidelityPages, indexSource } from '../mesh/fidelityPages.ts';

const { items, problems } = fidelityPages();
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(2);
}
const file = 'src/mesh/profiles/fidelityIndex.ts';
writeFileSync(file, await format(indexSource(items), { ...(await resolveConfig(file)), filepath: file }));
console.log(`src/mesh/profiles/fidelityIndex.ts: ${items.length} items`);
