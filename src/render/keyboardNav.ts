/**
 * The picture by keyboard: with the canvas focused, the arrow keys move a focus ring to the
 * nearest thing in that direction — a pod's app or sidecar, a standalone proxy, the control
 * plane, a link between pods, a packet in flight — Enter inspects it and Escape lets go. The
 * picture itself does not change: this only picks. Focused by a click, the canvas leaves the arrows
 * to the page (they step through the run).
 */
import type { NodeId, PacketView } from '../player/index.ts';

/** Something the keyboard can land on, with its centre in world coordinates. */
export type NavTarget =
  | { kind: 'node'; node: NodeId; label: string; x: number; y: number; w: number; h: number }
  | { kind: 'edge'; from: NodeId; to: NodeId; label: string; x: number; y: number; w: number; h: number }
  | { kind: 'packet'; seq: number; packet: PacketView; label: string; x: number; y: number; w: number; h: number };

const DIRECTIONS: Record<string, [number, number]> = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

/** The key of a target, stable while it exists (a packet by its seq). */
export function targetKey(t: NavTarget): string {
  return t.kind === 'node' ? `n:${t.node}` : t.kind === 'edge' ? `e:${t.from}>${t.to}` : `p:${t.seq}`;
}

/**
 * The target nearest `from` in a direction: within 60° of it, the closest, with sideways distance
 * counting double (so ← from a sidecar goes to its app, not to a box far above-left).
 */
export function nearestInDirection(from: { x: number; y: number }, targets: readonly NavTarget[], key: string, exclude: string): NavTarget | null {
  const dir = DIRECTIONS[key];
  if (!dir) return null;
  let best: NavTarget | null = null;
  let bestScore = Infinity;
  for (const t of targets) {
    if (targetKey(t) === exclude) continue;
    const dx = t.x - from.x;
    const dy = t.y - from.y;
    const along = dx * dir[0] + dy * dir[1];
    if (along <= 1) continue;
    const across = Math.abs(dx * dir[1] - dy * dir[0]);
    if (across > along * Math.tan(Math.PI / 3)) continue;
    const score = along + 2 * across;
    if (score < bestScore) {
      bestScore = score;
      best = t;
    }
  }
  return best;
}

export class CanvasNavigator {
  /** The target the keyboard is on, by key. */
  private focused: string | null = null;
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly targets: () => NavTarget[],
    private readonly onFocus: (target: NavTarget | null) => void,
    private readonly onPick: (target: NavTarget | null) => void,
    /** Whether the canvas was focused by a click: then the arrows keep stepping through the run. */
    private byPointer = false,
  ) {
    canvas.tabIndex = 0;
    canvas.addEventListener('keydown', this.keydown);
    canvas.addEventListener('pointerdown', () => (this.byPointer = document.activeElement !== canvas || this.byPointer));
    canvas.addEventListener('blur', () => {
      this.byPointer = false;
      this.onFocus(null);
    });
    canvas.addEventListener('focus', () => this.onFocus(this.current()));
  }

  /** The target the keyboard is on, if it still exists. */
  current(): NavTarget | null {
    if (!this.focused) return null;
    return this.targets().find((t) => targetKey(t) === this.focused) ?? null;
  }

  readonly keydown = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    // Focused by a click (not by Tab): the page's keys (→ steps) go on working.
    if (this.byPointer) return;
    const targets = this.targets();
    if (!targets.length) return;
    const now = this.current();
    if (e.key in DIRECTIONS) {
      // The first press lands on the top-left-most thing; the next ones move from there.
      const next = now ? nearestInDirection(now, targets, e.key, targetKey(now)) : [...targets].sort((a, b) => a.y + a.x / 4 - (b.y + b.x / 4))[0]!;
      if (next) {
        this.focused = targetKey(next);
        this.onFocus(next);
      }
    } else if (e.key === 'Enter' && now) this.onPick(now);
    else if (e.key === 'Escape') {
      this.focused = null;
      this.onFocus(null);
      this.onPick(null);
    } else return;
    // The arrows move here, not through the steps.
    e.preventDefault();
    e.stopPropagation();
  };

  destroy(): void {
    this.canvas.removeEventListener('keydown', this.keydown);
  }
}
