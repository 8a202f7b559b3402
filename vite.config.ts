import { defineConfig } from 'vite';

// base './': the built site works from any folder or CDN path (relative asset URLs).
export default defineConfig({
  base: './',
  server: { port: 5173, strictPort: false },
  build: {
    target: 'es2022',
    outDir: 'dist',
    sourcemap: false,
    // Three entries: the page (the app, the embed with ?embed=1 or the authoring view with
    // ?author=1 — src/main.ts picks), the <mesh-sim> element's loader, kept at a stable name so
    // course pages can link to it, and the lesson launcher an LMS opens in a lesson package.
    rolldownOptions: {
      input: { index: 'index.html', 'mesh-sim': 'src/embed/element.ts', lesson: 'lesson.html' },
      output: { entryFileNames: (chunk) => (chunk.name === 'mesh-sim' ? 'mesh-sim.js' : 'assets/[name]-[hash].js') },
    },
  },
  worker: { format: 'es' },
});
