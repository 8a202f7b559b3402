/**
 * build/pixiLean.ts: the page's 'pixi.js' is a module re-exporting classes from their own files.
 * Every value src/ imports from 'pixi.js' must be among them, taken from the file that defines it
 * in the installed pixi.js (a rename or a move in a pixi.js release fails here, not in the page).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colord, extend } from '@pixi/colord';
import earcut from 'earcut';
import {
  CANVAS,
  COLOUR_NAMES,
  OTHER_RENDERERS,
  withoutOtherRenderers,
  PROBES,
  SHARED_SYSTEMS,
  SVG,
  TAGGED,
  colordSource,
  convexFillSource,
  lazySegmenter,
  pixiLeanSource,
  probeSource,
  taggedStubSource,
  UNUSED_SHARED,
  withoutUnusedShared,
} from '../../build/pixiLean.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LIB = join(ROOT, 'node_modules/pixi.js/lib');

function sources(dir: string, ext = '.ts'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

/** Every CSS colour name, from the full names plugin the build leaves out. */
const ALL_NAMES = new Set(
  [...readFileSync(join(ROOT, 'node_modules/@pixi/colord/plugins/names.mjs'), 'utf8').matchAll(/([a-z]+):"#[0-9a-f]{6}"/g)].map((m) => m[1]!),
);

/** The colour names written as string literals in the code of `files` (comments left out). */
function namesWritten(files: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files) {
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:])\/\/.*$/gm, '$1');
    for (const m of code.matchAll(/["'`]([a-z]+)["'`]/g)) if (ALL_NAMES.has(m[1]!)) found.set(m[1]!, file);
  }
  return found;
}

/** Names src/ imports from 'pixi.js' as values (not `type` imports). */
function valueImports(): Set<string> {
  const names = new Set<string>();
  for (const file of sources(join(ROOT, 'src')))
    for (const m of readFileSync(file, 'utf8').matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'pixi\.js'/g)) {
      if (m[1]) continue;
      for (const part of m[2]!.split(',').map((s) => s.trim())) if (part && !part.startsWith('type ')) names.add(part.split(/\s+as\s+/)[0]!);
    }
  return names;
}

/** Each of pixi's `files` left out of the build is replaced by a stub exporting the same names. */
async function stubsExportAsFiles(files: string[]): Promise<void> {
  for (const file of files) {
    const real = Object.keys(await import(join(LIB, file))).sort();
    const stub = [...taggedStubSource(file).matchAll(/export (?:const|function) (\w+)/g)].map((m) => m[1]!).sort();
    expect(stub, file).toEqual(real);
  }
}

