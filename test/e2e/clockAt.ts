/**
 * What the page's clock reads when the playhead jumped to an event (a divergence marker, the
 * divergence key, "Show me"): the event's own time, held until the cursor moves
 * (Player.seekEvent), though the steps before it may have reached up to PACE.maxLagSimMs later
 * when it plays behind its conversation (src/player/stepClock.ts). Throws when the player's
 * reading leaves those bounds.
 */
import { PACE, Player, formatClock } from '../../src/player/index.ts';
import type { Trace } from '../../src/sim/index.ts';

export function clockAtEvent(traces: readonly Trace[], pane: number, seq: number): { ms: number; text: string } {
  const player = new Player([...traces]);
  player.seekEvent(pane, seq);
  const own = traces[pane]!.events[seq]!.t;
  const ms = player.timeMs;
  if (ms < own || ms > own + PACE.maxLagSimMs)
    throw new Error(`clock ${ms} ms on event ${seq} of pane ${pane} (its time ${own} ms) is outside [${own}, ${own + PACE.maxLagSimMs}]`);
  return { ms, text: formatClock(ms) };
}
