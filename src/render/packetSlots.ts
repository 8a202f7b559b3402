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
  /**
   * By flight: 1 + its slot, or 0 (none): zero-filled as made, so only the pages of flights drawn
   * are ever written (a long run's 3.6 million flights filled with -1 held 14.4 MB at once).
   */
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
  private readonly puts = new Placements<T>();
  /** The frame's flights to pack (those in their slots, then those put after), gathered at its end. */
  private readonly packs = new Placements<T>();
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
    this.slotOf = new Int32Array(flights);
    this.flightIn.fill(-1);
    this.used = this.empty = 0;
    this.last = -1;
    this.particles.length = 0;
    for (const p of this.pool) p.x = p.y = OFF;
  }

  /** A frame begins: flights are put in flight order, then {@link end}. */
  begin(): void {
    this.frame++;
    this.puts.length = 0;
    this.repack = false;
    this.dirty = false;
  }

  /**
   * Where the next {@link put} draws its flight, (x, y): set before the call. Doubles passed to a
   * call the compiler does not inline are boxed, a heap number each: as arguments they were most of
   * a frame's garbage with 2,000 packets (24 of its 45 KB, in the frame benchmark).
   */
  readonly at = new Float64Array(2);

  /** Flight `flight` drawn at {@link at} with `texture` ({@link OFF}: hidden, keeping its slot). */
  put(flight: number, texture: T): void {
    const x = this.at[0]!;
    const y = this.at[1]!;
    if (!this.repack) {
      let slot = this.slotOf[flight]! - 1;
      if (slot >= 0 || flight >= this.last) {
        if (slot < 0) slot = this.take(flight);
        this.place(slot, x, y, texture);
        return;
      }
      // Out of order: packed again at the frame's end; this flight and those after it wait there.
      this.repack = true;
    }
    this.puts.add(flight, x, y, texture);
  }

  /** The frame's flights are all put: slots of flights not put are emptied; packed again when due. */
  end(): void {
    const frame = this.frame;
    if (!this.repack) {
      for (let s = 0; s < this.used; s++) {
        const flight = this.flightIn[s]!;
        if (flight < 0 || this.putIn[s] === frame) continue;
        this.slotOf[flight] = 0;
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
      const packs = this.packs;
      packs.length = 0;
      for (let s = 0; s < this.used; s++) {
        const flight = this.flightIn[s]!;
        if (flight < 0) continue;
        this.slotOf[flight] = 0;
        this.flightIn[s] = -1;
        if (this.putIn[s] !== frame) continue;
        const p = this.pool[s]!;
        packs.add(flight, p.x, p.y, p.texture);
      }
      const puts = this.puts;
      for (let i = 0; i < puts.length; i++) packs.add(puts.flight[i]!, puts.x[i]!, puts.y[i]!, puts.texture[i]!);
      this.used = this.empty = 0;
      this.last = -1;
      for (let i = 0; i < packs.length; i++) this.place(this.take(packs.flight[i]!), packs.x[i]!, packs.y[i]!, packs.texture[i]!);
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
    this.slotOf[flight] = slot + 1;
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
}

/** Flights in order with where and how each is drawn: a list of columns that grows as it must. */
class Placements<T> {
  flight = new Int32Array(64);
  x = new Float64Array(64);
  y = new Float64Array(64);
  texture: T[] = [];
  length = 0;

  add(flight: number, x: number, y: number, texture: T): void {
    const i = this.length++;
    if (i >= this.flight.length) {
      this.flight = grown(this.flight);
      this.x = grown(this.x);
      this.y = grown(this.y);
    }
    this.flight[i] = flight;
    this.x[i] = x;
    this.y[i] = y;
    this.texture[i] = texture;
  }
}

/** `a` twice as long, its entries kept. */
function grown<A extends Int32Array | Float64Array>(a: A): A {
  const b = new (a.constructor as new (n: number) => A)(a.length * 2);
  b.set(a);
  return b;
}
