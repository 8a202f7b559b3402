/**
 * The transport bar: Restart, Step back, Play/Pause, Step forward, Speed, the simulation clock,
 * and a timeline scrubber in simulated time (its position is the clock's share of the run), over
 * a density strip showing where the run is busy, with ticks marking retries, failures, state
 * changes and narration.
 */
import { SPEEDS, formatClock, type Player, type View } from '../player/index.ts';
import { el, icon, setText, whenIdle } from './dom.ts';

export interface ControlActions {
  toggle(): void;
  stepBack(): void;
  stepForward(): void;
  restart(): void;
  setSpeed(speed: number): void;
  /** Scrubbing: simulated time. */
  seekTime(timeMs: number): void;
}

const TICK_COLOURS = { failure: '#d55e00', retry: '#e69f00', transition: '#8a8a8a', narration: '#0072b2' } as const;

/** A mark above the scrubber: where compare mode's runs diverge, or where a fault was injected. */
export interface TimelineMark {
  /** Simulated time of the mark. */
  timeMs: number;
  kind: 'first-divergence' | 'divergence' | 'fault';
  label: string;
  /** Marks that can be jumped to are buttons (the first divergence); the rest are drawn only. */
  jump?: () => void;
  /** The event the mark is about, for the keys that jump to the next difference. */
  at?: { pane: number; seq: number };
}

export class Controls {
  readonly root: HTMLElement;
  private readonly play: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private readonly clock: HTMLOutputElement;
  private readonly scrubber: HTMLInputElement;
  private readonly ticks: HTMLCanvasElement;
  /** The density strip, under the ticks (its own canvas, so its bars can be read back whole). */
  private readonly density: HTMLCanvasElement;
  private readonly stepInfo: HTMLElement;
  private readonly marks: HTMLElement;
  /** The timelines the ticks were drawn for, and the canvas size (CSS pixels) they were drawn at. */
  private tickTimelines: Player['timelines'] | null = null;
  private tickSize = { w: 0, h: 0 };
  /** New timelines' ticks are waiting for the browser to be idle. */
  private ticksDue = false;
  /** The canvas size as last observed: read in the observer, never right after a write. */
  private size = { w: 0, h: 0 };
  private player: Player | null = null;

  constructor(actions: ControlActions) {
    const button = (name: string, symbol: Parameters<typeof icon>[0], onClick: () => void): HTMLButtonElement => {
      const b = el('button', { type: 'button', 'aria-label': name, title: name, class: 'transport' }, icon(symbol));
      b.addEventListener('click', onClick);
      return b;
    };
    this.play = button('Play', 'play', () => actions.toggle());
    this.speed = el('select', { 'aria-label': 'Speed', title: 'Speed (+ / −)' });
    for (const s of SPEEDS) this.speed.append(el('option', { value: String(s) }, `×${s}`));
    this.speed.value = '1';
    this.speed.addEventListener('change', () => actions.setSpeed(Number(this.speed.value)));
    this.clock = el('output', { 'aria-label': 'Simulation time', class: 'clock' }, '0.000 s');
    this.scrubber = el('input', { type: 'range', min: '0', max: '1', step: 'any', value: '0', 'aria-label': 'Timeline', class: 'scrubber' });
    this.scrubber.addEventListener('input', () => actions.seekTime(Number(this.scrubber.value)));
    this.ticks = el('canvas', { class: 'ticks', 'aria-hidden': 'true' });
    this.density = el('canvas', { class: 'ticks density', 'aria-hidden': 'true', 'data-testid': 'density' });
    this.stepInfo = el('span', { class: 'step-info' });
    this.marks = el('div', { class: 'marks' });
    this.root = el(
      'div',
      { class: 'controls', role: 'toolbar', 'aria-label': 'Playback' },
      el(
        'div',
        { class: 'buttons' },
        button('Restart', 'restart', () => actions.restart()),
        button('Step back', 'back', () => actions.stepBack()),
        this.play,
        button('Step forward', 'forward', () => actions.stepForward()),
        el('label', { class: 'speed' }, 'Speed ', this.speed),
        this.clock,
        this.stepInfo,
      ),
      el('div', { class: 'timeline' }, this.density, this.ticks, this.marks, this.scrubber),
    );
    new ResizeObserver(() => {
      this.size = { w: this.ticks.clientWidth, h: this.ticks.clientHeight };
      if (this.player) this.drawTicks(this.player);
    }).observe(this.ticks);
  }

