/**
 * Compare mode's difference overlay (issue 12: "what this pane does that the other does not, at
 * the playhead"). While a difference between the panes is recent at the playhead (shown in the
 * last {@link DIFF_SHOW_MS} of show time), the pane where it happened says it in words at its
 * foot — "≠ Not in Linkerd: retry 1 of 2 …" — and rings the node it happened at. The differences
 * are compare's own (player/divergence.ts: every pane against the reference, the first).
 * The note is one line in the pane's label strip; a long one ends in "…" there, and a click (or
 * Enter on it, focused by Tab) opens it whole over the picture until clicked again — it stays
 * open for the pane's next notes, as the learner left it.
 */
import { divergences, paneNames, type Player, type Trace } from '../player/index.ts';
import type { NodeId } from '../player/index.ts';
import type { MeshView } from '../render/index.ts';
import { el, setText } from './dom.ts';

/** How long a difference stays on its pane after it happened, in show time (a badge's time and a half). */
export const DIFF_SHOW_MS = 2250;

interface PaneDifference {
  showMs: number;
  seq: number;
  text: string;
  node: NodeId | null;
}

export class DiffOverlay {
  /** Per pane, its differences in show order. */
  private perPane: PaneDifference[][] = [];
  private traces: readonly Trace[] = [];
  private readonly notes: HTMLButtonElement[] = [];

  /** `paneOf(i)` is pane i's element (the note goes in it). */
  constructor(private readonly paneOf: (i: number) => HTMLElement) {}

  /** The runs shown (one per pane) and the player that shows them; one run: nothing to say. */
  setRuns(traces: readonly Trace[], player: Player): void {
    if (traces === this.traces) return;
    this.traces = traces;
    this.perPane = traces.map(() => []);
    if (traces.length < 2) return;
    const names = paneNames(traces.map((t) => t.mesh));
    for (const d of divergences(traces, names)) {
      const e = traces[d.pane]!.events[d.seq];
      const other = names[d.pane === 0 ? d.versus : 0]!;
      const showMs = player.timelines[d.pane]!.show.eventShow[d.seq]!;
      const text =
        e?.type === 'decision'
          ? `≠ Not in ${other}: ${e.summary}`
          : // The ending differs: the divergence's words say both endings (the request's id left out).
            `≠ ${d.requestId && d.text.startsWith(`${d.requestId}: `) ? d.text.slice(d.requestId.length + 2) : d.text}`;
      this.perPane[d.pane]!.push({ showMs, seq: d.seq, text, node: e?.type === 'decision' ? e.node : null });
    }
    for (const list of this.perPane) list.sort((a, b) => a.showMs - b.showMs || a.seq - b.seq);
  }

  /** Writes each pane's current difference (or none) and rings its node in `views`. */
  update(player: Player, views: readonly (MeshView | undefined)[]): void {
    this.perPane.forEach((list, i) => {
      const now = player.viewOf(i).cursor.showMs;
      let current: PaneDifference | null = null;
      // The latest difference already shown, if recent (lists are short: a few hundred at most).
      for (let k = upperBound(list, now) - 1; k >= 0; k--) {
        const d = list[k]!;
        if (now - d.showMs > DIFF_SHOW_MS) break;
        if (player.isDone(i, d.seq)) {
          current = d;
          break;
        }
      }
      const note = this.noteOf(i);
      const text = current?.text ?? '';
      note.hidden = current === null;
      setText(note, text);
      note.title = text;
      views[i]?.markDifference(current?.node ?? null);
    });
    for (let i = this.perPane.length; i < this.notes.length; i++) {
      this.notes[i]!.hidden = true;
      views[i]?.markDifference(null);
    }
  }

  private noteOf(i: number): HTMLButtonElement {
    while (this.notes.length <= i) {
      const note = el('button', { type: 'button', class: 'pane-diff', 'aria-expanded': 'false', hidden: true });
      note.addEventListener('click', () => {
        const open = note.classList.toggle('open');
        note.setAttribute('aria-expanded', String(open));
      });
      this.paneOf(this.notes.length).append(note);
      this.notes.push(note);
    }
    return this.notes[i]!;
  }
}

/** The number of entries shown at or before `showMs`. */
function upperBound(list: readonly PaneDifference[], showMs: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.showMs <= showMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
