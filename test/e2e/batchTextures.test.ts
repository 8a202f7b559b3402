/**
 * pixi's batches sample at most 4 textures in the page (render/canvas.ts): pixi's batch shader picks
 * each pixel's texture by an if per texture the batch may use, which software WebGL runs for every
 * pixel — at 16, the context's units, a frame cost ~1.7 times as much and a redraw of the still
 * scene twice as much in SwiftShader (session 36). pixi sizes that shader from the limit it reads
 * off the context when it starts; if it read it elsewhere the cap would lapse without changing the
 * picture, so this reads the shaders the page compiles: every batch shader samples 4 textures.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Site } from './site.ts';
import { withSiteAndBrowser } from './lifecycle.ts';
import { openApp, PICTURE_WINDOW } from './harness.ts';

let site: Site;
let browser: Browser;

withSiteAndBrowser((s, b) => {
  site = s;
  browser = b;
});

describe("pixi's batch shader in the page", () => {
  it.each(['?scenario=authorization&mesh=istio&t=2500', '?scenario=egress-control&mesh=compare&t=3000'])('samples 4 textures a batch (%s)', async (query) => {
    // Every shader source the page hands WebGL, from its start.
    const beforeScripts = (): void => {
      const sources: string[] = [];
      (window as unknown as { shaderSources: string[] }).shaderSources = sources;
      for (const proto of [WebGL2RenderingContext.prototype, WebGLRenderingContext.prototype]) {
        const shaderSource = proto.shaderSource;
        proto.shaderSource = function (this: WebGLRenderingContext, shader: WebGLShader, source: string) {
          sources.push(source);
          return shaderSource.call(this, shader, source);
        };
      }
    };
    const { page, problems } = await openApp(browser, site, query, { viewport: PICTURE_WINDOW, beforeScripts });
    const sources = await page.evaluate(() => (window as unknown as { shaderSources: string[] }).shaderSources);
    // pixi's GL batch shader declares its textures as one sampler array: uTextures[N].
    const sizes = sources.flatMap((s) => [...s.matchAll(/uniform\s+sampler2D\s+uTextures\[(\d+)\]/g)].map((m) => Number(m[1])));
    expect(sizes.length, 'a batch shader was compiled').toBeGreaterThan(0);
    expect([...new Set(sizes)]).toEqual([4]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
