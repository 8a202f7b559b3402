/**
 * The page's WebGL context, once its first canvas is made (canvas.ts). pixi.js probes the GPU's
 * limits (textures per batch, fragment precision) on a context of its own, made for the purpose;
 * in the build those probes ask this one instead (build/pixiLean.ts): each context made is a
 * round trip to the GPU process, ~20 ms in software WebGL, before the first picture.
 */
let context: WebGLRenderingContext | WebGL2RenderingContext | null = null;

/** The context pixi's probes ask in the build (null before the first canvas, when pixi does not probe). */
export const pageContext = (): WebGLRenderingContext | WebGL2RenderingContext | null => context;

export function setPageContext(gl: WebGLRenderingContext | WebGL2RenderingContext): void {
  context ??= gl;
}
