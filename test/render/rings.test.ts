/**
 * The rings around a box (the current step's, the selected node's, compare mode's difference)
 * keep off its pod card's writing: below the title's letters, above the chip strip. The
 * difference ring is one ring, where the step's ring runs (issue 12: in compare mode a double
 * ring 9 and 13 px out stacked three rings around productpage-0's sidecar and ran through
 * "productpage-0" and "config v1 ✓").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutOf, type Box } from '../../src/render/layout.ts';
import { ringsOf } from '../../src/render/ringSpots.ts';
import { runScenario } from '../../src/player/index.ts';

function layoutFor(id: string, mesh: string, viewport = { w: 465, h: 420 }): ReturnType<typeof layoutOf> {
  const file = `scenarios/${id}.yaml`;
  const outcome = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.text).join('\n'));
  return layoutOf(outcome.trace, { viewport });
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** What the rings drawn around `id` cover of its card's title letters (15 px of a 20 px title row) and chip strip. */
function covered(layout: ReturnType<typeof layoutOf>, id: string, rings: { step?: boolean; selected?: boolean; differs?: boolean }): string[] {
  const drawn = ringsOf(layout, rings.step ? [id] : [], rings.selected ? id : null, rings.differs ? id : null);
  // Each ring's outer edge (its line drawn `width` wide along its rectangle).
  const edges = drawn.map((r) => ({ x: r.x - r.width / 2, y: r.y - r.width / 2, w: r.w + r.width, h: r.h + r.width }));
  const bounds = {
    x: Math.min(...edges.map((e) => e.x)),
    y: Math.min(...edges.map((e) => e.y)),
    w: Math.max(...edges.map((e) => e.x + e.w)) - Math.min(...edges.map((e) => e.x)),
    h: Math.max(...edges.map((e) => e.y + e.h)) - Math.min(...edges.map((e) => e.y)),
  };
  const b = layout.nodes.get(id)!;
  const card = layout.pods.find((p) => p.x <= b.x && b.x + b.w <= p.x + p.w && p.y <= b.y && b.y + b.h <= p.y + p.h)!;
  const out: string[] = [];
  const title = { x: card.x, y: card.y, w: card.w, h: 15 };
  if (overlaps(bounds, title) && bounds.y < title.y + title.h) out.push(`${id}: ring's top at ${bounds.y - card.y} in the card, over the title`);
  if (card.chips.w > 0 && card.chips.y >= b.y + b.h && overlaps(bounds, card.chips))
    out.push(`${id}: ring's bottom ${bounds.y + bounds.h - card.chips.y} into the chip strip`);
  return out;
}

describe('rings keep off their card’s title and chips', () => {
  for (const [id, mesh] of [
    ['retries-flaky-pod', 'istio'],
    ['retries-flaky-pod', 'linkerd'],
    ['timeouts', 'istio'],
    ['load-balancing-slow-pod', 'istio'],
  ] as const)
    it(`${id} under ${mesh}: around every pod's app and sidecar`, () => {
      const layout = layoutFor(id, mesh);
      const ids = layout.pods.flatMap((p) => [p.app, ...(p.proxy ? [p.proxy] : [])]);
      expect(ids.length).toBeGreaterThan(3);
      const problems = ids.flatMap((n) => [
        ...covered(layout, n, { step: true }),
        ...covered(layout, n, { differs: true }),
        ...covered(layout, n, { step: true, differs: true }),
        ...covered(layout, n, { selected: true }),
      ]);
      expect(problems).toEqual([]);
    });

  it('the difference ring is one ring, no wider than the step’s ring around the same box', () => {
    const layout = layoutFor('retries-flaky-pod', 'istio');
    const id = 'productpage-0/proxy';
    const differs = ringsOf(layout, [id], null, id).filter((r) => r.kind === 'differs');
    const step = ringsOf(layout, [id], null, null);
    expect(differs).toHaveLength(1);
    expect(step).toHaveLength(1);
    expect(differs[0]!.w + differs[0]!.width).toBeLessThanOrEqual(step[0]!.w + step[0]!.width);
    expect(differs[0]!.h + differs[0]!.width).toBeLessThanOrEqual(step[0]!.h + step[0]!.width);
  });
});
