import { defineConfig } from 'vite';
import { scenarioLibrary } from './build/scenarioLibrary.ts';
import { scenarioSchema, siteFiles } from './build/authoring.ts';

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
];

const moduleSideEffects = (id: string): boolean | undefined =>
  /\/src\/.*\.ts$/.test(id) && !id.includes('/node_modules/') ? SIDE_EFFECTS.some((re) => re.test(id)) : undefined;

// base './': the built site works from any folder or CDN path (relative asset URLs).
export default defineConfig({
  base: './',
  server: { port: 5173, strictPort: false },
  plugins: [scenarioLibrary(import.meta.dirname), scenarioSchema(), siteFiles()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    sourcemap: false,
    // Three entries: the page (the app, the embed with ?embed=1 or the authoring view with
    // ?author=1 — src/main.ts picks), the <mesh-sim> element's loader, kept at a stable name so
    // course pages can link to it, and the lesson launcher an LMS opens in a lesson package.
    rolldownOptions: {
      input: { index: 'index.html', 'mesh-sim': 'src/embed/element.ts', lesson: 'lesson.html' },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'mesh-sim' ? 'mesh-sim.js' : 'assets/[name]-[hash].js'),
        // The parsers in chunks of their own, by name: loaded only when a text must be read (the
        // end-to-end tests check that the first play does without them).
        codeSplitting: {
          groups: [
            { name: 'yaml', test: /[\\/]node_modules[\\/]yaml[\\/]/ },
            { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/ },
          ],
        },
      },
      treeshake: { moduleSideEffects },
    },
  },
  worker: { format: 'es' },
});