describe("the page's pixi.js (build/pixiLean.ts)", () => {
  const source = pixiLeanSource(LIB);
  const exported = new Map<string, string>();
  for (const m of source.matchAll(/export \{ ([^}]+) \} from "([^"]+)";/g)) for (const name of m[1]!.split(', ')) exported.set(name, m[2]!);

  it('exports every value src/ imports from pixi.js', () => {
    const wanted = [...valueImports()].sort();
    expect(wanted.length).toBeGreaterThan(5);
    expect(wanted.filter((n) => !exported.has(n))).toEqual([]);
  });

  it('takes each from the file of pixi.js that exports it', () => {
    for (const [name, file] of exported) {
      const text = readFileSync(file, 'utf8');
      expect(new RegExp(`export \\{[^}]*\\b${name}\\b[^}]*\\}`).test(text), `${name} in ${file}`).toBe(true);
    }
  });

  it('registers the texture sources text and generated textures need, and not the video source', () => {
    expect(source).toMatch(/extensions\.add\(ImageSource, CanvasSource, BufferImageSource\)/);
    expect(source).not.toMatch(/VideoSource|spritesheet|index\.mjs/);
  });

  it("knows every colour name pixi.js's code and the renderer write", () => {
    expect(ALL_NAMES.size).toBeGreaterThan(140);
    const written = new Map([...namesWritten(sources(LIB, '.mjs')), ...namesWritten(sources(join(ROOT, 'src/render')))]);
    // pixi writes black and white (TextStyle's defaults, FillGradient's stops) and red (canvas text's fallback fill).
    expect([...written.keys()].sort()).toEqual(expect.arrayContaining(['black', 'white']));
    expect([...written].filter(([name]) => !(name in COLOUR_NAMES)).map(([name, file]) => `${name} in ${file}`)).toEqual([]);
  });

  it('reads colours as colord with its names plugin does, in every form pixi.js and the renderer write one', async () => {
    const lean = (await import(`data:text/javascript,${encodeURIComponent(colordSource())}`)) as {
      colord: (input: unknown) => { rgba: unknown; isValid(): boolean };
    };
    const names = (await import(join(ROOT, 'node_modules/@pixi/colord/plugins/names.mjs'))) as { default: Parameters<typeof extend>[0][number] };
    extend([names.default]);
    const forms: unknown[] = [
      ...Object.keys(COLOUR_NAMES).flatMap((n) => [n, n.toUpperCase()]),
      'transparent',
      'Transparent',
      '#abc',
      '#ABCD',
      '#a1b2c3',
      '#A1B2C380',
      '#00000000',
      '#fff0',
      { r: 10, g: 20, b: 30 },
      { r: 10, g: 20, b: 30, a: 0.5 },
      { r: 300, g: -5, b: 30, a: 2 },
    ];
    for (const form of forms) {
      expect(lean.colord(form).isValid(), JSON.stringify(form)).toBe(true);
      expect(lean.colord(form).rgba, JSON.stringify(form)).toEqual(colord(form as string).rgba);
    }
    for (const form of ['#abcde', '#1234567', 'abc', '', ' #abc', 'rebeccapurple', 'rgb(1, 2, 3)', { r: 1 }, 5]) {
      expect(lean.colord(form).isValid(), JSON.stringify(form)).toBe(false);
      expect(lean.colord(form).rgba).toEqual({ r: 0, g: 0, b: 0, a: 1 });
    }
    // No colour in a functional notation (rgb(…), hsl(…)) reaches Color: pixi writes rgba(…) only to
    // a 2D context's shadowColor, a DOM style, and as Color's own toRgbaString output.
    const functional: string[] = [];
    for (const file of [...sources(LIB, '.mjs'), ...sources(join(ROOT, 'src/render'))]) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
      for (const line of code.split('\n'))
        if (/["'`](rgba?|hsla?|hsva?|hwb|lab|lch|cmyk)\(/i.test(line) && !/(shadowColor|backgroundColor)\s*=|return `rgba\(/.test(line))
          functional.push(`${file}: ${line.trim()}`);
    }
    expect(functional).toEqual([]);
  });

  it("leaves out pixi's tagged text only while src/ writes no tagStyles, each stub exporting what its file does", async () => {
    const naming = sources(join(ROOT, 'src')).filter((f) => readFileSync(f, 'utf8').includes('tagStyles'));
    expect(naming).toEqual([]);
    await stubsExportAsFiles(Object.keys(TAGGED));
  });

  it("leaves out pixi's SVG reader only while src/ draws no SVG, the stub exporting what its file does", async () => {
    const naming = sources(join(ROOT, 'src')).filter((f) => /\.svg\(/.test(readFileSync(f, 'utf8')));
    expect(naming).toEqual([]);
    await stubsExportAsFiles(Object.keys(SVG));
  });

  it("leaves out pixi's canvas-renderer helpers only while src/ fills nothing with a FillPattern, the stub exporting what its file does", async () => {
    const naming = sources(join(ROOT, 'src')).filter((f) => /FillPattern/.test(readFileSync(f, 'utf8')));
    expect(naming).toEqual([]);
    await stubsExportAsFiles(Object.keys(CANVAS));
  });

  it('fills a polygon as a fan only while src/ cuts no hole, covering what earcut does on convex polygons and refusing any other', async () => {
    const cutting = sources(join(ROOT, 'src')).filter((f) => /\.cut\(/.test(readFileSync(f, 'utf8')));
    expect(cutting).toEqual([]);
    const fill = ((await import(`data:text/javascript,${encodeURIComponent(convexFillSource())}`)) as { default: typeof earcut }).default;
    const area = (pts: number[], tris: number[]): number => {
      let a = 0;
      for (let i = 0; i < tris.length; i += 3) {
        const [p, q, r] = [tris[i]! * 2, tris[i + 1]! * 2, tris[i + 2]! * 2];
        a += Math.abs((pts[q]! - pts[p]!) * (pts[r + 1]! - pts[p + 1]!) - (pts[q + 1]! - pts[p + 1]!) * (pts[r]! - pts[p]!)) / 2;
      }
      return a;
    };
    // The packet shapes (src/render/packetAtlas.ts): regular polygons of 3 to 6 sides, any turn and size, either way round.
    for (const sides of [3, 4, 5, 6])
      for (const turn of [0, 0.3, -Math.PI / 2])
        for (const dir of [1, -1]) {
          const pts = Array.from({ length: sides }, (_, i) => [
            9 + 7 * Math.cos(turn + (dir * i * 2 * Math.PI) / sides),
            9 + 7 * Math.sin(turn + (dir * i * 2 * Math.PI) / sides),
          ]).flat();
          const fan = fill(pts, undefined, 2);
          expect(fan.length, `${sides} sides`).toBe(3 * (sides - 2));
          expect(area(pts, fan)).toBeCloseTo(area(pts, earcut(pts, undefined, 2)), 9);
        }
    // A star outline is not convex, a shape with a hole is refused.
    const star = Array.from({ length: 10 }, (_, i) => [
      7 + (i % 2 ? 3 : 7) * Math.cos((i * Math.PI) / 5),
      7 + (i % 2 ? 3 : 7) * Math.sin((i * Math.PI) / 5),
    ]).flat();
    expect(() => fill(star, undefined, 2)).toThrow(/not convex/);
    expect(() => fill([0, 0, 10, 0, 10, 10, 0, 10, 2, 2, 4, 2, 4, 4], [4], 2)).toThrow(/holes/);
  });

  it("takes out of pixi's init files only extensions for the canvas renderer or WebGPU, and each of those", async () => {
    for (const [init, taken] of Object.entries(OTHER_RENDERERS)) {
      const code = readFileSync(join(LIB, init), 'utf8');
      const lean = withoutOtherRenderers(code, init);
      for (const [name, from] of Object.entries(taken)) {
        const { extension } = (await import(join(LIB, init, '..', from)))[name] as { extension: { type: string[] } };
        expect(
          extension.type.filter((t) => !/^(canvas|webgpu)-/.test(t)),
          `${name}'s renderers`,
        ).toEqual([]);
        expect(lean, init).not.toContain(name);
      }
      // What the WebGL renderer uses stays registered.
      const kept = [...code.matchAll(/extensions\.add\((\w+)\)/g)].map((m) => m[1]!).filter((n) => !(n in taken));
      expect(kept.length, init).toBeGreaterThan(0);
      for (const n of kept) expect(lean, init).toContain(`extensions.add(${n});`);
    }
  });

  it('leaves the mask pipes and renderer.extract out of every renderer only while src/ sets no mask and reads no pixels back, and no mask kind is registered', async () => {
    const naming = sources(join(ROOT, 'src')).filter((f) => /\.mask\b|\bmask\s*:|\bextract\b/.test(readFileSync(f, 'utf8')));
    expect(naming).toEqual([]);
    // No mask kind registered: the page's pixi.js imports neither pixi's rendering/init nor a mask.
    const lean = pixiLeanSource(LIB);
    expect(lean).not.toMatch(/rendering\/init\.mjs|[\\/]mask[\\/]/);
    const code = readFileSync(join(LIB, SHARED_SYSTEMS), 'utf8');
    const without = withoutUnusedShared(code);
    const listed = (c: string): string[] => [...c.matchAll(/^ {2}(\w+),?$/gm)].map((m) => m[1]!);
    expect(listed(without)).toEqual(listed(code).filter((n) => !(n in UNUSED_SHARED)));
    for (const [name, from] of Object.entries(UNUSED_SHARED)) {
      expect(without).not.toMatch(new RegExp(`\\b${name}\\b`));
      expect(Object.keys(await import(join(LIB, SHARED_SYSTEMS, '..', from))), name).toContain(name);
    }
    // Each render group asks the colour-mask pipe: it stays.
    expect(without).toContain('  ColorMaskPipe,');
    expect(() => withoutUnusedShared(code.replace('  ExtractSystem,\n', ''))).toThrow(/ExtractSystem/);
  });

  it("has pixi's GPU probes ask the page's context, each replacement exporting what its file does", async () => {
    for (const [file, name] of Object.entries(PROBES)) {
      const real = Object.keys(await import(join(LIB, file))).sort();
      const source = probeSource(LIB, file, join(ROOT, 'src/render/pageContext.ts'));
      expect(
        [...source.matchAll(/export (?:function (\w+)|\{ pageContext as (\w+) \})/g)].map((m) => m[1] ?? m[2]!),
        file,
      ).toEqual(real);
      expect(real).toEqual([name]);
      expect(source).toMatch(/pageContext/);
    }
  });

  it("builds pixi's grapheme segmenter on first use, and splits no text without letter spacing", () => {
    const file = join(LIB, 'scene/text/canvas/CanvasTextMetrics.mjs');
    const code = readFileSync(file, 'utf8');
    expect(code).toMatch(
      /graphemeSegmenter = \(\(\) => \{\n\s+if \(typeof Intl\?\.Segmenter === "function"\) \{\n\s+const segmenter = new Intl\.Segmenter\(\);/,
    );
    const lean = lazySegmenter(code);
    // The IIFE now runs inside the first call, and _measureTextCore splits only with letter spacing.
    expect(lean).toMatch(/graphemeSegmenter = \(text\) => \(_CanvasTextMetrics\.graphemeSegmenter = \(\(\) => \{/);
    expect(lean).toMatch(/\}\)\(\)\)\(text\);/);
    expect(lean).toMatch(/letterSpacing === 0 \? 0 : \(_CanvasTextMetrics\.graphemeSegmenter\(text\)\.length - 1\) \* letterSpacing/);
    expect(() => lazySegmenter(code.replace('graphemeSegmenter = (() => {', 'graphemeSegmenter = (function () {'))).toThrow(/CanvasTextMetrics/);
  });
});
