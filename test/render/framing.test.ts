/**
 * A compare pane too small for its picture follows the step: it pans to the step's nodes only when
 * they leave the view (render/framing.ts). So where it stands depends on the steps shown before;
 * a step shown again is framed as it was — stepping forward then back returns the same picture
 * (compareFour: Istio's pane stayed 38 px off after 4 steps forward and 4 back).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Framing, loadFollow } from '../../src/render/framing.ts';
import type { Camera } from '../../src/render/camera.ts';
import type { Layout } from '../../src/render/layout.ts';

/** A camera at zoom 1 whose world sits at (x, y) on a 200 × 100 screen. */
function cameraAt(x: number, y: number) {
  const c = {
    x,
    y,
    zoom: 1,
    moved: false,
    toWorld: (sx: number, sy: number) => ({ x: sx - c.x, y: sy - c.y }),
    toScreen: (wx: number, wy: number) => ({ x: c.x + wx, y: c.y + wy }),
    panTo: (px: number, py: number) => {
      c.x = px;
      c.y = py;
    },
  };
  return c;
}

// A tall picture: node a in the view as fitted (world y 300 at screen y 50), b and c far below it.
const box = (y: number) => ({ x: 40, y, w: 50, h: 20 });
const layout = {
  bounds: { x: 0, y: 0, w: 200, h: 1000 },
  nodes: new Map([
    ['a', box(300)],
    ['b', box(600)],
    ['c', box(620)],
  ]),
  pods: [],
  boxes: [],
  controlPlane: null,
} as unknown as Layout;

describe('Framing following the step', () => {
  // Only pages with two panes follow the step; what follows it loads first, as the app loads it.
  beforeAll(loadFollow);

  it('pans only when the step leaves the view, and frames a step shown again as it was', () => {
    const camera = cameraAt(0, -250);
    const framing = new Framing(camera as unknown as Camera, () => ({ width: 200, height: 100 }));
    framing.follow = true;
    framing.followStep(layout, 1, ['a']);
    expect(camera.y).toBe(-250);
    framing.followStep(layout, 2, ['b']);
    const panned = camera.y;
    expect(panned).toBeLessThan(-250);
    // c is in view from there: no pan.
    framing.followStep(layout, 3, ['c']);
    expect(camera.y).toBe(panned);
    // Back: each step as it was framed (a, out of view from there, would be centred: world y -260).
    framing.followStep(layout, 2, ['b']);
    expect(camera.y).toBe(panned);
    framing.followStep(layout, 1, ['a']);
    expect(camera.y).toBe(-250);
  });

  it('does not move a camera the learner moved, nor one not following', () => {
    const camera = cameraAt(0, -250);
    const framing = new Framing(camera as unknown as Camera, () => ({ width: 200, height: 100 }));
    framing.followStep(layout, 2, ['b']);
    expect(camera.y).toBe(-250);
    framing.follow = true;
    camera.moved = true;
    framing.followStep(layout, 2, ['b']);
    expect(camera.y).toBe(-250);
  });

  it('keeps the cards it shows whole: an edge of the view that would cut one moves off it, the step still in view', () => {
    // b's card, and another card right under it; a card above, far enough to leave out whole.
    const cards = [
      { key: 'up', x: 30, y: 500, w: 70, h: 40 },
      { key: 'b', x: 30, y: 590, w: 70, h: 40 },
      { key: 'under', x: 30, y: 640, w: 70, h: 60 },
    ];
    const withCards = { ...layout, pods: cards, boxes: [{ ...box(600), role: 'app' }] } as unknown as Layout;
    const camera = cameraAt(0, -250);
    const framing = new Framing(camera as unknown as Camera, () => ({ width: 200, height: 100 }));
    framing.follow = true;
    framing.followStep(withCards, 1, ['b']);
    // Centred on b the view (world 560–660) cut "under" (640–700) across its bottom edge.
    const top = -camera.y;
    const cut = cards.filter((c) => (c.y < top && c.y + c.h > top) || (c.y < top + 100 && c.y + c.h > top + 100)).map((c) => c.key);
    expect(cut).toEqual([]);
    // b in view, 16 px or more from the edges.
    expect(600 - top).toBeGreaterThanOrEqual(16);
    expect(top + 100 - 620).toBeGreaterThanOrEqual(16);
  });

  it('settles the first view after a fit: a card cut across an edge comes whole into view, the step in view; later steps in view do not move it', () => {
    // Framed from its top (world 0–100 in view): "low" (55–120) is cut by the bottom edge; the
    // step's node a (60–80) is in its card, in view.
    const cards = [
      { key: 'top', x: 30, y: 0, w: 70, h: 30 },
      { key: 'low', x: 30, y: 55, w: 70, h: 65 },
    ];
    const tall = { ...layout, bounds: { x: 0, y: 0, w: 200, h: 200 }, nodes: new Map([['a', box(60)]]), pods: cards } as unknown as Layout;
    const camera = cameraAt(0, 0);
    const framing = new Framing(camera as unknown as Camera, () => ({ width: 200, height: 100 }));
    framing.follow = true;
    framing.followStep(tall, 1, ['a']);
    const top = -camera.y;
    const cut = cards.filter((c) => (c.y < top && c.y + c.h > top) || (c.y < top + 100 && c.y + c.h > top + 100)).map((c) => c.key);
    expect(cut).toEqual([]);
    // As little a pan as does it: "top" just out of view above, its frame's stroke too (2 px past
    // the edge: flush at 30, a line of it showed along the edge); "low" 16 px in from the bottom
    // (36) is further.
    expect(top).toBe(32);
    expect(60 - top).toBeGreaterThanOrEqual(16);
    // The next step, in view, leaves the view where it is (the pan moves only when it must).
    camera.y = 0;
    framing.followStep(tall, 2, ['a']);
    expect(camera.y).toBe(0);
  });
});
