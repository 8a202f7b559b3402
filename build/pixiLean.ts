/**
 * pixi.js as the page uses it: `import { … } from 'pixi.js'` in src/ resolves, in the build, to a
 * module that re-exports those classes from their own files in pixi.js's lib folder. pixi's index
 * runs setup the bundler must keep whatever is used (it is marked as having side effects): it
 * registers the video texture source, the spritesheet asset loader with the asset resolver and
 * the masks, none of which the picture uses, and the environments whose loading the renderer is
 * told to skip (MeshView: `skipExtensionImports`). What the picture does use registers itself
 * from the class's own file (Graphics, Text, ParticleContainer import their `init`), or is
 * registered here: the image, canvas and buffer texture sources (text and generated textures).
 *
 * Source files keep importing 'pixi.js' (types, tests in Node); a value they import that this
 * module does not export goes into {@link EXPORTS} (test/build/pixiLean.test.ts checks).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

const LEAN = '\0mesh-sim:pixi-lean';
const NAMES = '\0mesh-sim:colour-names';
const COLORD = '\0mesh-sim:colord';

/**
 * The CSS colour names pixi.js itself writes (TextStyle's default fill and colour, FillGradient's
 * default stops, the canvas text's fallback fill): the picture gives every colour as a number, so pixi's table of all 148 names
 * (@pixi/colord's names plugin, about 1.5 KB gzip in the first play) is left out for these
 * ({@link colordSource} reads them).
 * test/build/pixiLean.test.ts checks that pixi.js's code names no other colour.
 */
export const COLOUR_NAMES: Record<string, string> = { black: '#000000', white: '#ffffff', red: '#ff0000' };

/**
 * colord as pixi's Color asks it (`colord(value).isValid()` and `.rgba`, after `extend` with the
 * names plugin): every colour the picture gives pixi is a number, which Color reads itself; the
 * strings pixi's own code writes are hex or one of {@link COLOUR_NAMES}. So the build's colord
 * reads `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, those names, "transparent" and `{ r, g, b, a }`
 * objects, as colord does, and nothing else (no `rgb(…)` or `hsl(…)` strings: pixi then throws
 * "Unable to convert color"), in place of colord's parsers and its names plugin (about 1.8 KB gzip
 * of the first play). test/build/pixiLean.test.ts checks it against colord, and that neither
 * pixi's code nor the renderer writes a colour in another form.
 */
export function colordSource(): string {
  return [
    `const NAMES = ${JSON.stringify({ ...COLOUR_NAMES, transparent: '#0000' })};`,
    'const byte = (n) => Math.max(0, Math.min(255, n));',
    'function parse(input) {',
    '  if (input && typeof input === "object") {',
    '    const { r, g, b, a = 1 } = input;',
    '    return [r, g, b].every((n) => typeof n === "number" && !Number.isNaN(n)) && typeof a === "number"',
    '      ? { r: byte(r), g: byte(g), b: byte(b), a: Math.max(0, Math.min(1, a)) }',
    '      : null;',
    '  }',
    '  if (typeof input !== "string") return null;',
    '  const hex = (/^#([0-9a-f]{3,8})$/i.exec(input) ?? /^#([0-9a-f]{3,8})$/.exec(NAMES[input.toLowerCase()] ?? ""))?.[1];',
    '  if (!hex || hex.length === 5 || hex.length === 7) return null;',
    '  const d = hex.length <= 4 ? [...hex].map((c) => c + c) : hex.match(/../g);',
    '  const [r, g, b] = d.slice(0, 3).map((x) => parseInt(x, 16));',
    '  return { r, g, b, a: d[3] === undefined ? 1 : Math.round((parseInt(d[3], 16) / 255) * 100) / 100 };',
    '}',
    'export function colord(input) {',
    '  const parsed = parse(input);',
    '  return { rgba: parsed ?? { r: 0, g: 0, b: 0, a: 1 }, isValid: () => parsed !== null };',
    '}',
    'export function extend() {}',
  ].join('\n');
}

