/**
 * What a frame reads of the player more than once — the step index, the clock, the view — is
 * worked out once per cursor position (a search of the steps each time cost a frame's share
 * of 2,000 packets' drawing), and reads what a player fresh at that position reads.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Player, Timeline } from '../../src/player/index.ts';
import { retriesTrace } from './fixtures.ts';

const istio = retriesTrace('istio');
const linkerd = retriesTrace('linkerd');

describe('reads at a cursor', () => {
  afterEach(() => vi.restoreAllMocks());

  it('searches the steps once per cursor, however often the step and the clock are read', () => {
    const player = new Player(istio);
    const search = vi.spyOn(Timeline.prototype, 'stepIndexAt');
    player.play();
    for (let frame = 0; frame < 30; frame++) {
      player.advance(16);
      search.mockClear();
      const reads = Array.from({ length: 4 }, () => [player.stepIndex, player.timeMs, player.atEnd]);
      expect(search).toHaveBeenCalledTimes(1);
      expect(new Set(reads.map((r) => r.join()))).toHaveProperty('size', 1);
    }
  });

  it('reads, after each move (a trace swapped too), what a search at that position reads', () => {
    const player = new Player(istio);
    const moves: ((p: Player) => void)[] = [
      (p) => p.stepForward(),
      (p) => p.seekTime(1234.5),
      (p) => p.stepBack(),
      (p) => p.replaceTrace(linkerd),
      (p) => p.seekShow(800),
      (p) => p.stepForward(),
      (p) => p.replaceTrace(istio),
      (p) => p.advance(16),
    ];
    player.play();
    for (let round = 0; round < 80; round++) {
      moves[round % moves.length]!(player);
      const index = player.stepIndex;
      expect(index).toBe(player.timeline.stepIndexAt(player.position));
      // The view works the clock out apart (from the same steps and warp), unless a seek set it.
      expect(player.view().timeMs).toBe(player.timeMs);
      expect(player.stepIndex).toBe(index);
    }
  });
});
