/**
 * Which particle (slot of the packet layer's ParticleContainer) each flight is drawn with.
 *
 * A particle's position goes to the GPU every frame; its texture frame (which shape, with or
 * without a lock) is static data, uploaded only when some slot's frame changes. So a flight keeps
 * its slot for as long as it flies, and a packet hidden for a while (under a box on its way) keeps
 * it too, drawn off the canvas: the slots do not shift when a packet lands or leaves, and a frame
 * whose packets only move uploads their positions alone (packets were placed in one slot after the
 * other, every frame, and their frames uploaded with them).
 *
 * Slots keep the flights' order (later flights drawn on top, as before: a request and its response
 * passing on a link overlap): a flight after the last one in a slot takes the next slot; a slot
 * freed stays empty (off the canvas) until the slots are packed again — when a flight would come
 * out of order, or when more are empty than used.
 */

/** Where a particle with no packet (or a hidden one) is drawn: far off any canvas. */
export const OFF = -1e7;

/** What a slot holds: a pixi Particle, or anything with its position and texture. */
export interface SlotParticle<T> {
  x: number;
  y: number;
  texture: T;
}

export class PacketSlots<T, P extends SlotParticle<T>> {
  /** By flight: its slot, or -1. */
  private slotOf = new Int32Array(0);
  /** By slot: its flight, or -1 (empty). */
  private flightIn = new Int32Array(64).fill(-1);
  /** By slot: the frame that last put its flight. */
  private putIn = new Int32Array(64);
  /**
   * The flights put this frame after it was found they must be packed again, with where and how;
   * those put before are in their slots (in flight order, as they were put). A steady frame
   * records nothing.
   */
  private putFlight = new Int32Array(64);
  private putX = new Float64Array(64);
  private putY = new Float64Array(64);
  private putTexture: T[] = [];
  private puts = 0;
  /** The frame's flights to pack (those in their slots, then those put after), gathered at its end. */
  private packFlight = new Int32Array(64);
  private packX = new Float64Array(64);
  private packY = new Float64Array(64);
  private packTexture: T[] = [];
  private frame = 0;
  /** Slots in use or empty below the last used one (the particles drawn). */
  private used = 0;
  private empty = 0;
  /** The flight in the last used slot (-1: none). */
  private last = -1;
  /** A flight came out of order: the slots are packed again at the frame's end. */
  private repack = false;
  /** Slots whose static data (texture frame) the GPU has. */
  private uploaded = 0;
  private dirty = false;
  /** Every particle made, by slot (the drawn ones are the first {@link used}). */
  private readonly pool: P[] = [];

  /**
   * `particles`: the container's particle list (slot i drawn with particle i), `make` a particle,
   * `upload` marks the static data for upload at the next render.
   */
  constructor(
    private readonly particles: P[],
    private readonly make: (texture: T) => P,
    private readonly upload: () => void,
  ) {}

  /** Another timeline with `flights` flights: every slot free. */
  reset(flights: number): void {
    this.slotOf = new Int32Array(flights).fill(-1);
    this.flightIn.fill(-1);
    this.used = this.empty = 0;
    this.last = -1;
    this.particles.length = 0;
    for (const p of this.pool) p.x = p.y = OFF;
  }

  /** A frame begins: flights are put in flight order, then {@link end}. */
  begin(): void {
    this.frame++;
    this.puts = 0;
    this.repack = false;
    this.dirty = false;
  }

  /** Flight `flight` drawn at (x, y) with `texture` ({@link OFF}: hidden, keeping its slot). */
  put(flight: number, x: number, y: number, texture: T): void {
    if (!this.repack) {
      let slot = this.slotOf[flight]!;
      if (slot >= 0 || flight >= this.last) {
        if (slot < 0) slot = this.take(flight);
        this.place(slot, x, y, texture);
        return;
      }
      // Out of order: packed again at the frame's end; this flight and those after it wait there.
      this.repack = true;
    }
    const i = this.puts++;
    if (i >= this.putFlight.length) this.putFlight = grown(this.putFlight);
    if (i >= this.putX.length) {
      this.putX = grown(this.putX);
      this.putY = grown(this.putY);
    }
    this.putFlight[i] = flight;
    this.putX[i] = x;
    this.putY[i] = y;
    this.putTexture[i] = texture;
  }

