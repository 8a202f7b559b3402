/**
 * The picture's canvas: a WebGL renderer sized to its host element, sharp on high-DPI screens.
 */
import { WebGLRenderer } from 'pixi.js';
import { COLOURS } from './palette.ts';
import { setPageContext } from './pageContext.ts';

/**
 * Creates the canvas inside `host` (sized to it, sharp on high-DPI screens). WebGL, created
 * directly rather than through pixi's renderer detection, which would bundle the WebGPU and
 * canvas renderers into the first play (the bundler cannot split them off: pixi's index
 * imports them). A browser without WebGL gets a message saying so.
 *
 * The context is made here, on a canvas already at its size, with the attributes pixi would ask
 * for (WebGL 2, else 1): not by pixi's `isWebGLSupported`, which makes and throws away a context
 * of its own to find out (a round trip to the GPU process before the first picture).
 */
export async function createCanvas(host: HTMLElement): Promise<WebGLRenderer> {
  const options = {
    background: COLOURS.background,
    antialias: true,
    resolution: Math.max(1, window.devicePixelRatio || 1),
    autoDensity: true,
    width: Math.max(1, host.clientWidth),
    height: Math.max(1, host.clientHeight),
    // We use none of pixi's accessibility, DOM, event or filter extensions (picking and
    // zooming use DOM events): not loading them keeps the first-play JavaScript smaller.
    skipExtensionImports: true,
    // We never read pixels back, except in tests that screenshot the page.
    preserveDrawingBuffer: true,
  };
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(options.width * options.resolution);
  canvas.height = Math.round(options.height * options.resolution);
  // pixi's GlContextSystem: opaque (the background colour has no alpha), stencil for masks.
  const attributes: WebGLContextAttributes = {
    alpha: false,
    premultipliedAlpha: true,
    antialias: true,
    stencil: true,
    preserveDrawingBuffer: true,
    powerPreference: 'default',
  };
  const gl = canvas.getContext('webgl2', attributes) ?? canvas.getContext('webgl', attributes);
  if (!gl) throw new Error('the picture needs WebGL, which this browser does not offer (or has turned off)');
  capBatchTextures(gl);
  setPageContext(gl);
  const renderer = new WebGLRenderer();
  // pixi's type says WebGL 2; it reads the version from the context (GlContextSystem.initFromContext).
  await renderer.init({ ...options, canvas, context: gl as WebGL2RenderingContext });
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-roledescription', 'mesh picture');
  canvas.setAttribute(
    'aria-label',
    'The mesh: pods with their sidecars, the control plane, and packets in flight. Arrow keys move between boxes, links and packets; Enter inspects.',
  );
  canvas.style.display = 'block';
  // Hidden until its first picture is rendered (MeshView.renderNow): a canvas on screen is read
  // back for the page's every frame, which would wait for the GPU process to set up the context
  // and compile — work it does meanwhile, while the page simulates.
  canvas.style.visibility = 'hidden';
  canvas.style.touchAction = 'none';
  host.append(canvas);
  return renderer;
}

/**
 * Textures one batch of pixi's may sample: pixi's batch shader picks each pixel's texture by a
 * chain of ifs, one per texture the batch may use, which pixi sizes from the context's
 * `MAX_TEXTURE_IMAGE_UNITS` (16 in Chromium). Software WebGL (SwiftShader, as on a machine with
 * no GPU) runs that chain for every pixel: at 16 a frame of retries-flaky-pod at 1280×720 took
 * ~72 ms of the GPU process and drawing the still scene's texture ~270 ms; at 4, ~43 and ~130 (at
 * 1, ~35 and ~104, but a draw call for nearly every label). A batch breaks where a fifth texture
 * comes: opening authorization draws 23 times instead of 13, egress-control in compare 45 instead
 * of 24, a step 3–16. Five views at 1280×800 came out the same, but for 25 pixels one level apart
 * (session 36).
 */
const BATCH_TEXTURES = 4;

/** Makes pixi read {@link BATCH_TEXTURES} as the context's texture units (it reads them once, when it starts on the context). */
function capBatchTextures(gl: WebGLRenderingContext | WebGL2RenderingContext): void {
  const read = gl.getParameter.bind(gl);
  gl.getParameter = (name: GLenum): unknown => (name === gl.MAX_TEXTURE_IMAGE_UNITS ? Math.min(BATCH_TEXTURES, read(name) as number) : read(name));
}