/**
 * pixi's tagged text (a TextStyle's `tagStyles`: `<b>…</b>` runs in one Text), whose parsing and
 * measuring CanvasTextMetrics imports (about 1.7 KB gzip of the first play): no style the picture
 * writes has tagStyles, so pixi asks `hasTagStyles` (kept as it is) and never reaches the rest,
 * which the build replaces with functions that say so. test/build/pixiLean.test.ts checks that
 * src/ never names tagStyles and that each stub exports what the file it replaces does.
 */
export const TAGGED: Record<string, string[]> = {
  'scene/text/canvas/utils/measureTaggedText.mjs': ['measureTaggedText', 'tokenizeTaggedRuns', 'wordWrapTaggedLines'],
  'scene/text/canvas/utils/parseTaggedText.mjs': ['getPlainText', 'hasTagMarkup', 'parseTaggedText'],
};

/**
 * pixi's SVG reader (`GraphicsContext.svg()`: an SVG document drawn as graphics; with its style and
 * definition parsers about 2 KB gzip of the first play): the picture draws its shapes with calls,
 * never from SVG, so `svg()` is left out (src/ names no `.svg(`; test/build/pixiLean.test.ts).
 * A path from SVG path data (`new GraphicsPath(d)`, parseSVGPath) is kept.
 */
export const SVG: Record<string, string[]> = { 'scene/graphics/shared/svg/SVGParser.mjs': ['SVGParser'] };

/**
 * pixi's helpers for its canvas renderer (`canvasUtils`: sprites tinted on a 2D canvas, a pattern's
 * transform; about 1.6 KB gzip of the first play, and a canvas made when the module is evaluated to
 * probe blend modes): the page renders with WebGL only (MeshView makes a WebGLRenderer), and of
 * what it draws only a text filled with a FillPattern would reach them (getCanvasFillStyle) — src/
 * names no FillPattern (test/build/pixiLean.test.ts). Reading any of it throws.
 */
export const CANVAS: Record<string, string[]> = { 'rendering/renderers/canvas/utils/canvasUtils.mjs': ['canvasUtils'] };

/** The module a {@link TAGGED}, {@link SVG} or {@link CANVAS} file becomes in the build. */
export function taggedStubSource(file: string): string {
  const names = TAGGED[file] ?? SVG[file] ?? CANVAS[file]!;
  const what =
    file in SVG ? 'SVG read into graphics (GraphicsContext.svg)' : file in CANVAS ? 'canvas rendering (canvasUtils)' : 'tagged text (TextStyle.tagStyles)';
  return [
    `function left() { throw new Error("pixi.js ${what} is left out of mesh-sim's build: build/pixiLean.ts"); }`,
    ...names.map((n) => (file in CANVAS ? `export const ${n} = new Proxy({}, { get: left });` : `export const ${n} = left;`)),
    ...(file.endsWith('parseTaggedText.mjs')
      ? ['export function hasTagStyles(style) { return !!style.tagStyles && Object.keys(style.tagStyles).length > 0; }']
      : []),
  ].join('\n');
}

/**
 * pixi's probes of the GPU's limits (textures per batch, fragment precision) make a WebGL context
 * of their own, which the batcher's probe then loses: in the build they ask the page's context
 * (src/render/pageContext.ts; a context made is a round trip to the GPU process before the first
 * picture). pixi probes only while a renderer is made, which the page does only through
 * src/render/canvas.ts, which sets that context first. The answers are the GPU's, whichever
 * context asks. test/build/pixiLean.test.ts checks that each replacement exports what the file it
 * replaces does.
 */
export const PROBES: Record<string, string> = {
  'rendering/renderers/gl/shader/program/getTestContext.mjs': 'getTestContext',
  'rendering/batcher/gl/utils/maxRecommendedTextures.mjs': 'getMaxTexturesPerBatch',
};

