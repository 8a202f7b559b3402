/**
 * The packet layer's particles (packetSlots.ts): a flight keeps its particle while it flies, so
 * a frame whose packets only move changes no particle's texture frame (static data on the GPU);
 * and what is drawn is exactly the packets, each with its own frame, in flight order.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { Player, runScenario } from '../../src/player/index.ts';

// Loaded after the setup file's navigator stand-in (pixi.js reads it when loaded); the layer itself needs no canvas.
const { Texture } = await import('pixi.js');
const { layoutModel } = await import('../../src/render/layout.ts');
const { modelOf } = await import('../../src/render/layoutModel.ts');
const { PacketLayer } = await import('../../src/render/packetLayer.ts');
const { OFF } = await import('../../src/render/packetSlots.ts');
const { lookOf } = await import('../../src/render/palette.ts');
type Texture = InstanceType<typeof Texture>;

interface Drawn {
  x: number;
  y: number;
  texture: Texture;
}

/** A packet layer for `id` under `mesh`, a Player at its start, and the layer's particles. */
function setup(id: string, mesh: string) {
  const file = `scenarios/${id}.yaml`;
  const run = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
  if (!run.ok) throw new Error(`${id} does not run under ${mesh}`);
  const layout = layoutModel(modelOf(run.trace), { viewport: { w: 1280, h: 720 } });
  // One texture per look, so a particle's frame says which look it has.
  const frames = new Map<string, Texture>();
  const frame = (shape: string, locked: boolean): Texture => {
    const key = `${shape}/${locked}`;
    return frames.get(key) ?? frames.set(key, new Texture()).get(key)!;
  };
  const atlas = { base: Texture.EMPTY, ring: Texture.EMPTY, frame, destroy() {} };
  const layer = new PacketLayer(layout, atlas as never);
  const container = layer.root.children[0] as unknown as { particleChildren: Drawn[] };
  return { player: new Player(run.trace), layer, particles: () => container.particleChildren, frame };
}

describe('packet particles', () => {
  test('a flight keeps its particle while it flies, as packets before it land', () => {
    const { player, layer, particles } = setup('retries-flaky-pod', 'istio');
    player.play();
    let last = new Map<number, Drawn>();
    let flying = new Set<number>();
    let kept = 0;
    let landedBefore = 0;
    for (let f = 0; f < 400 && player.playing; f++) {
      player.advance(16);
      const packets = player.view().packets;
      layer.update(packets, true, null, null);
      const now = new Map<number, Drawn>();
      for (const { packet, x, y } of layer.drawnPackets()) {
        // Drawn positions are kept as 32-bit floats (for hit testing).
        const p = particles().find((q) => Math.fround(q.x) === x && Math.fround(q.y) === y);
        expect(p, `packet ${packet.seq} has a particle where it is drawn`).toBeDefined();
        now.set(packet.seq, p!);
      }
      // Particles are in flight order (later flights on top): one that takes off after a later
      // one already flying has the particles packed again, and is left out here.
      const seqs = Array.from({ length: packets.length }, (_, k) => packets.seq(k));
      const latest = Math.max(-1, ...flying);
      const packed = seqs.some((seq) => !flying.has(seq) && seq < latest);
      if (!packed)
        for (const [seq, p] of now) {
          if (!last.has(seq)) continue;
          if ([...flying].some((s) => s < seq && !seqs.includes(s))) landedBefore++;
          expect(p, `packet ${seq} drawn with the particle it had`).toBe(last.get(seq));
          kept++;
        }
      last = now;
      flying = new Set(seqs);
    }
    expect(kept).toBeGreaterThan(100);
    // The case that moved every later packet to another particle.
    expect(landedBefore).toBeGreaterThan(10);
  });

  test('the particles on the canvas are the packets drawn, each with its look, in flight order', () => {
    const { player, layer, particles, frame } = setup('hello-mesh', 'linkerd');
    player.play();
    let frames = 0;
    for (let f = 0; f < 600 && player.playing; f++, frames++) {
      player.advance(16);
      layer.update(player.view().packets, true, null, null);
      const onCanvas = particles().filter((p) => p.x !== OFF);
      const drawn = layer.drawnPackets();
      expect(onCanvas.map((p) => [Math.fround(p.x), Math.fround(p.y)])).toEqual(drawn.map((d) => [d.x, d.y]));
      onCanvas.forEach((p, i) => {
        const packet = drawn[i]!.packet;
        expect(p.texture, `packet ${packet.seq}'s look`).toBe(frame(lookOf(packet).shape, packet.mtls));
      });
    }
    expect(frames).toBeGreaterThan(100);
  });
});
