/**
 * The "more" tabs (render/moreCue.ts) keep off what moves on its own over the picture: the focused
 * packet's ring and caption and the narration's callouts. Placed again as they move: where a tab
 * is depends only on what the picture shows now (a step forward and back leaves it as it was).
 * Drawn with a stand-in kit (no canvas): the tab is 54 × 17 px.
 */
import { describe, expect, it } from 'vitest';
import { MoreCue } from '../../src/render/moreCue.ts';
import type { Box } from '../../src/render/geometry.ts';
import type { Layout } from '../../src/render/layoutTypes.ts';
import type { MoreKit, TabSources } from '../../src/render/moreTabs.ts';
import type { Camera } from '../../src/render/camera.ts';

class Thing {
  x = 0;
  y = 0;
  visible = true;
  width = 42;
  text = '';
  readonly children: Thing[] = [];
  readonly position = { set: (x: number, y: number): void => void ((this.x = x), (this.y = y)) };
  addChild(...c: Thing[]): this {
    this.children.push(...c);
    return this;
  }
  roundRect(): this {
    return this;
  }
  fill(): this {
    return this;
  }
}

/** A picture going past the right edge of an 800 × 400 canvas, with nothing written on it but `words`. */
function setUp(passing: { caption: Box[]; callouts: Box[] }) {
  const kit = {
    Container: Thing,
    Graphics: Thing,
    label: (text: string) => Object.assign(new Thing(), { text }),
    COLOURS: { muted: 0 },
    wordObstacles: () => [],
    countedServices: () => new Set<string>(),
    sidesPast: () => ({ sides: ['right'], a: { x: 0, y: 0 } }),
  } as unknown as MoreKit;
  const sources = {
    trace: {},
    pipes: [],
    badges: { version: 0, drawn: () => [] },
    tags: { version: 0, drawn: () => [] },
    packets: { focusDrawn: () => passing.caption },
    callouts: { onScreen: () => passing.callouts },
  } as unknown as TabSources;
  const cue = new MoreCue(kit, new Thing() as never, () => sources);
  const camera = { zoom: 1 } as Camera;
  const layout = { bounds: { x: 0, y: 0, w: 1000, h: 400 }, boxes: [], pods: [] } as unknown as Layout;
  const tab = (): Box => {
    cue.update(camera, layout, { width: 800, height: 400 });
    const [t] = cue.onScreen();
    return { x: t!.x, y: t!.y, w: t!.w, h: t!.h };
  };
  return tab;
}

const overlaps = (a: Box, b: Box): boolean => Math.min(a.x + a.w, b.x + b.w) > Math.max(a.x, b.x) && Math.min(a.y + a.h, b.y + b.h) > Math.max(a.y, b.y);

describe('a "more" tab and what moves over the picture', () => {
  it('keeps off the focused packet caption at the middle of its edge, and goes where the picture now puts it when the caption moves on', () => {
    const passing = { caption: [{ x: 700, y: 185, w: 120, h: 15 }], callouts: [] as Box[] };
    const tab = setUp(passing);
    const first = tab();
    expect(first.x).toBe(800 - first.w);
    expect(overlaps(first, passing.caption[0]!)).toBe(false);
    expect(Math.abs(first.y - (400 - 17) / 2)).toBeLessThan(30);
    // The caption moves down the edge: the tab is where a cue that never saw the caption's old
    // place puts it — the picture depends on what it shows, not on how the run got there.
    passing.caption[0] = { x: 700, y: 260, w: 120, h: 15 };
    expect(tab()).toEqual(setUp({ caption: [{ x: 700, y: 260, w: 120, h: 15 }], callouts: [] })());
    // It comes onto the tab: the tab moves off it.
    passing.caption[0] = { x: 700, y: first.y + 4, w: 120, h: 15 };
    const moved = tab();
    expect(overlaps(moved, passing.caption[0])).toBe(false);
  });

  it('keeps off a narration callout at its edge', () => {
    const callout = { x: 600, y: 150, w: 210, h: 90 };
    const tab = setUp({ caption: [], callouts: [callout] });
    const t = tab();
    expect(overlaps(t, callout)).toBe(false);
    // The nearest free spot: just above or below the callout.
    expect(t.y === 150 - 2 - 17 || t.y === 240 + 2).toBe(true);
  });
});
