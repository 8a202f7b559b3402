import { defineConfig } from 'vite';

// base './': the built site works from any folder or CDN path (relative asset URLs).
export default defineConfig({
  base: './',
  server: { port: 5173, strictPort: false },
  build: {
    target: 'es2022',
    outDir: 'dist',
    sourcemap: false,
    // Two entries: the page (the app, or the embed with ?embed=1 — src/main.ts picks) and the
    // <mesh-sim> element's loader, kept at a stable name so course pages can link to it.
    rolldownOptions: {
      input: { index: 'index.html', 'mesh-sim': 'src/embed/element.ts' },
      output: { entryFileNames: (chunk) => (chunk.name === 'mesh-sim' ? 'mesh-sim.js' : 'assets/[name]-[hash].js') },
    },
  },
  worker: { format: 'es' },
});
