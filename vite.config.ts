import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { scenarioLibrary } from './build/scenarioLibrary.ts';
import { scenarioSchema, siteFiles } from './build/authoring.ts';
import { pixiLean } from './build/pixiLean.ts';

/**
 * Our modules whose import does something by itself. Every other module under src/ only declares
 * things, so the bundler may leave it out when nothing it exports is used — however it was
 * reached (a barrel such as src/scenario/index.ts re-exports the schemas, which build zod
 * objects when loaded). That is what keeps yaml, zod and the schemas out of the first play.
 */
const SIDE_EFFECTS = [
  /\.css$/,
  // The entries' own modules: src/main.ts, src/ui/main.ts, src/embed/main.ts, src/embed/lesson/main.ts.
  /\/src\/(.+\/)?main\.ts$/,
  /\/src\/embed\/element\.ts$/,
  /\/src\/player\/simulation\.worker\.ts$/,
  /\/src\/scenario\/zodSetup\.ts$/,
  // Where a build's MESH_SIM_EXTENSIONS are imported (below): importing it registers meshes.
  /\/src\/mesh\/extensions\.ts$/,
];

const moduleSideEffects = (id: string): boolean | undefined =>
  /\/src\/.*\.ts$/.test(id) && !id.includes('/node_modules/') ? SIDE_EFFECTS.some((re) => re.test(id)) : undefined;

/**
 * A build with extra meshes: `MESH_SIM_EXTENSIONS=test/extensions/linkerdCopy.ts npm run build`
 * (paths from the project folder, comma-separated). Each module is imported first thing by
 * src/mesh/extensions.ts, which the page and the simulation worker both load, and registers its
 * mesh there (README "Adding a mesh"). Without the variable the build is the usual one.
 */
function meshExtensions(): Plugin {
  const modules = (process.env.MESH_SIM_EXTENSIONS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const file = resolve(p);
      if (!existsSync(file)) throw new Error(`MESH_SIM_EXTENSIONS: no such module ${p} (${file})`);
      return file;
    });
  return {
    name: 'mesh-sim-extensions',
    transform(code, id) {
      if (modules.length === 0 || !id.replace(/\\/g, '/').endsWith('/src/mesh/extensions.ts')) return null;
      return { code: `${modules.map((m) => `import ${JSON.stringify(m)};`).join('\n')}\n${code}`, map: null };
    },
  };
}

// base './': the built site works from any folder or CDN path (relative asset URLs).
export default defineConfig({
  base: './',
  server: { port: 5173, strictPort: false },
  plugins: [pixiLean(import.meta.dirname), scenarioLibrary(import.meta.dirname), scenarioSchema(), siteFiles(), meshExtensions()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    sourcemap: false,
    // Every browser the page runs in (WebGL 2, ES2022) preloads modules itself: no polyfill in the first play.
    modulePreload: { polyfill: false },
    // Three entries: the page (the app, the embed with ?embed=1 or the authoring view with
    // ?author=1 — src/main.ts picks), the <mesh-sim> element's loader, kept at a stable name so
    // course pages can link to it, and the lesson launcher an LMS opens in a lesson package.
    rolldownOptions: {
      input: { index: 'index.html', 'mesh-sim': 'src/embed/element.ts', lesson: 'lesson.html' },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'mesh-sim' ? 'mesh-sim.js' : 'assets/[name]-[hash].js'),
        // The parsers in chunks of their own, by name: loaded only when a text must be read (the
        // end-to-end tests check that the first play does without them, and without xstate).
        codeSplitting: {
          groups: [
            { name: 'yaml', test: /[\\/]node_modules[\\/]yaml[\\/]/ },
            { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/ },
            // xstate: the reference the engine's charts are checked against, and NSM's machines.
            { name: 'xstate', test: /[\\/]node_modules[\\/]xstate[\\/]/ },
          ],
        },
      },
      treeshake: { moduleSideEffects },
    },
  },
  worker: { format: 'es', plugins: () => [meshExtensions()] },
});