/** The module a {@link PROBES} file becomes in the build; `pageContext`: the path of src/render/pageContext.ts. */
export function probeSource(lib: string, file: string, pageContext: string): string {
  const at = (f: string): string => JSON.stringify(join(lib, f));
  if (file.endsWith('getTestContext.mjs')) return `export { pageContext as getTestContext } from ${JSON.stringify(pageContext)};`;
  // pixi's loses the probing context once asked; never the page's.
  return [
    `import { checkMaxIfStatementsInShader } from ${at('rendering/batcher/gl/utils/checkMaxIfStatementsInShader.mjs')};`,
    `import { pageContext } from ${JSON.stringify(pageContext)};`,
    'let max;',
    'export function getMaxTexturesPerBatch() {',
    '  const gl = pageContext();',
    '  return (max ??= checkMaxIfStatementsInShader(gl.getParameter(gl.MAX_TEXTURE_IMAGE_UNITS), gl));',
    '}',
  ].join('\n');
}

/**
 * pixi's CanvasTextMetrics builds an `Intl.Segmenter` when its module is evaluated (~30 ms in
 * Chromium, before the page's first picture) and splits every text it measures into graphemes to
 * add its letter spacing — which the picture's texts never have. In the build the segmenter is
 * built on first use and a text without letter spacing is not split (its width is the same:
 * (graphemes − 1) × 0). A pixi.js release that changes either line fails the build here.
 */
export function lazySegmenter(code: string): string {
  const eager = '_CanvasTextMetrics.graphemeSegmenter = (() => {';
  const end = '  return (s) => [...s];\n})();';
  const perText = 'letterSpacingVal = (_CanvasTextMetrics.graphemeSegmenter(text).length - 1) * letterSpacing;';
  if (code.split(eager).length !== 2 || code.split(end).length !== 2 || code.split(perText).length !== 2)
    throw new Error('build/pixiLean.ts: pixi.js CanvasTextMetrics.mjs no longer reads as expected (graphemeSegmenter, _measureTextCore)');
  return code
    .replace(perText, 'letterSpacingVal = letterSpacing === 0 ? 0 : (_CanvasTextMetrics.graphemeSegmenter(text).length - 1) * letterSpacing;')
    .replace(eager, '_CanvasTextMetrics.graphemeSegmenter = (text) => (_CanvasTextMetrics.graphemeSegmenter = (() => {')
    .replace(end, '  return (s) => [...s];\n})())(text);');
}

/**
 * Extensions pixi's scene modules register for renderers the page never makes (its canvas
 * renderer, WebGPU; MeshView makes a WebGLRenderer): by the init file that registers them, the
 * file each comes from. In the build their imports and `extensions.add` lines are taken out of
 * those init files, so their code (the canvas graphics and particle pipes, with canvasUtils, the
 * WebGPU particle pipe; about 1.5 KB gzip of the first play) is left out. A pixi.js release that
 * changes either line fails the build here; test/build/pixiLean.test.ts checks that each is for
 * those renderers only.
 */
export const OTHER_RENDERERS: Record<string, Record<string, string>> = {
  'scene/graphics/init.mjs': {
    CanvasGraphicsPipe: './canvas/CanvasGraphicsPipe.mjs',
    CanvasGraphicsContextSystem: './canvas/CanvasGraphicsContextSystem.mjs',
  },
  'scene/particle-container/init.mjs': {
    CanvasParticleContainerPipe: './canvas/CanvasParticleContainerPipe.mjs',
    GpuParticleContainerPipe: './gpu/GpuParticleContainerPipe.mjs',
  },
  'scene/text/init.mjs': { CanvasRendererTextSystem: './canvas/CanvasTextSystem.mjs' },
};

/** An {@link OTHER_RENDERERS} init file's code without those extensions. */
export function withoutOtherRenderers(code: string, file: string): string {
  let out = code;
  for (const [name, from] of Object.entries(OTHER_RENDERERS[file]!)) {
    const lines = [`import { ${name} } from '${from}';\n`, `extensions.add(${name});\n`];
    if (lines.some((l) => out.split(l).length !== 2)) throw new Error(`build/pixiLean.ts: pixi.js ${file} no longer registers ${name} as expected`);
    for (const l of lines) out = out.replace(l, '');
  }
  return out;
}