  /** The frame's flights are all put: slots of flights not put are emptied; packed again when due. */
  end(): void {
    const frame = this.frame;
    if (!this.repack) {
      for (let s = 0; s < this.used; s++) {
        const flight = this.flightIn[s]!;
        if (flight < 0 || this.putIn[s] === frame) continue;
        this.slotOf[flight] = -1;
        this.flightIn[s] = -1;
        this.empty++;
        const p = this.pool[s]!;
        p.x = p.y = OFF;
      }
      while (this.used > 0 && this.flightIn[this.used - 1]! < 0) {
        this.used--;
        this.empty--;
      }
      this.last = this.used > 0 ? this.flightIn[this.used - 1]! : -1;
      if (this.empty > 16 && this.empty > this.used - this.empty) this.repack = true;
    }
    if (this.repack) {
      // The frame's flights in the order they were put: those placed before the repack was due
      // (in slot order, which is flight order), then the rest.
      let n = 0;
      for (let s = 0; s < this.used; s++) {
        const flight = this.flightIn[s]!;
        if (flight < 0) continue;
        this.slotOf[flight] = -1;
        this.flightIn[s] = -1;
        if (this.putIn[s] !== frame) continue;
        const p = this.pool[s]!;
        n = this.pack(n, flight, p.x, p.y, p.texture);
      }
      for (let i = 0; i < this.puts; i++) n = this.pack(n, this.putFlight[i]!, this.putX[i]!, this.putY[i]!, this.putTexture[i]!);
      this.used = this.empty = 0;
      this.last = -1;
      for (let i = 0; i < n; i++) this.place(this.take(this.packFlight[i]!), this.packX[i]!, this.packY[i]!, this.packTexture[i]!);
    }
    const particles = this.particles;
    if (particles.length > this.used) particles.length = this.used;
    else for (let s = particles.length; s < this.used; s++) particles[s] = this.pool[s]!;
    if (this.used > this.uploaded) {
      this.uploaded = this.used;
      this.dirty = true;
    }
    if (this.dirty) this.upload();
  }

  /** The next slot, for `flight`. */
  private take(flight: number): number {
    const slot = this.used++;
    if (slot >= this.flightIn.length) {
      const n = this.flightIn.length * 2;
      const flightIn = new Int32Array(n).fill(-1);
      flightIn.set(this.flightIn);
      this.flightIn = flightIn;
      const putIn = new Int32Array(n);
      putIn.set(this.putIn);
      this.putIn = putIn;
    }
    this.flightIn[slot] = flight;
    this.slotOf[flight] = slot;
    this.last = flight;
    return slot;
  }

  private place(slot: number, x: number, y: number, texture: T): void {
    let p = this.pool[slot];
    if (!p) {
      p = this.pool[slot] = this.make(texture);
      this.dirty = true;
    } else if (p.texture !== texture) {
      p.texture = texture;
      this.dirty = true;
    }
    p.x = x;
    p.y = y;
    this.putIn[slot] = this.frame;
  }

  /** Adds a flight to pack as entry `n`; returns the next entry. */
  private pack(n: number, flight: number, x: number, y: number, texture: T): number {
    if (n >= this.packFlight.length) {
      this.packFlight = grown(this.packFlight);
      this.packX = grown(this.packX);
      this.packY = grown(this.packY);
    }
    this.packFlight[n] = flight;
    this.packX[n] = x;
    this.packY[n] = y;
    this.packTexture[n] = texture;
    return n + 1;
  }
}

/** `a` twice as long, its entries kept. */
function grown<A extends Int32Array | Float64Array>(a: A): A {
  const b = new (a.constructor as new (n: number) => A)(a.length * 2);
  b.set(a);
  return b;
}