  /** Reflects the player: play state, speed, clock, scrubber. */
  update(player: Player, view: View): void {
    const playing = player.playing;
    const name = playing ? 'Pause' : 'Play';
    if (this.play.getAttribute('aria-label') !== name) {
      this.play.setAttribute('aria-label', name);
      this.play.title = `${name} (Space)`;
      this.play.replaceChildren(icon(playing ? 'pause' : 'play'));
    }
    const speed = String(player.speed);
    if (this.speed.value !== speed) this.speed.value = speed;
    setText(this.clock, formatClock(view.timeMs));
    const duration = player.trace.durationMs;
    if (this.scrubber.max !== String(duration)) this.scrubber.max = String(duration);
    if (document.activeElement !== this.scrubber || playing) this.scrubber.value = String(view.timeMs);
    this.scrubber.setAttribute('aria-valuetext', `${formatClock(view.timeMs)} of ${formatClock(duration)}`);
    setText(this.stepInfo, `step ${player.stepIndex + 1} of ${player.steps.length}`);
    this.player = player;
    // A knob or a fault re-simulates: same scenario and mesh, new timelines. The density strip
    // reads every event (half a million in a long run): drawn after the frame, not in it.
    if (player.timelines !== this.tickTimelines && !this.ticksDue) {
      this.ticksDue = true;
      whenIdle(() => {
        this.ticksDue = false;
        if (this.player) this.drawTicks(this.player);
      });
    }
  }

  /**
   * Marks above the scrubber. A mark that can be jumped to is a button named by its label; the
   * others are drawn only (the Compare panel lists every difference as a button).
   */
  setMarks(marks: readonly TimelineMark[], durationMs: number): void {
    const at = (timeMs: number): string => `calc(8px + (100% - 16px) * ${Math.min(1, Math.max(0, timeMs / Math.max(1, durationMs)))})`;
    this.marks.replaceChildren(
      ...marks.map((m) => {
        const mark = m.jump
          ? el('button', { type: 'button', class: `mark mark-${m.kind}`, 'aria-label': m.label, title: m.label })
          : el('span', { class: `mark mark-${m.kind}`, title: m.label, 'aria-hidden': 'true' });
        mark.style.left = at(m.timeMs);
        if (m.jump) mark.addEventListener('click', m.jump);
        return mark;
      }),
    );
  }

  /** Draws the ticks of `player`'s timelines, unless they are drawn already at this size (or the canvas is not laid out yet). */
  private drawTicks(player: Player): void {
    const { w, h } = this.size;
    if ((player.timelines === this.tickTimelines && w === this.tickSize.w && h === this.tickSize.h) || w === 0) return;
    this.tickTimelines = player.timelines;
    this.tickSize = { w, h };
    const duration = player.trace.durationMs;
    const dpr = window.devicePixelRatio || 1;
    const context = (canvas: HTMLCanvasElement): CanvasRenderingContext2D | null => {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      const c = canvas.getContext('2d');
      c?.scale(dpr, dpr);
      c?.clearRect(0, 0, w, h);
      return c;
    };
    const strip = context(this.density);
    const ctx = context(this.ticks);
    if (!ctx || !strip) return;
    const span = w - 16;
    const x = (timeMs: number): number => Math.round((timeMs / Math.max(1, duration)) * span) + 8.5;
    // The density strip: how many events each pixel of the bar holds, on a log scale, so a busy
    // second in a two-day run still shows.
    const counts = new Float64Array(Math.max(1, Math.ceil(span)) + 1);
    for (const t of player.timelines) {
      const times = t.eventTimes;
      for (let i = 0; i < times.length; i++) counts[Math.min(counts.length - 1, Math.floor((times[i]! / Math.max(1, duration)) * span))]!++;
    }
    const most = Math.log1p(Math.max(...counts));
    strip.fillStyle = '#c9d6e0';
    counts.forEach((c, i) => {
      if (!c) return;
      const bar = Math.max(1, (Math.log1p(c) / most) * h);
      strip.fillRect(8 + i, h - bar, 1, bar);
    });
    const mark = (timeMs: number, colour: string, top: number, bottom: number): void => {
      ctx.strokeStyle = colour;
      ctx.beginPath();
      ctx.moveTo(x(timeMs), top);
      ctx.lineTo(x(timeMs), bottom);
      ctx.stroke();
    };
    for (const t of player.timelines) {
      for (const time of t.transitionStepTimes()) mark(time, TICK_COLOURS.transition, h * 0.6, h);
      for (const b of t.badges) mark(t.trace.events[b.seq]!.t, b.kind === 'retry' ? TICK_COLOURS.retry : TICK_COLOURS.failure, 0, h * 0.55);
      for (const n of t.narration) mark(n.t, TICK_COLOURS.narration, 0, h);
    }
  }
}