/** pixi's list of what every renderer makes (systems and render pipes), a file in pixi.js/lib. */
export const SHARED_SYSTEMS = 'rendering/renderers/shared/system/SharedSystems.mjs';

/**
 * What every pixi renderer makes for features the picture never uses, by name, the file each comes
 * from (about 2.5 KB gzip of the first play): the pipes that draw alpha and stencil masks — no
 * mask kind is registered in the build (pixi's rendering/init, which registers them, is not
 * imported), so no container could have one —, and `renderer.extract`, which reads pixels back
 * (the page and its tools never ask; a texture the picture makes comes from `generateTexture`, a
 * system of its own). In the build they are taken out of {@link SHARED_SYSTEMS}; the colour-mask
 * pipe stays (each render group asks it). A pixi.js release that changes either line fails the
 * build here; test/build/pixiLean.test.ts checks that src/ sets no mask and reads no extract.
 */
export const UNUSED_SHARED: Record<string, string> = {
  ExtractSystem: '../extract/ExtractSystem.mjs',
  AlphaMaskPipe: '../../../mask/alpha/AlphaMaskPipe.mjs',
  StencilMaskPipe: '../../../mask/stencil/StencilMaskPipe.mjs',
};

/** {@link SHARED_SYSTEMS}'s code without {@link UNUSED_SHARED}. */
export function withoutUnusedShared(code: string): string {
  let out = code;
  for (const [name, from] of Object.entries(UNUSED_SHARED)) {
    const lines = [`import { ${name} } from '${from}';\n`, `  ${name},\n`];
    if (lines.some((l) => out.split(l).length !== 2)) throw new Error(`build/pixiLean.ts: pixi.js ${SHARED_SYSTEMS} no longer lists ${name} as expected`);
    for (const l of lines) out = out.replace(l, '');
  }
  return out;
}

const EARCUT = '\0mesh-sim:convex-fill';

/**
 * earcut, the polygon triangulator pixi.js fills a polygon (`Graphics.poly().fill()`) or a shape
 * with holes (`cut()`) with (about 2.5 KB gzip of the first play): the picture fills no polygon
 * but convex ones — the packet shapes; the star is drawn as convex pieces — and cuts no hole (the
 * guided veil is drawn as rectangles around what stays bright), so the build fills a polygon as a
 * fan from its first point, which is exact for a convex one. A polygon that is not convex, or a
 * hole, throws (test/build/pixiLean.test.ts checks src/ has no `.cut(` and compares the fan with
 * earcut on the packet shapes).
 */
export function convexFillSource(): string {
  return [
    'export default function convexFill(data, holes, dim = 2) {',
    '  if (holes && holes.length) throw new Error("mesh-sim build: a shape with holes (Graphics.cut) cannot be filled; build/pixiLean.ts fills convex polygons only");',
    '  const n = data.length / dim;',
    '  const out = [];',
    '  let sign = 0;',
    '  for (let i = 0; i < n; i++) {',
    '    const a = i * dim, b = ((i + 1) % n) * dim, c = ((i + 2) % n) * dim;',
    '    const cross = (data[b] - data[a]) * (data[c + 1] - data[b + 1]) - (data[b + 1] - data[a + 1]) * (data[c] - data[b]);',
    '    if (cross * sign < -1e-9) throw new Error("mesh-sim build: a polygon that is not convex cannot be filled; build/pixiLean.ts fills convex polygons only");',
    '    if (Math.abs(cross) > 1e-9) sign = cross;',
    '    if (i > 0 && i + 1 < n) out.push(0, i, i + 1);',
    '  }',
    '  return out;',
    '}',
  ].join('\n');
}

