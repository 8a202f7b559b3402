/**
 * The fidelity reference in the project: every `FIDELITY Xn` / `FIDELITY-MORE Xn` cited in src/
 * and test/ must name an item heading on one of the pages (src/mesh/profiles/<mesh>/FIDELITY.md,
 * DIFFERENCES.md), every item must give its upstream page, and the index the inspector links from
 * must be what the pages say.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { citedIds, parseFidelityPage } from '../../src/mesh/profiles/fidelityReference.ts';
import { FIDELITY_ITEMS } from '../../src/mesh/profiles/fidelityIndex.ts';
import { fidelityPages, indexOf } from './fidelityPages.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return /\.(ts|js)$/.test(d.name) ? [p] : [];
  });
}

describe('the fidelity reference', () => {
  const { items, problems } = fidelityPages();
  const ids = new Set(items.map((i) => i.id));

  it('gives every item heading its upstream page on the line under it', () => {
    expect(problems).toEqual([]);
    expect(items.length).toBeGreaterThanOrEqual(30);
    for (const i of items) expect(i.upstream, i.id).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//);
  });

  it('has each id once', () => {
    const seen = items.map((i) => i.id);
    expect(seen.filter((id, k) => seen.indexOf(id) !== k)).toEqual([]);
  });

  it('resolves every FIDELITY / FIDELITY-MORE id cited in src/ and test/ to a heading, with the right prefix (A–G: FIDELITY, H–M: FIDELITY-MORE)', () => {
    const unresolved: string[] = [];
    let count = 0;
    for (const file of [...sourceFiles('src'), ...sourceFiles('test')]) {
      if (file.endsWith('fidelityRefs.test.ts') || file.endsWith('fidelityIndex.ts')) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, n) => {
          for (const c of citedIds(line)) {
            count++;
            const prefixOk = c.more === c.id[0]! >= 'H';
            if (!ids.has(c.id) || !prefixOk) unresolved.push(`${file}:${n + 1}: ${c.more ? 'FIDELITY-MORE' : 'FIDELITY'} ${c.id}`);
          }
        });
    }
    expect(count).toBeGreaterThan(300);
    expect(unresolved).toEqual([]);
  });

  it('fails on an id with no heading, and on a heading without its upstream line', () => {
    expect(citedIds('// FIDELITY B1, B2: default; FIDELITY C1–C3; FIDELITY-MORE H4; FIDELITY C1/B2').map((c) => `${c.more ? '+' : ''}${c.id}`)).toEqual([
      'B1',
      'B2',
      'C1',
      'C2',
      'C3',
      '+H4',
      'C1',
      'B2',
    ]);
    expect(ids.has('B99')).toBe(false);
    expect(parseFidelityPage('## B1. Retries\nno link here\n', 'x.md').problems).toEqual([
      'x.md:2: the line under "## B1." must be "Upstream: https://…" (got "no link here")',
    ]);
  });

  it('has an index (the inspector’s links) that says what the pages say: run npm run fidelity-index after editing them', () => {
    expect(FIDELITY_ITEMS).toEqual(indexOf(items));
    expect(FIDELITY_ITEMS.B1).toEqual({
      title: 'Retries',
      upstream: 'https://github.com/istio/istio/blob/1.30.0/pilot/pkg/networking/core/route/retry/retry.go',
      page: 'src/mesh/profiles/istio/FIDELITY.md',
    });
  });
});