/** What src/ imports from 'pixi.js', by the file in pixi.js/lib that defines it. */
const EXPORTS: Record<string, string[]> = {
  'scene/container/Container.mjs': ['Container'],
  'scene/graphics/shared/Graphics.mjs': ['Graphics'],
  'scene/text/Text.mjs': ['Text'],
  'scene/text/TextStyle.mjs': ['TextStyle'],
  'scene/sprite/Sprite.mjs': ['Sprite'],
  'scene/particle-container/shared/Particle.mjs': ['Particle'],
  'scene/particle-container/shared/ParticleContainer.mjs': ['ParticleContainer'],
  'maths/shapes/Rectangle.mjs': ['Rectangle'],
  'rendering/renderers/shared/texture/Texture.mjs': ['Texture'],
  'rendering/renderers/shared/texture/TexturePool.mjs': ['TexturePool'],
  'maths/matrix/Matrix.mjs': ['Matrix'],
  'rendering/renderers/gl/WebGLRenderer.mjs': ['WebGLRenderer'],
  'utils/browser/isWebGLSupported.mjs': ['isWebGLSupported'],
};

/** The texture sources pixi's rendering/init registers, less the video one. */
const SOURCES: Record<string, string> = {
  ImageSource: 'rendering/renderers/shared/texture/sources/ImageSource.mjs',
  CanvasSource: 'rendering/renderers/shared/texture/sources/CanvasSource.mjs',
  BufferImageSource: 'rendering/renderers/shared/texture/sources/BufferImageSource.mjs',
};

/** The module 'pixi.js' resolves to in the build. */
export function pixiLeanSource(lib: string): string {
  const at = (file: string): string => JSON.stringify(join(lib, file));
  return [
    ...Object.entries(EXPORTS).map(([file, names]) => `export { ${names.join(', ')} } from ${at(file)};`),
    `import { extensions } from ${at('extensions/Extensions.mjs')};`,
    ...Object.entries(SOURCES).map(([name, file]) => `import { ${name} } from ${at(file)};`),
    `import ${at('rendering/renderers/shared/texture/utils/textureFrom.mjs')};`,
    `extensions.add(${Object.keys(SOURCES).join(', ')});`,
  ].join('\n');
}

/** The vite plugin: in the build, 'pixi.js' (exactly; 'pixi.js/unsafe-eval' stays as it is) becomes {@link pixiLeanSource}. */
export function pixiLean(root: string): Plugin {
  const lib = dirname(createRequire(join(root, 'package.json')).resolve('pixi.js'));
  return {
    name: 'mesh-sim-pixi-lean',
    // The build only: the dev server pre-bundles 'pixi.js' whole, and pixi's own files imported one
    // by one would reach CommonJS dependencies (eventemitter3) that only the build converts.
    apply: 'build',
    enforce: 'pre',
    resolveId(id) {
      return id === 'pixi.js' ? LEAN : id === '@pixi/colord' ? COLORD : id === '@pixi/colord/plugins/names' ? NAMES : id === 'earcut' ? EARCUT : null;
    },
    load(id) {
      if (id === LEAN) return pixiLeanSource(lib);
      if (id === COLORD) return colordSource();
      // colordSource() reads the names itself, and its extend() does nothing.
      if (id === NAMES) return 'export default function () {}';
      if (id === EARCUT) return convexFillSource();
      const tagged = [...Object.keys(TAGGED), ...Object.keys(SVG), ...Object.keys(CANVAS)].find((file) => id === join(lib, file));
      if (tagged) return taggedStubSource(tagged);
      const probe = Object.keys(PROBES).find((file) => id === join(lib, file));
      return probe ? probeSource(lib, probe, join(root, 'src/render/pageContext.ts')) : null;
    },
    transform(code, id) {
      if (id === join(lib, 'scene/text/canvas/CanvasTextMetrics.mjs')) return { code: lazySegmenter(code), map: null };
      if (id === join(lib, SHARED_SYSTEMS)) return { code: withoutUnusedShared(code), map: null };
      const init = Object.keys(OTHER_RENDERERS).find((file) => id === join(lib, file));
      return init ? { code: withoutOtherRenderers(code, init), map: null } : null;
    },
  };
}
